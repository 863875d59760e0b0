import { distance } from 'fastest-levenshtein';
import type { GroupMetrics, OutputPair } from './experiment-store';

/** Replays ended so far, over every run. */
export interface Tally {
  readonly done: number;
  readonly failed: number;
  readonly spentNanoUsd: bigint;
  /** Completed replays without a price: not in `spentNanoUsd`. */
  readonly unpriced: number;
}

export const EMPTY_TALLY: Tally = { done: 0, failed: 0, spentNanoUsd: 0n, unpriced: 0 };

/** Where the current run began: rates are measured from there. */
export interface RunMark {
  readonly at: Date;
  readonly done: number;
}

export interface ExperimentProgress {
  /** Replays ended (completed or failed) of `total` (items × configurations). */
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  /** 0 to 1. */
  readonly fraction: number;
  /** Over the current run; null before anything was measured. */
  readonly requestsPerSecond: number | null;
  /** Seconds left at that rate; 0 once ended, null while unknown. */
  readonly etaSeconds: number | null;
  readonly spentNanoUsd: bigint;
  /** Completed replays without a price, left out of `spentNanoUsd`. */
  readonly unpriced: number;
}

export const addTally = (a: Tally, b: Tally): Tally => ({
  done: a.done + b.done,
  failed: a.failed + b.failed,
  spentNanoUsd: a.spentNanoUsd + b.spentNanoUsd,
  unpriced: a.unpriced + b.unpriced,
});

/** Done/total, the rate over the current run (`run`, null when none runs here) and the time left. Pure. */
export function progressOf(total: number, tally: Tally, run: RunMark | null, now: Date): ExperimentProgress {
  const seconds = run ? (now.getTime() - run.at.getTime()) / 1000 : 0;
  const ran = run ? tally.done - run.done : 0;
  const requestsPerSecond = seconds > 0 && ran > 0 ? ran / seconds : null;
  const left = Math.max(0, total - tally.done);
  return {
    done: tally.done,
    total,
    failed: tally.failed,
    fraction: total ? Math.min(1, tally.done / total) : 1,
    requestsPerSecond,
    etaSeconds:
      !run || left === 0 ? (left === 0 ? 0 : null) : requestsPerSecond ? left / requestsPerSecond : null,
    spentNanoUsd: tally.spentNanoUsd,
    unpriced: tally.unpriced,
  };
}

/**
 * How alike two outputs are, 0 (nothing in common) to 1 (equal): one minus the Levenshtein
 * distance over the longer length. Two empty outputs are equal.
 */
export function similarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - distance(a, b) / longer;
}

/** One column of the comparison: the originals (`configurationId` null) or one configuration's replays. */
export interface ComparisonRow extends Omit<GroupMetrics, 'configurationId'> {
  readonly configurationId: string | null;
  /** errors / requests; null without requests. */
  readonly errorRate: number | null;
  /** Mean {@link similarity} of completed replays to their originals; 1 for the originals; null without pairs. */
  readonly outputSimilarity: number | null;
  /** Completed replays whose outputs were compared. */
  readonly compared: number;
}

/** The originals first, then each configuration in order (an empty row for one without data). Pure. */
export function comparisonOf(
  configurationIds: readonly string[],
  metrics: readonly GroupMetrics[],
  pairs: readonly OutputPair[],
): ComparisonRow[] {
  const empty = (id: string): GroupMetrics => ({
    configurationId: id,
    requests: 0,
    errors: 0,
    costUsd: null,
    unpriced: 0,
    latencyP50Ms: null,
    latencyP95Ms: null,
    ttftP50Ms: null,
  });
  const metricsOf = (id: string) => metrics.find((m) => m.configurationId === id) ?? empty(id);
  const row = (id: string, m: GroupMetrics): ComparisonRow => {
    const mine = pairs.filter((p) => p.configurationId === id);
    const mean = mine.reduce((sum, p) => sum + similarity(p.original, p.replay), 0) / (mine.length || 1);
    return {
      ...m,
      configurationId: id || null,
      errorRate: m.requests ? m.errors / m.requests : null,
      outputSimilarity: id === '' ? (m.requests ? 1 : null) : mine.length ? mean : null,
      compared: id === '' ? m.requests : mine.length,
    };
  };
  return [row('', metricsOf('')), ...configurationIds.map((id) => row(id, metricsOf(id)))];
}
