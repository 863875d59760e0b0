import { randomUUID } from 'node:crypto';
import {
  Kafka,
  logLevel as KafkaLogLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type KafkaMessage,
  type LogEntry,
  type logCreator as LogCreator,
  type Producer,
  type RetryOptions,
} from 'kafkajs';
import {
  EventLog,
  type AppendRecord,
  type BatchHandler,
  type CommittedOffset,
  type ConsumeOptions,
  type LogRecord,
  type PartitionBatch,
  type Subscription,
  type TailListener,
  type TailOptions,
  type TopicSpec,
} from '../event-log';
import { ConditionalAppender } from './conditional-append';

export interface KafkaEventLogOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** kafkajs log level; default WARN. */
  readonly logLevel?: KafkaLogLevel;
  /** Where kafkajs logs go; default: JSON lines on the console, like kafkajs, minus rebalance noise. */
  readonly logCreator?: LogCreator;
  /** Replication factor of topics created by `ensureTopics`; default 1. */
  readonly replicationFactor?: number;
  /** Consumer group session timeout; default 10 s. */
  readonly sessionTimeoutMs?: number;
  /** How long the coordinator waits for members to rejoin in a rebalance; default 10 s. */
  readonly rebalanceTimeoutMs?: number;
  /** Default 1 s; also the heartbeat period while a handler runs. */
  readonly heartbeatIntervalMs?: number;
  /**
   * Longest time an idle fetch waits on the broker; default 500 ms. It bounds how long `stop()`
   * waits for a fetch in flight, not the latency of new records (fetches return on the first byte).
   */
  readonly maxWaitTimeMs?: number;
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** Retries of kafkajs's own requests (not of handlers). */
  readonly retry?: RetryOptions;
  /** Upper bound for `read()`; default 30 s. */
  readonly readTimeoutMs?: number;
}

const noop = (): void => undefined;

/** Transaction requests whose failures conditional appends expect and handle (races, fencing). */
const TRANSACTION_RESPONSE = /^Response (InitProducerId|AddPartitionsToTxn|EndTxn)\(/;
const TRANSACTION_RACE = /old epoch|concurrent operation on the same transaction/;

/** kafkajs errors that are the normal course of things, not failures. */
function isRoutine({ namespace, log }: LogEntry): boolean {
  const error = String(log.error);
  if (namespace === 'Connection') {
    // A heartbeat answered "rebalancing" is how a member learns about a rebalance.
    if (log.message.startsWith('Response Heartbeat')) return error.includes('rebalancing');
    return TRANSACTION_RESPONSE.test(log.message);
  }
  return namespace === 'Producer' && TRANSACTION_RACE.test(`${log.message} ${error}`);
}

/**
 * kafkajs's console logger, except that routine errors — a rebalance announced to a heartbeat, a
 * conditional append that lost a race — are logged at DEBUG rather than ERROR.
 */
export const consoleLogCreator: LogCreator = (configured) => (entry: LogEntry) => {
  const { namespace, level, label, log } = entry;
  const benign = level === KafkaLogLevel.ERROR && isRoutine(entry);
  if (benign && configured < KafkaLogLevel.DEBUG) return;
  const line = JSON.stringify({
    ...log,
    level: benign ? 'DEBUG' : label,
    message: `${namespace ? `[${namespace}] ` : ''}${log.message}`,
  });
  if (benign || level === KafkaLogLevel.DEBUG) console.debug(line);
  else if (level === KafkaLogLevel.INFO) console.info(line);
  else if (level === KafkaLogLevel.WARN) console.warn(line);
  else console.error(line);
};

const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

function toLogRecord(topic: string, partition: number, message: KafkaMessage): LogRecord {
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key ? message.key.toString('utf8') : '',
    value: message.value ?? Buffer.alloc(0),
    timestamp: Number(message.timestamp),
  };
}

