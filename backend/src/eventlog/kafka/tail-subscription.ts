import type { Consumer } from 'kafkajs';
import type { LogRecord, Subscription, TailListener, TailOptions } from '../event-log';
import { Ending, type Closable, type KafkaConnection } from './kafka-connection';
import { partitionKey, toLogRecord } from './kafka-records';
import { topicOffsets } from './topic-admin';

/**
 * A member of a throwaway group that starts at the end offsets read before it joined and never
 * commits; after any rejoin it seeks back to where it was.
 */
export class TailSubscription implements Subscription, Closable {
  private readonly ending = new Ending();
  readonly done = this.ending.done;
  private running = true;
  private stopping: Promise<void> | undefined;
  private readonly positions = new Map<string, number>();

  constructor(
    private readonly consumer: Consumer,
    private readonly topics: readonly string[],
    private readonly onRecords: TailListener,
    private readonly options: TailOptions,
    private readonly connection: KafkaConnection,
  ) {}

  async start(): Promise<void> {
    const { consumer } = this;
    this.connection.track(this);
    try {
      const admin = await this.connection.getAdmin();
      for (const topic of this.topics) {
        for (const { partition, low, high } of await topicOffsets(admin, topic)) {
          this.positions.set(partitionKey(topic, partition), Number(this.options.fromBeginning ? low : high));
        }
      }
      // Emitted synchronously after the assignment and before the first fetch: seeks land in time.
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
          for (const partition of partitions) {
            const position = this.positions.get(partitionKey(topic, partition));
            if (position !== undefined) consumer.seek({ topic, partition, offset: String(position) });
          }
        }
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) void this.end(payload.error);
      });
      // A fetch that held only transaction markers (or aborted records) never reaches eachBatch.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.batchSize === 0) this.deliver(payload.topic, payload.partition, [], payload.lastOffset);
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.topics], fromBeginning: !!this.options.fromBeginning });
      // run() resolves after the first join and sync, so positions are fixed when tail() returns.
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const records = batch.messages.map((m) => toLogRecord(batch.topic, batch.partition, m));
          this.deliver(batch.topic, batch.partition, records, batch.lastOffset());
        },
      });
    } catch (error) {
      await this.end(error);
      throw error;
    }
  }

  /** `lastOffset`: the last offset the fetch covered, records or markers. */
  private deliver(topic: string, partition: number, records: LogRecord[], lastOffset: string): void {
    if (!this.running) return;
    const nextOffset = Number(lastOffset) + 1;
    this.positions.set(partitionKey(topic, partition), nextOffset);
    try {
      this.onRecords(records, { topic, partition, nextOffset });
    } catch (error) {
      this.running = false;
      void this.end(error);
    }
  }

  stop(): Promise<void> {
    return this.end();
  }

  private end(error?: unknown): Promise<void> {
    this.running = false;
    this.stopping ??= this.connection.release(this, this.consumer, this.ending, error);
    return this.stopping;
  }
}
