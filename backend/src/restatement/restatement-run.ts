import { EventValidationError, parseEvent, type SightlineEvent } from '@sightline/schemas';
import { recordsToProcess } from '../eventlog/event-consumer';
import type { BatchContext, EventLog, PartitionBatch, Subscription } from '../eventlog/event-log';
import {
  needsRequest,
  NO_TOTALS,
  PRICED_TYPES,
  restatedRows,
  restatedTotals,
  type CostTotals,
  type PriceOf,
  type RequestedModel,
  type RestatedCostRow,
  type Restatement,
} from './restated-rows';

export interface RunDependencies {
  readonly log: EventLog;
  readonly topic: string;
  readonly priceOf: PriceOf;
  /** Whether to restate an event at all: its project is in scope and its data was not deleted. */
  readonly keep: (event: SightlineEvent) => boolean;
  /** Model and provider of the requests of ends that do not name what served them (v1 events), from the archive. */
  readonly findRequests: (
    spans: readonly { projectId: string; spanId: string }[],
  ) => Promise<Map<string, RequestedModel>>;
  readonly insert: (rows: readonly RestatedCostRow[], dedupToken: string) => Promise<void>;
  /**
   * After each batch is written: the positions reached, generations re-priced by this run and what
   * they cost at ingestion and restated.
   */
  readonly progress: (positions: readonly number[], generations: number, totals: CostTotals) => Promise<void>;
  readonly maxBatchSize: number;
  /**
   * At most this many generations re-priced per second (0: no limit), so a big restatement leaves
   * ClickHouse room for live traffic. Checked after each batch: the run waits until it is back
   * within the rate (the wait ends at once on a cancel).
   */
  readonly maxGenerationsPerSecond?: number;
  /** Monotonic ms and an abortable wait (the `Clock`). */
  readonly monotonicMs?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface RunPlan extends Restatement {
  /** Per partition, where the job stops (the log's end when it started). */
  readonly ends: readonly number[];
  /** Per partition, where the last checkpoint was (the consumer group knows better; never ahead). */
  readonly positions: readonly number[];
}

export type RunOutcome = 'finished' | 'stopped';

/** The consumer group of a job: its committed offsets are the job's checkpoint. */
export const restatementGroup = (id: string): string => `sightline-restatement-${id}`;

/**
 * The events among `records` a restatement prices (`PRICED_TYPES`; of spans, generations only),
 * validated and upcast. Other records are parsed, not validated. Invalid ones were dead-lettered
 * when they were projected.
 */
function pricedEvents(records: readonly { value: Buffer }[]): SightlineEvent[] {
  const priced: SightlineEvent[] = [];
  for (const record of records) {
    let value: { type?: unknown; data?: { kind?: unknown } };
    try {
      value = JSON.parse(record.value.toString('utf8')) as typeof value;
    } catch {
      continue;
    }
    if (typeof value?.type !== 'string' || !PRICED_TYPES.has(value.type)) continue;
    if (value.type === 'span.recorded' && value.data?.kind !== 'generation') continue;
    try {
      priced.push(parseEvent(value));
    } catch (error) {
      if (!(error instanceof EventValidationError)) throw error;
    }
  }
  return priced;
}

/**
 * One run of a restatement: reads the LLM topic from the job's checkpoint (its own consumer group)
 * up to the ends fixed when the job started, re-prices every generation end and reported generation
 * span in scope and writes the rows with a token of the batch's offset range, so a batch written
 * again after a crash is a no-op. Resolves `finished` once every partition reached its end, `stopped` when `signal` aborts.
 */
export class RestatementRun {
  private readonly positions: number[];
  private generations = 0;
  private totals: CostTotals = NO_TOTALS;
  private finish!: () => void;
  private readonly finished = new Promise<void>((resolve) => (this.finish = resolve));
  private signal: AbortSignal = new AbortController().signal;
  private startedMs = 0;

  constructor(
    private readonly deps: RunDependencies,
    private readonly plan: RunPlan,
  ) {
    this.positions = plan.ends.map((_, p) => plan.positions[p] ?? 0);
  }

  async run(signal: AbortSignal): Promise<RunOutcome> {
    if (this.done()) return 'finished';
    this.signal = signal;
    this.startedMs = this.deps.monotonicMs?.() ?? 0;
    const stopped = new Promise<void>((resolve) =>
      signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    const subscription: Subscription = await this.deps.log.consume(
      {
        group: restatementGroup(this.plan.id),
        topics: [this.deps.topic],
        maxBatchSize: this.deps.maxBatchSize,
      },
      (batch, context) => this.onBatch(batch, context),
    );
    try {
      await Promise.race([this.finished, stopped, subscription.done]);
    } finally {
      await subscription.stop();
    }
    await subscription.done;
    return this.done() ? 'finished' : 'stopped';
  }

  private done(): boolean {
    return this.plan.ends.every((end, p) => this.positions[p] >= end);
  }

  private async onBatch(batch: PartitionBatch, context: BatchContext): Promise<void> {
    const end = this.plan.ends[batch.partition] ?? 0;
    const { records, retrying } = recordsToProcess(batch);
    const inRange = records.filter((r) => r.offset < end);
    if (!inRange.length) {
      // Appended after the job started: not its business. Past them, so they are not handed over again.
      await context.commit(records[records.length - 1].offset + 1);
      this.reached(batch.partition, end);
      return;
    }
    const from = inRange[0].offset;
    const to = inRange[inRange.length - 1].offset;
    if (!retrying) await context.commit(from, JSON.stringify({ from, to }));
    const { rows, totals } = await this.reprice(pricedEvents(inRange));
    await this.deps.insert(
      rows,
      `restatement:${this.plan.id}:${batch.topic}:${batch.partition}:${from}-${to}`,
    );
    this.generations += rows.length;
    this.totals = {
      ingestedNanoUsd: this.totals.ingestedNanoUsd + totals.ingestedNanoUsd,
      restatedNanoUsd: this.totals.restatedNanoUsd + totals.restatedNanoUsd,
    };
    const position = inRange.length < records.length ? end : to + 1;
    this.positions[batch.partition] = Math.max(this.positions[batch.partition], position);
    await this.deps.progress(this.positions, this.generations, this.totals);
    await context.commit(to + 1);
    this.reached(batch.partition, position);
    if (!this.done()) await this.paced();
  }

  /** Waits until this run is back within `maxGenerationsPerSecond`; a cancel ends the wait. */
  private async paced(): Promise<void> {
    const { maxGenerationsPerSecond: rate, monotonicMs, sleep } = this.deps;
    if (!rate || !monotonicMs || !sleep || this.signal.aborted) return;
    const ahead = this.startedMs + (this.generations / rate) * 1000 - monotonicMs();
    if (ahead > 0) await sleep(ahead, this.signal).catch(() => undefined);
  }

  private reached(partition: number, position: number): void {
    this.positions[partition] = Math.max(this.positions[partition], position);
    if (this.done()) this.finish();
  }

  private async reprice(
    priced: readonly SightlineEvent[],
  ): Promise<{ rows: RestatedCostRow[]; totals: CostTotals }> {
    const kept = priced.filter(this.deps.keep);
    const requests = await this.deps.findRequests(
      kept.filter(needsRequest).map((e) => ({ projectId: e.projectId, spanId: e.spanId })),
    );
    const rows = restatedRows(kept, requests, this.deps.priceOf, this.plan);
    return { rows, totals: restatedTotals(kept, rows) };
  }
}
