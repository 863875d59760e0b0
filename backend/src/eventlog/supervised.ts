import type { Logger } from '@nestjs/common';
import { consumeEvents, type EventBatch, type EventBatchContext } from './event-consumer';
import type { EventLog, Subscription } from './event-log';
import { applyStages, type IsPoison, type Stage } from './stages';

const RESTART_DELAY_MS = 1000;

export interface SupervisedConsumerOptions<T> {
  readonly group: string;
  readonly topics: readonly string[];
  readonly maxBatchSize?: number;
  /** See `ConsumeOptions.maxBatchBytes`. */
  readonly maxBatchBytes?: number;
  /** See `ConsumeOptions.lingerMs`. */
  readonly lingerMs?: number;
  decode(bytes: Buffer): T;
  /** Applied in order to every batch; see `applyStages`. */
  readonly stages: readonly Stage<T>[];
  /** Errors that mean "these events can never be taken": they are dead-lettered, not retried. */
  readonly isPoison: IsPoison;
  /** Events to process at all, asked at each batch. Default: all. */
  keep?(event: T): boolean;
}

/**
 * The one way to consume the log: batches with deterministic dedup tokens, committed after every
 * stage took them; events a stage refuses go to the dead-letter topic (counted and logged) and the
 * partition flows on. Any other failure restarts the consumer from the last commit after a pause,
 * until stopped; retried batches rely on their dedup tokens.
 */
export class SupervisedConsumer<T> {
  private subscription: Subscription | undefined;
  private stopping = false;
  private batches = 0;
  private deadLetters = 0;

  constructor(
    private readonly log: EventLog,
    private readonly options: SupervisedConsumerOptions<T>,
    private readonly logger: Logger,
  ) {}

  /** Batches every stage took since start. */
  get batchesApplied(): number {
    return this.batches;
  }

  /** Events sent to the dead-letter topic because a stage refused them, since start. */
  get deadLettered(): number {
    return this.deadLetters;
  }

  async run(): Promise<void> {
    const { group, topics, maxBatchSize, maxBatchBytes, lingerMs } = this.options;
    this.subscription = await consumeEvents<T>(
      this.log,
      { group, topics, maxBatchSize, maxBatchBytes, lingerMs },
      (batch, context) => this.handle(batch, context),
      (bytes) => this.options.decode(bytes),
    );
    this.subscription.done.catch((error: Error) => this.restartAfter(error));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
  }

  private async handle(batch: EventBatch<T>, context: EventBatchContext<T>): Promise<void> {
    const events = this.options.keep ? batch.events.filter((e) => this.options.keep!(e)) : batch.events;
    const refused = await applyStages(this.options.stages, { ...batch, events }, this.options.isPoison);
    if (refused.length) {
      const dead = await context.deadLetter(refused);
      this.deadLetters += dead.length;
      for (const d of dead) {
        this.logger.warn(
          `dead-lettered ${d.topic}/${d.partition}@${d.offset} (${this.deadLetters} so far): ${d.reason}: ${d.issues[0]?.message}`,
        );
      }
    }
    this.batches++;
  }

  private restartAfter(error: Error): void {
    if (this.stopping) return;
    this.logger.error(`consumer failed, restarting from the last commit: ${error.message}`);
    setTimeout(() => {
      if (!this.stopping) this.run().catch((e: Error) => this.restartAfter(e));
    }, RESTART_DELAY_MS).unref();
  }
}
