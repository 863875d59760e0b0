import { Logger } from '@nestjs/common';
import type { SightlineEvent } from '@sightline/schemas';
import { createHash } from 'node:crypto';
import type { Clock } from '../common/clock';
import { NotFoundError } from '../common/errors';
import type { EventLog } from '../eventlog/event-log';
import { decideCancel, decideResume, evolve, type JobRecord, type RestatementJob } from './restatement-job';
import { RestatementRun, type RunOutcome } from './restatement-run';
import type { RestatementStore } from './restatement-store';
import type { PriceOf, RequestedModel } from './restated-rows';

export interface RestatementsDependencies {
  readonly log: EventLog;
  readonly topic: string;
  readonly store: RestatementStore;
  readonly clock: Clock;
  readonly priceOf: PriceOf;
  /** Whether an event may be read at all (its data was not deleted). */
  readonly readable: (event: SightlineEvent) => boolean;
  readonly findRequests: (
    spans: readonly { projectId: string; spanId: string }[],
  ) => Promise<Map<string, RequestedModel>>;
  readonly maxBatchSize?: number;
  /** See `RunDependencies.maxGenerationsPerSecond`; 0 or absent: no limit. */
  readonly maxGenerationsPerSecond?: number;
}

/** Thrown for a job id the project does not have. */
export class RestatementNotFoundError extends NotFoundError {
  override readonly name = 'RestatementNotFoundError';
  constructor(id: string) {
    super(`No restatement ${id} in this project`, 'restatement_not_found');
  }
}

const WATCH_POLL_MS = 1000;

interface Active {
  readonly controller: AbortController;
  readonly done: Promise<RunOutcome | 'failed'>;
}

/** The same project and key always name the same job: a retried start finds the first. */
export function restatementId(projectId: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`${projectId}\0${idempotencyKey}`).digest('hex');
  return `rst_${hex.slice(0, 24)}`;
}

/**
 * Starts, cancels and resumes restatement jobs and keeps the state of those this process runs.
 * A job's records go to the store first; its checkpoint is its consumer group's committed offsets.
 * `projectId` '' restates every project (operators, from the CLI).
 */
export class Restatements {
  private readonly logger = new Logger('Restatements');
  private readonly active = new Map<string, Active>();
  private readonly live = new Map<string, RestatementJob>();
  private readonly listeners = new Set<(job: RestatementJob) => void>();

  constructor(private readonly deps: RestatementsDependencies) {}

  /** Start a job over the log as it is now, or return the one this key already started. */
  async start(projectId: string, idempotencyKey: string): Promise<RestatementJob> {
    const id = restatementId(projectId, idempotencyKey);
    const existing = this.live.get(id) ?? (await this.deps.store.job(projectId, id));
    if (existing) return existing;
    const ends = await this.deps.log.endOffsets(this.deps.topic);
    const job = await this.record(projectId, id, {
      kind: 'started',
      at: this.now(),
      data: { idempotencyKey, ends },
    });
    this.launch(job);
    return job;
  }

  /** Stop a running job after the batch in hand; its checkpoint stays for a resume. */
  async cancel(projectId: string, id: string): Promise<RestatementJob> {
    const job = await this.job(projectId, id);
    const record = decideCancel(job, this.now());
    const active = this.active.get(id);
    active?.controller.abort();
    await active?.done;
    return this.record(projectId, id, record);
  }

  /** Go on from the checkpoint: a cancelled or failed job, or one whose process stopped. */
  async resume(projectId: string, id: string): Promise<RestatementJob> {
    const job = await this.job(projectId, id);
    const resumed = await this.record(projectId, id, decideResume(job, this.active.has(id), this.now()));
    this.launch(resumed);
    return resumed;
  }

  /** The job as this process last saw it, else as recorded. */
  async job(projectId: string, id: string): Promise<RestatementJob> {
    const live = this.live.get(id);
    const job = live?.projectId === projectId ? live : await this.deps.store.job(projectId, id);
    if (!job) throw new RestatementNotFoundError(id);
    return job;
  }

  jobs(projectId: string, limit: number): Promise<RestatementJob[]> {
    return this.deps.store.jobs(projectId, limit);
  }

  /** Whether this process runs the job now. */
  isActive(id: string): boolean {
    return this.active.has(id);
  }

