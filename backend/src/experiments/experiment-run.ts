import { isDomainError } from '../common/errors';
import type { ReplayOutcome } from './replay-port';

/** One generation to replay under one configuration, with the estimated cost of doing so. */
export interface RunItem {
  readonly generationId: string;
  readonly configurationId: string;
  readonly estimateNanoUsd: bigint;
}

/** What became of one item: the checkpoint's row. */
export interface ItemResult {
  readonly generationId: string;
  readonly configurationId: string;
  /** '' when the replay was refused before anything was recorded. */
  readonly replayGenerationId: string;
  readonly status: 'completed' | 'failed';
  readonly costNanoUsd: bigint | null;
  readonly latencyMs: number | null;
  readonly errorCode: string;
  /** ISO time. */
  readonly recordedAt: string;
}

export interface RunDependencies {
  /** Replay one item; resolves with its outcome (a thrown typed error counts as a failed item). */
  readonly replay: (item: RunItem) => Promise<ReplayOutcome>;
  /** Write results to the checkpoint (in batches; the run waits for each write). */
  readonly record: (results: readonly ItemResult[]) => Promise<void>;
  /** Called after each item ends, before it is written. */
  readonly onResult: (result: ItemResult) => void;
  readonly now: () => Date;
  /** Results written together; fewer at the end or after `flushMs`. */
  readonly batchSize?: number;
  readonly flushMs?: number;
}

export interface RunPlan {
  /** The items still to replay, in order. */
  readonly items: readonly RunItem[];
  readonly concurrency: number;
  readonly budgetNanoUsd: bigint;
  /** Spent by earlier runs of the experiment. */
  readonly spentNanoUsd: bigint;
}

/** `finished`: every item ended; `stopped`: cancelled (in-flight ones ended and were written); `budget`: the next would pass it. */
export type RunOutcome = 'finished' | 'stopped' | 'budget';

/**
 * Whether another request may start: what was spent, plus the estimates of those in flight, plus
 * its own estimate, stays within the budget. Pure.
 */
export function mayStart(budget: bigint, spent: bigint, inFlight: bigint, next: bigint): boolean {
  return spent + inFlight + next <= budget;
}

/** The checkpoint row of an outcome (an unpriced replay counts as spending nothing). */
export function resultOf(item: RunItem, outcome: ReplayOutcome, at: Date): ItemResult {
  return {
    generationId: item.generationId,
    configurationId: item.configurationId,
    replayGenerationId: outcome.generationId,
    status: outcome.status,
    costNanoUsd: outcome.costNanoUsd,
    latencyMs: outcome.latencyMs,
    errorCode: outcome.status === 'failed' ? (outcome.error?.code ?? 'replay_failed') : '',
    recordedAt: at.toISOString(),
  };
}

function failedOutcome(item: RunItem, error: unknown): ReplayOutcome {
  const code = isDomainError(error) ? error.reason : 'replay_error';
  const message = error instanceof Error ? error.message : String(error);
  return {
    generationId: '',
    traceId: '',
    replayOf: item.generationId,
    status: 'failed',
    costNanoUsd: null,
    latencyMs: null,
    error: { code, message },
  };
}

/**
 * One run of an experiment: replays its pending items, at most `concurrency` at a time, never
 * starting one the budget cannot cover ({@link mayStart}). When `signal` aborts it starts nothing
 * more, lets those in flight end and writes them: a resume never replays an item twice.
 */
export class ExperimentRun {
  private spent: bigint;
  private inFlightEstimate = 0n;
  private readonly inFlight = new Set<Promise<void>>();
  private buffer: ItemResult[] = [];
  private lastFlush: number;
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly deps: RunDependencies,
    private readonly plan: RunPlan,
  ) {
    this.spent = plan.spentNanoUsd;
    this.lastFlush = deps.now().getTime();
  }

  async run(signal: AbortSignal): Promise<RunOutcome> {
    const aborted = new Promise<void>((resolve) =>
      signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    let next = 0;
    let outcome: RunOutcome = 'finished';
    while (next < this.plan.items.length && this.failure === undefined) {
      if (signal.aborted) {
        outcome = 'stopped';
        break;
      }
      const item = this.plan.items[next];
      const full = this.inFlight.size >= this.plan.concurrency;
      const affordable = mayStart(
        this.plan.budgetNanoUsd,
        this.spent,
        this.inFlightEstimate,
        item.estimateNanoUsd,
      );
      if (!full && affordable) {
        this.start(item);
        next++;
        continue;
      }
      if (!this.inFlight.size) {
        outcome = 'budget';
        break;
      }
      await Promise.race([...this.inFlight, aborted]);
    }
    await Promise.all(this.inFlight);
    await this.flush();
    if (this.failure !== undefined) throw this.failure;
    return outcome;
  }

  private start(item: RunItem): void {
    this.inFlightEstimate += item.estimateNanoUsd;
    const task = this.deps
      .replay(item)
      .catch((error: unknown) => failedOutcome(item, error))
      .then((outcome) => {
        this.inFlightEstimate -= item.estimateNanoUsd;
        this.spent += outcome.costNanoUsd ?? 0n;
        const result = resultOf(item, outcome, this.deps.now());
        this.deps.onResult(result);
        this.buffer.push(result);
        const due = this.deps.now().getTime() - this.lastFlush >= (this.deps.flushMs ?? 500);
        if (this.buffer.length >= (this.deps.batchSize ?? 200) || due) void this.flush();
      })
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  /** Writes what ended, one batch at a time; a failed write stops the run (it rethrows it). */
  private flush(): Promise<void> {
    this.writing = this.writing
      .then(async () => {
        const batch = this.buffer;
        this.buffer = [];
        this.lastFlush = this.deps.now().getTime();
        if (batch.length) await this.deps.record(batch);
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      });
    return this.writing;
  }
}
