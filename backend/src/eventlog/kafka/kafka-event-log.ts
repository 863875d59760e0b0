import {
  EventLog,
  type AppendRecord,
  type BatchHandler,
  type ConsumeOptions,
  type LogRecord,
  type Subscription,
  type TailListener,
  type TailOptions,
  type TopicSpec,
} from '../event-log';
import { ConditionalAppender } from './conditional-append';
import { GroupSubscription } from './group-subscription';
import { KafkaConnection, type KafkaEventLogOptions } from './kafka-connection';
import { assertOffset } from './kafka-records';
import { readPartition } from './partition-reader';
import { TailSubscription } from './tail-subscription';
import { committedOffsets, endOffsets, ensureTopics } from './topic-admin';

export type { KafkaEventLogOptions } from './kafka-connection';
export { consoleLogCreator } from './kafka-log';

/**
 * The event log on Apache Kafka (kafkajs). One concern per file, over one shared connection
 * (`kafka-connection.ts`: client, admin, producer, what `close()` stops): consumer-group members
 * (`group-subscription.ts`), group-less tails (`tail-subscription.ts`), one-off reads
 * (`partition-reader.ts`), conditional appends (`conditional-append.ts`), topics (`topic-admin.ts`).
 */
export class KafkaEventLog extends EventLog {
  private readonly connection: KafkaConnection;
  private readonly appenders = new Map<string, Promise<ConditionalAppender>>();

  constructor(options: KafkaEventLogOptions) {
    super();
    this.connection = new KafkaConnection(options);
  }

  override ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    return ensureTopics(this.connection, specs);
  }

  override async append(topic: string, records: readonly AppendRecord[]): Promise<void> {
    if (!records.length) return;
    const producer = await this.connection.getProducer();
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
    this.connection.assertOpen();
    assertOffset(expectedEnd, 'expectedEnd');
    let appender = this.appenders.get(topic);
    if (!appender) {
      appender = ConditionalAppender.open(this.connection, topic);
      this.appenders.set(topic, appender);
      appender.catch(() => this.appenders.delete(topic));
    }
    return (await appender).append(expectedEnd, records);
  }

  override async consume(options: ConsumeOptions, handler: BatchHandler): Promise<Subscription> {
    if (
      options.maxBatchSize !== undefined &&
      (!Number.isSafeInteger(options.maxBatchSize) || options.maxBatchSize < 1)
    ) {
      throw new RangeError(`maxBatchSize must be a positive integer, got ${options.maxBatchSize}`);
    }
    const consumer = this.connection.consumer(options.group, options.lingerMs);
    const subscription = new GroupSubscription(consumer, options, handler, this.connection);
    await subscription.start();
    return subscription;
  }

  override async tail(
    topics: readonly string[],
    onRecords: TailListener,
    options: TailOptions = {},
  ): Promise<Subscription> {
    const consumer = this.connection.consumer({ throwaway: 'tail' });
    const subscription = new TailSubscription(consumer, topics, onRecords, options, this.connection);
    await subscription.start();
    return subscription;
  }

  override read(topic: string, partition: number, fromOffset: number, limit: number): Promise<LogRecord[]> {
    return readPartition(this.connection, topic, partition, fromOffset, limit);
  }

  override endOffsets(topic: string): Promise<number[]> {
    return endOffsets(this.connection, topic);
  }

  override committedOffsets(group: string, topic: string): Promise<number[]> {
    return committedOffsets(this.connection, group, topic);
  }

  override async close(): Promise<void> {
    this.appenders.clear();
    await this.connection.close();
  }
}
