import { assertNever } from '../common/assert-never';
import { ConflictError } from '../common/errors';

/**
 * A restatement job as the fold of its records (table `restatement_log`). Pure: time and ids come
 * in with the records. `projectId` '' means every project (started from the CLI by an operator).
 */
export type JobRecord =
  | {
      readonly kind: 'started';
      readonly at: string;
      readonly data: {
        readonly idempotencyKey: string;
        /** Per partition of the LLM topic, the end offset when the job started: it re-prices up to there. */
        readonly ends: readonly number[];
      };
    }
  | {
      readonly kind: 'progress';
      readonly at: string;
      readonly data: {
        /** Per partition, the next offset to read. */
        readonly positions: readonly number[];
        /** Generations re-priced by this run so far (since the job started or resumed). */
        readonly generations: number;
        /**
         * What those generations cost at ingestion and restated, nano-USD decimal strings (this run so
         * far, like `generations`); absent in records written before totals were kept.
         */
        readonly ingestedNanoUsd?: string;
        readonly restatedNanoUsd?: string;
      };
    }
  | { readonly kind: 'cancelled'; readonly at: string; readonly data: Record<string, never> }
  | { readonly kind: 'resumed'; readonly at: string; readonly data: Record<string, never> }
  | { readonly kind: 'finished'; readonly at: string; readonly data: Record<string, never> }
  | { readonly kind: 'failed'; readonly at: string; readonly data: { readonly message: string } };

export type JobStatus = 'running' | 'cancelled' | 'finished' | 'failed';

export interface RestatementJob {
  readonly id: string;
  readonly projectId: string;
  readonly idempotencyKey: string;
  readonly status: JobStatus;
  /** ISO times. */
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
  readonly ends: readonly number[];
  readonly positions: readonly number[];
  /** Log records (events of every project) to read; `eventsDone` of them read. */
  readonly eventsTotal: number;
  readonly eventsDone: number;
  /** Generations re-priced, over every run of the job. */
  readonly generations: number;
  /** What they cost at ingestion and restated, over every run: nano-USD decimal strings (an unpriced cost counts as 0). */
  readonly ingestedNanoUsd: string;
  readonly restatedNanoUsd: string;
  readonly error: string | null;
  /** Where the current run began: rates are measured from there, run totals added to its figures. */
  readonly run: {
    readonly at: string;
    readonly eventsDone: number;
    readonly generations: number;
    readonly ingestedNanoUsd: string;
    readonly restatedNanoUsd: string;
  };
  /** Generations re-priced by the current run (progress records count per run). */
  readonly runGenerations: number;
}

/** Nano-USD decimal strings added exactly. */
const plus = (a: string, b: string | undefined): string => (BigInt(a) + BigInt(b ?? '0')).toString();

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

function eventsDone(ends: readonly number[], positions: readonly number[]): number {
  return sum(ends.map((end, p) => Math.min(positions[p] ?? 0, end)));
}

