import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { logLevel } from 'kafkajs';
import type { LogRecord, PartitionBatch } from '../event-log';
import { eventLogContract } from '../../../test/support/event-log.contract';
import { kafkaBrokersForTests } from '../../../test/support/kafka-brokers';
import { KafkaEventLog, type KafkaEventLogOptions } from './kafka-event-log';

// A real broker on loopback: `npm run kafka:start` (deploy/kafka) starts one.
const brokers = kafkaBrokersForTests()
  .split(',')
  .map((b) => b.trim());

function reachable(broker: string, timeoutMs = 2000): Promise<boolean> {
  const at = broker.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = connect({ host: broker.slice(0, at), port: Number(broker.slice(at + 1)) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function open(overrides: Partial<KafkaEventLogOptions> = {}): Promise<KafkaEventLog> {
  const answers = await Promise.all(brokers.map((b) => reachable(b)));
  if (!answers.some(Boolean)) {
    throw new Error(
      `No Kafka broker reachable at ${brokers.join(', ')}. ` +
        'Start one with `npm run kafka:start` (or set KAFKA_BROKERS), then run the tests again.',
    );
  }
  return new KafkaEventLog({
    brokers,
    clientId: 'sightline-test',
    logLevel: logLevel.ERROR,
    retry: { initialRetryTime: 100, retries: 8 },
    ...overrides,
  });
}

describe('KafkaEventLog (real broker)', () => {
  eventLogContract({ open: () => open(), settleMs: 3000 });
});

describe('KafkaEventLog specifics', () => {
  const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const values = (rs: readonly LogRecord[]) => rs.map((r) => r.value.toString('utf8'));
  async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(20);
    }
  }
  let log: KafkaEventLog;

  beforeAll(async () => {
    // A short session, so that the long-handler test proves heartbeats keep the member in.
    log = await open({ sessionTimeoutMs: 6000, heartbeatIntervalMs: 500 });
  });
  afterAll(async () => {
    await log?.close();
  });

  async function topicWith(values: string[]): Promise<string> {
    const topic = unique('kafka-spec');
    await log.ensureTopics([{ name: topic, partitions: 1 }]);
    await log.append(
      topic,
      values.map((v) => ({ key: 'k', value: Buffer.from(v) })),
    );
    return topic;
  }

  it('splits fetched batches to maxBatchSize and restarts mid-batch at the committed offset', async () => {
    const topic = await topicWith(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const batches: PartitionBatch[] = [];
    let shortened = false;
    const sub = await log.consume(
      { group: unique('g'), topics: [topic], maxBatchSize: 3 },
      async (batch, ctx) => {
        batches.push(batch);
        const last = batch.records[batch.records.length - 1].offset;
        // Once, at offsets 3..5, commit only up to 4: offset 5 must come again, first in its batch.
        const upTo = batch.records[0].offset === 3 && !shortened ? ((shortened = true), 5) : last + 1;
        await ctx.commit(upTo, `upto-${upTo}`);
      },
    );
    await until(() => batches.some((b) => b.records.some((r) => r.offset === 9)), 'the last record');
    await sub.stop();
    expect(Math.max(...batches.map((b) => b.records.length))).toBeLessThanOrEqual(3);
    for (const b of batches) expect(b.records[0].offset).toBe(b.committed.offset);
    expect(batches.map((b) => b.records[0].offset)).toEqual([0, 3, 5, 8]);
    expect(batches[2].committed).toEqual({ offset: 5, metadata: 'upto-5' });
  });

  it('lets the batch in hand commit when stop() is called', async () => {
    const topic = await topicWith(['a', 'b', 'c']);
    const group = unique('g');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = false;
    const sub = await log.consume({ group, topics: [topic], maxBatchSize: 2 }, async (batch, ctx) => {
      started = true;
      await gate;
      await ctx.commit(batch.records[batch.records.length - 1].offset + 1, 'stopped');
    });
    await until(() => started, 'the first batch');
    const stopping = sub.stop();
    await sleep(200);
    release();
    await stopping;
    await expect(sub.done).resolves.toBeUndefined();

    const seen: PartitionBatch[] = [];
    const next = await log.consume({ group, topics: [topic] }, async (batch, ctx) => {
      seen.push(batch);
      await ctx.commit(batch.records[batch.records.length - 1].offset + 1);
    });
    await until(() => seen.length > 0, 'the rest');
    await next.stop();
    expect(values(seen[0].records)).toEqual(['c']);
    expect(seen[0].committed).toEqual({ offset: 2, metadata: 'stopped' });
  });

  it('keeps a member whose handler runs longer than the session timeout', async () => {
    const topic = await topicWith(['slow', 'next']);
    const handled: string[] = [];
    const sub = await log.consume(
      { group: unique('g'), topics: [topic], maxBatchSize: 1 },
      async (batch, ctx) => {
        if (values(batch.records)[0] === 'slow') await sleep(7500); // > sessionTimeoutMs 6000
        await ctx.commit(batch.records[0].offset + 1);
        handled.push(...values(batch.records));
      },
    );
    await until(() => handled.length >= 2, 'both records', 20_000);
    await sub.stop();
    await expect(sub.done).resolves.toBeUndefined();
    expect(handled).toEqual(['slow', 'next']);
  }, 30_000);

  it('reads nothing past the end and rejects an unknown partition', async () => {
    const topic = await topicWith(['x']);
    expect(await log.read(topic, 0, 1, 10)).toEqual([]);
    expect(values(await log.read(topic, 0, 0, 10))).toEqual(['x']);
    await expect(log.read(topic, 3, 0, 10)).rejects.toThrow(/no partition 3/);
  });
});