function assertOffset(offset: number, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${offset}`);
  }
}

/** A commit as the group's coordinator knows it; offset -1 means the group never committed. */
interface KnownCommit {
  readonly offset: number;
  readonly metadata: string;
}

const NOTHING_COMMITTED: CommittedOffset = { offset: 0, metadata: '' };

/** Settles once; `done` never counts as an unhandled rejection on its own. */
class Ending {
  readonly done: Promise<void>;
  private settle!: (error?: unknown) => void;

  constructor() {
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.done.catch(noop);
  }

  finish(error?: unknown): void {
    this.settle(error);
  }
}

interface Registry {
  add(subscription: Closable): void;
  remove(subscription: Closable): void;
}

interface Closable {
  stop(): Promise<void>;
}

interface ConsumerSettings {
  readonly heartbeatIntervalMs: number;
  readonly getAdmin: () => Promise<Admin>;
  readonly registry: Registry;
}

/**
 * One consumer-group member. kafkajs keeps the fetch position itself; this class keeps it equal to
 * the group's committed offset after every handler call (`resolveOffset(committed - 1)`, with
 * `eachBatchAutoResolve: false`), so whatever a handler did not commit is fetched again.
 */
class GroupSubscription implements Subscription, Closable {
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
    private readonly settings: ConsumerSettings,
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
    this.settings.registry.add(this);
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
      try {
        await this.consumer.disconnect();
      } catch (disconnectError) {
        error ??= disconnectError;
      }
      this.settings.registry.remove(this);
      this.ending.finish(error);
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
      for (let i = 0; i < records.length; i += this.maxBatchSize) {
        const chunk = records.slice(i, i + this.maxBatchSize);
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
    const beat = setInterval(() => void heartbeat().catch(noop), this.settings.heartbeatIntervalMs);
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
    const admin = await this.settings.getAdmin();
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

/**
 * A member of a throwaway group that starts at the end offsets read before it joined and never
 * commits; after any rejoin it seeks back to where it was.
 */
class TailSubscription implements Subscription, Closable {
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
    private readonly settings: ConsumerSettings,
  ) {}

  async start(): Promise<void> {
    const { consumer } = this;
    this.settings.registry.add(this);
    try {
      const admin = await this.settings.getAdmin();
      for (const topic of this.topics) {
        for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
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
    this.stopping ??= (async () => {
      try {
        await this.consumer.disconnect();
      } catch (disconnectError) {
        error ??= disconnectError;
      }
      this.settings.registry.remove(this);
      this.ending.finish(error);
    })();
    return this.stopping;
  }
}

/** The event log on Apache Kafka (kafkajs): one idempotent producer, one consumer per subscription. */
export class KafkaEventLog extends EventLog {
  private readonly kafka: Kafka;
  private readonly clientId: string;
  private admin: Promise<Admin> | undefined;
  private producer: Promise<Producer> | undefined;
  private readonly appenders = new Map<string, ConditionalAppender>();
  private readonly subscriptions = new Set<Closable>();
  private closed = false;
  private readonly settings: ConsumerSettings;
  private readonly consumerConfig: {
    sessionTimeout: number;
    rebalanceTimeout: number;
    heartbeatInterval: number;
    maxWaitTimeInMs: number;
    retry?: RetryOptions;
  };

  constructor(private readonly options: KafkaEventLogOptions) {
    super();
    if (!options.brokers.length) throw new Error('KafkaEventLog needs at least one broker');
    this.clientId = options.clientId ?? 'sightline';
    this.kafka = new Kafka({
      brokers: [...options.brokers],
      clientId: this.clientId,
      logLevel: options.logLevel ?? KafkaLogLevel.WARN,
      logCreator: options.logCreator ?? consoleLogCreator,
      connectionTimeout: options.connectionTimeoutMs ?? 3000,
      requestTimeout: options.requestTimeoutMs ?? 30000,
      retry: options.retry,
    });
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1000;
    this.consumerConfig = {
      sessionTimeout: options.sessionTimeoutMs ?? 10000,
      rebalanceTimeout: options.rebalanceTimeoutMs ?? 10000,
      heartbeatInterval: heartbeatIntervalMs,
      maxWaitTimeInMs: options.maxWaitTimeMs ?? 500,
      retry: options.retry,
    };
    this.settings = {
      heartbeatIntervalMs,
      getAdmin: () => this.getAdmin(),
      registry: {
        add: (s) => this.subscriptions.add(s),
        remove: (s) => this.subscriptions.delete(s),
      },
    };
  }

  override async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = new Map<string, TopicSpec>();
    for (const spec of specs) if (!existing.has(spec.name)) missing.set(spec.name, spec);
    if (!missing.size) return;
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [...missing.values()].map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor: this.options.replicationFactor ?? 1,
        configEntries: [
          ...(spec.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []),
          ...(spec.retentionMs !== undefined
            ? [{ name: 'retention.ms', value: String(spec.retentionMs) }]
            : []),
        ],
      })),
    });
    // false: someone else created (some of) them meanwhile, and kafkajs skipped waiting for leaders.
    if (!created) await this.waitForLeaders(admin, [...missing.keys()]);
  }

  override async append(topic: string, records: readonly AppendRecord[]): Promise<void> {
    if (!records.length) return;
    const producer = await this.getProducer();
    await producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({ key: r.key, value: r.value })),
    });
  }

  override async appendExpecting(
    topic: string,
    expectedEnd: number,
    records: readonly AppendRecord[],
  ): Promise<number> {
    this.assertOpen();
    assertOffset(expectedEnd, 'expectedEnd');
    let appender = this.appenders.get(topic);
    if (!appender) {
      const [metadata] = (await (await this.getAdmin()).fetchTopicMetadata({ topics: [topic] })).topics;
      if (metadata.partitions.length !== 1) {
        throw new RangeError(`conditional appends need a one-partition topic; ${topic} has more`);
      }
      appender =
        this.appenders.get(topic) ??
        new ConditionalAppender(this.kafka, topic, `sightline.append-expecting.${topic}`);
      this.appenders.set(topic, appender);
    }
    return appender.append(expectedEnd, records);
  }

  override async consume(options: ConsumeOptions, handler: BatchHandler): Promise<Subscription> {
    this.assertOpen();
    if (
      options.maxBatchSize !== undefined &&
      (!Number.isSafeInteger(options.maxBatchSize) || options.maxBatchSize < 1)
    ) {
      throw new RangeError(`maxBatchSize must be a positive integer, got ${options.maxBatchSize}`);
    }
    const consumer = this.kafka.consumer({ groupId: options.group, ...this.consumerConfig });
    const subscription = new GroupSubscription(consumer, options, handler, this.settings);
    await subscription.start();
    return subscription;
  }

  override async tail(
    topics: readonly string[],
    onRecords: TailListener,
    options: TailOptions = {},
  ): Promise<Subscription> {
    this.assertOpen();
    const consumer = this.kafka.consumer({ groupId: this.throwawayGroup('tail'), ...this.consumerConfig });
    const subscription = new TailSubscription(consumer, topics, onRecords, options, this.settings);
    await subscription.start();
    return subscription;
  }

  override async read(
    topic: string,
    partition: number,
    fromOffset: number,
    limit: number,
  ): Promise<LogRecord[]> {
    this.assertOpen();
    assertOffset(fromOffset, 'fromOffset');
    if (limit <= 0) return [];
    const admin = await this.getAdmin();
    const offsets = await admin.fetchTopicOffsets(topic);
    const bounds = offsets.find((o) => o.partition === partition);
    if (!bounds) throw new RangeError(`${topic} has no partition ${partition}`);
    const start = Math.max(fromOffset, Number(bounds.low));
    const end = Number(bounds.high);
    if (start >= end) return [];

    // kafkajs has no assign(): a throwaway group owns the topic for a moment and seeks.
    const consumer = this.kafka.consumer({ groupId: this.throwawayGroup('read'), ...this.consumerConfig });
    const found: LogRecord[] = [];
    let settle!: (error?: unknown) => void;
    const finished = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    finished.catch(noop);
    const timeoutMs = this.options.readTimeoutMs ?? 30000;
    const timer = setTimeout(() => {
      settle(new Error(`read of ${topic}[${partition}] from ${fromOffset} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const reading: Closable = {
      stop: async () => settle(new Error(`the log was closed during a read of ${topic}[${partition}]`)),
    };
    this.subscriptions.add(reading);
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const [t, partitions] of Object.entries(payload.memberAssignment)) {
        const others = partitions.filter((p) => t !== topic || p !== partition);
        if (others.length) consumer.pause([{ topic: t, partitions: others }]);
        if (t === topic && partitions.includes(partition)) {
          consumer.seek({ topic, partition, offset: String(start) });
        }
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) settle(payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (batch.partition !== partition) return;
          for (const message of batch.messages) {
            const record = toLogRecord(topic, partition, message);
            if (record.offset < start || found.length >= limit) continue;
            found.push(record);
            if (found.length >= limit || record.offset >= end - 1) settle();
          }
          // Control records or compaction can leave the last offsets without a message to hand over.
          if (Number(batch.lastOffset()) >= end - 1) settle();
        },
      });
      await finished;
      return found;
    } finally {
      clearTimeout(timer);
      this.subscriptions.delete(reading);
      await consumer.disconnect().catch(noop);
    }
  }

  override async endOffsets(topic: string): Promise<number[]> {
    const admin = await this.getAdmin();
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
  }

  override async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await Promise.all([...this.appenders.values()].map((a) => a.close()));
    this.appenders.clear();
    const producer = this.producer;
    const admin = this.admin;
    this.producer = undefined;
    this.admin = undefined;
    await Promise.all([
      producer?.then((p) => p.disconnect()).catch(noop),
      admin?.then((a) => a.disconnect()).catch(noop),
    ]);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('KafkaEventLog is closed');
  }

  private throwawayGroup(kind: string): string {
    return `${this.clientId}.${kind}.${randomUUID()}`;
  }

  private getAdmin(): Promise<Admin> {
    this.assertOpen();
    if (!this.admin) {
      const admin = this.kafka.admin({ retry: this.options.retry });
      const connecting = admin.connect().then(() => admin);
      this.admin = connecting;
      connecting.catch(() => {
        if (this.admin === connecting) this.admin = undefined; // try again on the next call
      });
    }
    return this.admin;
  }

  private getProducer(): Promise<Producer> {
    this.assertOpen();
    if (!this.producer) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      const connecting = producer.connect().then(() => producer);
      this.producer = connecting;
      connecting.catch(() => {
        if (this.producer === connecting) this.producer = undefined;
      });
    }
    return this.producer;
  }

  private async waitForLeaders(admin: Admin, topics: string[], timeoutMs = 10000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics }).catch(() => ({ topics: [] }));
      const ready =
        metadata.length === topics.length &&
        metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for leaders of ${topics.join(', ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
