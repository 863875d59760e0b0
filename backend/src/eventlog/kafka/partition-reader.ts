import type { LogRecord } from '../event-log';
import { noop, type Closable, type KafkaConnection } from './kafka-connection';
import { assertOffset, toLogRecord } from './kafka-records';
import { topicOffsets } from './topic-admin';

/**
 * Up to `limit` records of one partition from `fromOffset`. kafkajs has no assign(): a throwaway
 * group owns the topic for a moment and seeks; the read ends at the partition's end seen first.
 */
export async function readPartition(
  connection: KafkaConnection,
  topic: string,
  partition: number,
  fromOffset: number,
  limit: number,
): Promise<LogRecord[]> {
  connection.assertOpen();
  assertOffset(fromOffset, 'fromOffset');
  if (limit <= 0) return [];
  const admin = await connection.getAdmin();
  const offsets = await topicOffsets(admin, topic);
  const bounds = offsets.find((o) => o.partition === partition);
  if (!bounds) throw new RangeError(`${topic} has no partition ${partition}`);
  const start = Math.max(fromOffset, Number(bounds.low));
  const end = Number(bounds.high);
  if (start >= end) return [];

  const consumer = connection.consumer({ throwaway: 'read' });
  const found: LogRecord[] = [];
  let settle!: (error?: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  finished.catch(noop);
  const timeoutMs = connection.options.readTimeoutMs ?? 30000;
  const timer = setTimeout(() => {
    settle(new Error(`read of ${topic}[${partition}] from ${fromOffset} timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const reading: Closable = {
    stop: async () => settle(new Error(`the log was closed during a read of ${topic}[${partition}]`)),
  };
  connection.track(reading);
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
    connection.untrack(reading);
    await consumer.disconnect().catch(noop);
  }
}
