import { randomUUID } from 'node:crypto';
import {
  Kafka,
  logLevel as KafkaLogLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type Producer,
  type logCreator as LogCreator,
  type RetryOptions,
} from 'kafkajs';
import { consoleLogCreator } from './kafka-log';

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

export const noop = (): void => undefined;

/** What a lingering fetch waits for: about a thousand recorded events. */
const LINGER_MIN_BYTES = 1 << 20;

/** Something the connection stops when the log closes: a subscription, a read, an appender. */
export interface Closable {
  stop(): Promise<void>;
}

/** Settles once; `done` never counts as an unhandled rejection on its own. */
export class Ending {
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

/**
 * The lifecycle every part of the Kafka adapter shares: one kafkajs client, an admin and an
 * idempotent producer connected on first use (and again after a failed connect), the consumer
 * settings, and the open subscriptions, reads and appenders that `close()` stops first.
 */
export class KafkaConnection {
  readonly kafka: Kafka;
  readonly clientId: string;
  readonly heartbeatIntervalMs: number;
  private readonly consumerConfig: {
    sessionTimeout: number;
    rebalanceTimeout: number;
    heartbeatInterval: number;
    maxWaitTimeInMs: number;
    retry?: RetryOptions;
  };
  private admin: Promise<Admin> | undefined;
  private producer: Promise<Producer> | undefined;
  private readonly open = new Set<Closable>();
  private closed = false;

  constructor(readonly options: KafkaEventLogOptions) {
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
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 1000;
    this.consumerConfig = {
      sessionTimeout: options.sessionTimeoutMs ?? 10000,
      rebalanceTimeout: options.rebalanceTimeoutMs ?? 10000,
      heartbeatInterval: this.heartbeatIntervalMs,
      maxWaitTimeInMs: options.maxWaitTimeMs ?? 500,
      retry: options.retry,
    };
  }

  assertOpen(): void {
    if (this.closed) throw new Error('KafkaEventLog is closed');
  }

  /**
   * A consumer of `group`, or of a throwaway group of its own (`{ throwaway: 'tail' }`). With
   * `lingerMs`, each fetch waits on the broker up to that long for a full fetch (`minBytes`) instead
   * of returning on the first byte.
   */
  consumer(group: string | { throwaway: string }, lingerMs = 0): Consumer {
    this.assertOpen();
    const groupId = typeof group === 'string' ? group : `${this.clientId}.${group.throwaway}.${randomUUID()}`;
    const linger = lingerMs > 0 ? { minBytes: LINGER_MIN_BYTES, maxWaitTimeInMs: lingerMs } : {};
    return this.kafka.consumer({ groupId, ...this.consumerConfig, ...linger });
  }

  track(closable: Closable): void {
    this.open.add(closable);
  }

  untrack(closable: Closable): void {
    this.open.delete(closable);
  }
  /** The last step of a subscription: disconnect its consumer, forget it, settle `done` (with the first error). */
  async release(closable: Closable, consumer: Consumer, ending: Ending, error?: unknown): Promise<void> {
    try {
      await consumer.disconnect();
    } catch (disconnectError) {
      error ??= disconnectError;
    }
    this.untrack(closable);
    ending.finish(error);
  }

  getAdmin(): Promise<Admin> {
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

  getProducer(): Promise<Producer> {
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

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.open].map((c) => c.stop()));
    const producer = this.producer;
    const admin = this.admin;
    this.producer = undefined;
    this.admin = undefined;
    await Promise.all([
      producer?.then((p) => p.disconnect()).catch(noop),
      admin?.then((a) => a.disconnect()).catch(noop),
    ]);
  }
}