/** The job after one more record; `undefined` before its `started` record. */
export function evolve(
  job: RestatementJob | undefined,
  id: string,
  projectId: string,
  record: JobRecord,
): RestatementJob | undefined {
  if (record.kind === 'started') {
    if (job) return job;
    const ends = record.data.ends;
    return {
      id,
      projectId,
      idempotencyKey: record.data.idempotencyKey,
      status: 'running',
      startedAt: record.at,
      updatedAt: record.at,
      finishedAt: null,
      ends,
      positions: ends.map(() => 0),
      eventsTotal: sum(ends),
      eventsDone: 0,
      generations: 0,
      ingestedNanoUsd: '0',
      restatedNanoUsd: '0',
      error: null,
      run: { at: record.at, eventsDone: 0, generations: 0, ingestedNanoUsd: '0', restatedNanoUsd: '0' },
      runGenerations: 0,
    };
  }
  if (!job) return undefined;
  const updated = { ...job, updatedAt: record.at };
  switch (record.kind) {
    case 'progress': {
      const positions = job.ends.map((_, p) =>
        Math.max(job.positions[p] ?? 0, record.data.positions[p] ?? 0),
      );
      return {
        ...updated,
        positions,
        eventsDone: eventsDone(job.ends, positions),
        generations: job.run.generations + record.data.generations,
        ingestedNanoUsd: plus(job.run.ingestedNanoUsd, record.data.ingestedNanoUsd),
        restatedNanoUsd: plus(job.run.restatedNanoUsd, record.data.restatedNanoUsd),
        runGenerations: record.data.generations,
      };
    }
    case 'resumed':
      return {
        ...updated,
        status: 'running',
        error: null,
        finishedAt: null,
        run: {
          at: record.at,
          eventsDone: job.eventsDone,
          generations: job.generations,
          ingestedNanoUsd: job.ingestedNanoUsd,
          restatedNanoUsd: job.restatedNanoUsd,
        },
        runGenerations: 0,
      };
    case 'cancelled':
      return job.status === 'running' ? { ...updated, status: 'cancelled' } : job;
    case 'finished':
      return { ...updated, status: 'finished', finishedAt: record.at, eventsDone: job.eventsTotal };
    case 'failed':
      return { ...updated, status: 'failed', finishedAt: record.at, error: record.data.message };
    default:
      return assertNever(record);
  }
}

/** Fold a job's records, oldest first. */
export function fold(
  id: string,
  projectId: string,
  records: readonly JobRecord[],
): RestatementJob | undefined {
  return records.reduce<RestatementJob | undefined>((job, r) => evolve(job, id, projectId, r), undefined);
}

export interface JobProgress {
  readonly eventsDone: number;
  readonly eventsTotal: number;
  /** 0..1 */
  readonly fraction: number;
  /** Over the current run; null before anything was measured. */
  readonly eventsPerSecond: number | null;
  readonly generationsPerSecond: number | null;
  /** Seconds left at the current rate; 0 once ended, null when unknown. */
  readonly etaSeconds: number | null;
}

/** Done/total, rates over the current run and the time left. */
export function progressOf(job: RestatementJob): JobProgress {
  const fraction = job.eventsTotal ? job.eventsDone / job.eventsTotal : 1;
  const seconds = (Date.parse(job.updatedAt) - Date.parse(job.run.at)) / 1000;
  const read = job.eventsDone - job.run.eventsDone;
  const eventsPerSecond = seconds > 0 && read > 0 ? read / seconds : null;
  const generationsPerSecond = seconds > 0 && read > 0 ? job.runGenerations / seconds : null;
  const left = job.eventsTotal - job.eventsDone;
  const etaSeconds =
    job.status !== 'running' || left <= 0 ? 0 : eventsPerSecond ? left / eventsPerSecond : null;
  return {
    eventsDone: job.eventsDone,
    eventsTotal: job.eventsTotal,
    fraction,
    eventsPerSecond,
    generationsPerSecond,
    etaSeconds,
  };
}

/** A running job can be cancelled; its checkpoint stays, so it can be resumed. */
export function decideCancel(job: RestatementJob, at: string): JobRecord {
  if (job.status !== 'running')
    throw new ConflictError(`restatement ${job.id} is ${job.status}, not running`, 'not_running');
  return { kind: 'cancelled', at, data: {} };
}

/**
 * A cancelled or failed job resumes from its checkpoint; so does a running one that no process
 * runs any more (`active` false: its process stopped or crashed).
 */
export function decideResume(job: RestatementJob, active: boolean, at: string): JobRecord {
  const resumable =
    job.status === 'cancelled' || job.status === 'failed' || (job.status === 'running' && !active);
  if (!resumable)
    throw new ConflictError(`restatement ${job.id} is ${job.status}; it cannot be resumed`, 'not_resumable');
  return { kind: 'resumed', at, data: {} };
}
