import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { AppendConflictError, AppendUncertainError, type AppendRecord } from '../event-log';
import { noop, type Closable, type KafkaConnection } from './kafka-connection';

const FENCED = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);

/** kafkajs wraps protocol errors in retry errors: look through the causes. */
function isFenced(error: unknown): boolean {
  for (let e = error as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e === 'object' && e.type && FENCED.has(e.type)) return true;
  }
  return false;
}

/**
 * Conditional appends to one single-partition topic; Kafka has none natively.
 *
 * Every writer of the topic, in every process, uses the same transactional.id
 * (`sightline.append-expecting.<topic>`), so the broker lets only the newest producer of that id write: its
 * InitProducerId bumps the epoch and aborts the open transaction of the previous holder, whose next
 * send or commit then fails as fenced. One append is one transaction: send the records, then
 * compare the offset the broker gave the first of them with the expected end. Equal means nothing
 * (no record, aborted record or marker) lies between the end the caller's state reached and ours;
 * and anyone else who writes before our commit must first take a newer epoch, which aborts our
 * transaction and fails our commit. So of two appends expecting one end, at most one commits.
 * Unequal → abort and AppendConflictError; fenced → AppendConflictError too, with a new producer
 * (a new epoch) for the next append; a commit failing otherwise (the broker answers an unknown
 * error when a fencing crosses the commit, yet may have committed) → AppendUncertainError. The commit marker takes one offset: the new end is
 * base + records + 1. Appends of this process run one at a time (one transaction per producer).
 */
export class ConditionalAppender implements Closable {
  private producer: Promise<Producer> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  /** The appender of `topic`, stopped when the connection closes. */
  static async open(connection: KafkaConnection, topic: string): Promise<ConditionalAppender> {
    const admin = await connection.getAdmin();
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    if (metadata.partitions.length !== 1) {
      throw new RangeError(`conditional appends need a one-partition topic; ${topic} has more`);
    }
    const appender = new ConditionalAppender(connection.kafka, topic);
    connection.track(appender);
    return appender;
  }

  append(expectedEnd: number, records: readonly AppendRecord[]): Promise<number> {
    const turn = this.queue.then(() => this.appendNow(expectedEnd, records));
    this.queue = turn.catch(noop);
    return turn;
  }

  async stop(): Promise<void> {
    await this.queue;
    await this.drop();
  }

  private async appendNow(expectedEnd: number, records: readonly AppendRecord[]): Promise<number> {
    if (!records.length) return expectedEnd;
    const producer = await this.connect();
    const transaction = await producer.transaction();
    let committing = false;
    try {
      const [written] = await transaction.send({
        topic: this.topic,
        acks: -1,
        messages: records.map((r) => ({ key: r.key, value: r.value, partition: 0 })),
      });
      const base = Number(written.baseOffset);
      if (base !== expectedEnd) {
        await transaction.abort();
        throw new AppendConflictError(this.topic, expectedEnd);
      }
      committing = true;
      await transaction.commit();
      return base + records.length + 1;
    } catch (error) {
      if (error instanceof AppendConflictError) throw error;
      await transaction.abort().catch(noop);
      await this.drop(); // the next append starts a new epoch (and aborts whatever we left open)
      // Fenced: a newer writer aborted our transaction. A commit failing otherwise may have landed.
      if (isFenced(error)) throw new AppendConflictError(this.topic, expectedEnd);
      if (committing) throw new AppendUncertainError(this.topic, error);
      throw error;
    }
  }

  private connect(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        transactionalId: `sightline.append-expecting.${this.topic}`,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        // An open transaction holds back every read_committed reader: a crashed writer's must end soon.
        transactionTimeout: 10_000,
      });
      const connecting = producer.connect().then(() => producer);
      this.producer = connecting;
      connecting.catch(() => {
        if (this.producer === connecting) this.producer = undefined;
      });
    }
    return this.producer;
  }

  private async drop(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.then((p) => p.disconnect()).catch(noop);
  }
}