  /** Called with the job's new state after each of its records this process writes. */
  onChange(listener: (job: RestatementJob) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The job now, then after each of its records, until it ends (polled when another process runs it). */
  async *watch(projectId: string, id: string): AsyncGenerator<RestatementJob> {
    let job = await this.job(projectId, id);
    yield job;
    while (job.status === 'running') {
      job = await this.nextChange(projectId, id);
      yield job;
    }
  }

  private nextChange(projectId: string, id: string): Promise<RestatementJob> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        this.job(projectId, id).then(resolve, reject);
      }, WATCH_POLL_MS);
      const off = this.onChange((job) => {
        if (job.id !== id) return;
        clearTimeout(timer);
        off();
        resolve(job);
      });
    });
  }

  /** Resume what was running when the process stopped. */
  async resumeUnfinished(): Promise<RestatementJob[]> {
    const jobs = (await this.deps.store.unfinished()).filter((j) => !this.active.has(j.id));
    return Promise.all(jobs.map((j) => this.resume(j.projectId, j.id)));
  }

  /** Stop every run after its batch in hand, leaving the jobs running in the record: a restart resumes them. */
  async stopAll(): Promise<void> {
    const runs = [...this.active.values()];
    runs.forEach((r) => r.controller.abort());
    await Promise.all(runs.map((r) => r.done));
  }

  /** Settles when the job's current run in this process ends. */
  async settled(id: string): Promise<void> {
    await this.active.get(id)?.done;
  }

  private launch(job: RestatementJob): void {
    const controller = new AbortController();
    const run = new RestatementRun(
      {
        log: this.deps.log,
        topic: this.deps.topic,
        priceOf: this.deps.priceOf,
        keep: (e) => (job.projectId === '' || e.projectId === job.projectId) && this.deps.readable(e),
        findRequests: this.deps.findRequests,
        insert: (rows, token) => this.deps.store.insertCosts(rows, token),
        progress: async (positions, generations, totals) => {
          await this.record(job.projectId, job.id, {
            kind: 'progress',
            at: this.now(),
            data: {
              positions: [...positions],
              generations,
              ingestedNanoUsd: totals.ingestedNanoUsd.toString(),
              restatedNanoUsd: totals.restatedNanoUsd.toString(),
            },
          });
        },
        maxBatchSize: batchSizeFor(this.deps.maxBatchSize ?? 10_000, this.deps.maxGenerationsPerSecond),
        maxGenerationsPerSecond: this.deps.maxGenerationsPerSecond,
        monotonicMs: () => this.deps.clock.monotonicMs(),
        sleep: (ms, signal) => this.deps.clock.sleep(ms, signal),
      },
      { id: job.id, version: Date.parse(job.startedAt), ends: job.ends, positions: job.positions },
    );
    const done = run
      .run(controller.signal)
      .then(async (outcome) => {
        if (outcome === 'finished')
          await this.record(job.projectId, job.id, { kind: 'finished', at: this.now(), data: {} });
        return outcome;
      })
      .catch(async (error: Error) => {
        this.logger.error(`restatement ${job.id} failed: ${error.message}`);
        await this.record(job.projectId, job.id, {
          kind: 'failed',
          at: this.now(),
          data: { message: error.message },
        }).catch(() => undefined);
        return 'failed' as const;
      })
      .finally(() => this.active.delete(job.id));
    this.active.set(job.id, { controller, done });
  }

  private async record(projectId: string, id: string, record: JobRecord): Promise<RestatementJob> {
    const before =
      this.live.get(id) ?? (record.kind === 'started' ? undefined : await this.deps.store.job(projectId, id));
    const job = evolve(before, id, projectId, record);
    if (!job) throw new RestatementNotFoundError(id);
    await this.deps.store.append(projectId, id, record);
    this.live.set(id, job);
    this.listeners.forEach((listener) => listener(job));
    return job;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}

/**
 * A run paces itself between batches, so with a rate limit a batch holds at most two seconds'
 * worth: one partition's whole backlog in one batch would be re-priced at once, unpaced. (Smaller
 * batches cost a statement each, also for the other projects' records a run reads past.)
 */
function batchSizeFor(maxBatchSize: number, maxGenerationsPerSecond: number | undefined): number {
  if (!maxGenerationsPerSecond) return maxBatchSize;
  return Math.max(1, Math.min(maxBatchSize, maxGenerationsPerSecond * 2));
}
