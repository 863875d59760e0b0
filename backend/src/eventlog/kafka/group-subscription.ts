import type { Consumer, EachBatchPayload } from 'kafkajs';
import {
  batchLength,
  type BatchHandler,
  type CommittedOffset,
  type ConsumeOptions,
  type PartitionBatch,
  type Subscription,
} from '../event-log';
import { Ending, noop, type Closable, type KafkaConnection } from './kafka-connection';
import { assertOffset, partitionKey, toLogRecord } from './kafka-records';

/** A commit as the group's coordinator knows it; offset -1 means the group never committed. */
interface KnownCommit {
  readonly offset: number;
  readonly metadata: string;
}

const NOTHING_COMMITTED: CommittedOffset = { offset: 0, metadata: '' };

/**
 * One consumer-group member. kafkajs keeps the fetch position itself; this class keeps it equal to
 * the group's committed offset after every handler call (`resolveOffset(committed - 1)`, with
 * `eachBatchAutoResolve: false`), so whatever a handler did not commit is fetched again.
 */
export class GroupSubscription implements Subscription, Closable {
  private readonly ending = new Ending();
  readonly done = this.ending.done;
  private state: 'running' | 'stopping' | 'ended' = 'running';
  private inHand: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  /** Committed offset + metadata per partition, as last read from the coordinator or committed here. */
  private readonly committed = new Map<string, KnownCommit>();
  /** Commits the coordinator acknowledged, per partition (from kafkajs's COMMIT_OFFSETS event). */
  private readonly acknowledged = new Map<string, number>();
  private readonly maxBatchSize: number;

  constructor(
    private readonly consumer: Consumer,
    private readonly options: ConsumeOptions,
    private readonly handler: BatchHandler,
    private readonly connection: KafkaConnection,
  ) {
    this.maxBatchSize = options.maxBatchSize ?? Number.POSITIVE_INFINITY;
  }

  async start(): Promise<void> {
    const { consumer } = this;
    // A new generation may have moved partitions: what we knew about their commits is stale.
    consumer.on(consumer.events.GROUP_JOIN, () => this.committed.clear());
    consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
      for (const { topic, partitions } of payload.topics) {
        for (const { partition } of partitions) {
          const key = partitionKey(topic, Number(partition));
          this.acknowledged.set(key, (this.acknowledged.get(key) ?? 0) + 1);
        }
      }
    });
    // kafkajs restarts itself after retriable failures (broker gone for a while); otherwise it has
    // already disconnected and the subscription is over.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) void this.end(payload.error);
    });
    this.connection.track(this);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => this.onBatch(payload),
      });
    } catch (error) {
      await this.end(error);
      throw error;
    }
  }

  stop(): Promise<void> {
    if (this.state === 'running') this.state = 'stopping';
    return this.end();
  }

  private end(error?: unknown): Promise<void> {
    this.stopping ??= (async () => {
      if (this.state === 'running') this.state = 'stopping';
      // Let the handler call in hand finish while kafkajs still runs: its commits must go through.
      await this.inHand;
      this.state = 'ended';
      await this.connection.release(this, this.consumer, this.ending, error);
    })();
    return this.stopping;
  }

  /** A method, not a field read, so TypeScript does not narrow it across awaits. */
  private is(state: GroupSubscription['state']): boolean {
    return this.state === state;
  }

  private async onBatch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    if (!this.is('running')) return;
    const { topic, partition } = batch;
    const key = partitionKey(topic, partition);
    const records = batch.messages.map((m) => toLogRecord(topic, partition, m));
    try {
      for (let i = 0; i < records.length;) {
        const chunk = records.slice(
          i,
          i + batchLength(records, i, this.maxBatchSize, this.options.maxBatchBytes),
        );
        i += chunk.length;
        const committed = await this.committedOf(topic, partition);
        if (!this.is('running')) return;
        const delivered = await this.deliver(
          {
            topic,
            partition,
            records: chunk,
            committed: committed.offset < 0 ? NOTHING_COMMITTED : committed,
          },
          heartbeat,
        );
        if (!delivered || !this.is('running')) return;
        // Whatever was not committed is delivered again, from the committed offset.
        if (this.committed.get(key)?.offset !== chunk[chunk.length - 1].offset + 1) return;
        // Throws when the group rebalances: kafkajs then rejoins and starts from committed offsets.
        await heartbeat();
      }
    } finally {
      const position = this.committed.get(key)?.offset ?? -1;
      if (position >= 0 && !this.is('ended')) {
        try {
          resolveOffset(String(position - 1)); // next fetch of this partition starts at `position`
        } catch {
          // The partition left this member in a rebalance; its next owner reads the committed offset.
        }
      }
    }
  }

  /** Runs one handler call, heartbeating meanwhile; false if the handler threw (the subscription ends). */
  private async deliver(batch: PartitionBatch, heartbeat: () => Promise<void>): Promise<boolean> {
    const beat = setInterval(() => void heartbeat().catch(noop), this.connection.heartbeatIntervalMs);
    const call = Promise.resolve().then(() =>
      this.handler(batch, {
        commit: (offset, metadata) => this.commit(batch.topic, batch.partition, offset, metadata),
      }),
    );
    this.inHand = call.then(noop, noop);
    try {
      await call;
      return true;
    } catch (error) {
      // A crash: no commit, no retry by kafkajs; `done` rejects once the member has left.
      this.state = 'stopping';
      void this.end(error);
      return false;
    } finally {
      clearInterval(beat);
      this.inHand = undefined;
    }
  }

  private async commit(topic: string, partition: number, offset: number, metadata = ''): Promise<void> {
    assertOffset(offset, 'commit offset');
    if (this.state === 'ended') {
      throw new Error(`cannot commit ${topic}[${partition}]@${offset}: the subscription has ended`);
    }
    const key = partitionKey(topic, partition);
    const before = this.acknowledged.get(key) ?? 0;
    await this.consumer.commitOffsets([{ topic, partition, offset: String(offset), metadata }]);
    // kafkajs returns without committing when its runner is no longer running: detect it.
    if ((this.acknowledged.get(key) ?? 0) === before) {
      throw new Error(`commit of ${topic}[${partition}]@${offset} was not applied: the consumer stopped`);
    }
    this.committed.set(key, { offset, metadata });
  }

  private async committedOf(topic: string, partition: number): Promise<KnownCommit> {
    const key = partitionKey(topic, partition);
    const known = this.committed.get(key);
    if (known) return known;
    const admin = await this.connection.getAdmin();
    const [fetched] = await admin.fetchOffsets({ groupId: this.options.group, topics: [topic] });
    for (const p of fetched?.partitions ?? []) {
      const k = partitionKey(topic, p.partition);
      if (!this.committed.has(k)) {
        this.committed.set(k, { offset: Number(p.offset), metadata: p.metadata ?? '' });
      }
    }
    return this.committed.get(key) ?? { offset: -1, metadata: '' };
  }
}
