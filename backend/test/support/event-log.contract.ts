import { randomUUID } from 'node:crypto';
import { newEventId, type SightlineEvent } from '@sightline/schemas';
import {
  AppendConflictError,
  type EventLog,
  type LogRecord,
  type PartitionBatch,
  type Subscription,
} from '../../src/eventlog/event-log';
import { consumeEvents, type DeadLetter, type EventBatch } from '../../src/eventlog/event-consumer';
import { TOPICS } from '../../src/eventlog/topics';

export interface EventLogHarness {
  /** Open the log on this suite's storage; calling it again after `close()` is a restart. */
  open(): Promise<EventLog>;
  /** How long a group needs to settle after a member joins (Kafka rebalances take a moment). */
  readonly settleMs: number;
}

const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;
const text = (r: LogRecord): string => r.value.toString('utf8');
const records = (key: string, values: string[]) => values.map((v) => ({ key, value: Buffer.from(v) }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function generationEvent(traceId: string): SightlineEvent {
  return {
    eventId: newEventId(),
    type: 'generation.failed',
    version: 3,
    occurredAt: new Date().toISOString(),
    projectId: 'proj_contract',
    traceId,
    spanId: 'span1',
    source: 'gateway',
    data: {
      errorClass: 'x',
      providerStatus: null,
      message: 'm',
      startedAt: new Date().toISOString(),
      latencyMs: 1,
      output: null,
      usage: null,
      timeToFirstTokenMs: null,
      cost: null,
    },
  };
}

/** Collects batches of one consumer and commits each one fully. */
function collector() {
  const seen: LogRecord[] = [];
  const batches: PartitionBatch[] = [];
  const handler = async (batch: PartitionBatch, ctx: { commit(o: number, m?: string): Promise<void> }) => {
    batches.push(batch);
    seen.push(...batch.records);
    await ctx.commit(batch.records[batch.records.length - 1].offset + 1);
  };
  return { seen, batches, handler };
}

/** The behaviour every EventLog adapter must have. Call inside a `describe`. */
export function eventLogContract(harness: EventLogHarness): void {
  let log: EventLog;
  const subscriptions: Subscription[] = [];
  const track = (s: Subscription) => (subscriptions.push(s), s);

  beforeAll(async () => {
    log = await harness.open();
  });
  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await log?.close();
  });

  async function topic(partitions: number): Promise<string> {
    const name = unique('contract');
    await log.ensureTopics([
      { name, partitions },
      { name: TOPICS.deadLetter, partitions: 1 },
    ]);
    return name;
  }

  it('keeps per-key order and puts one key in one partition', async () => {
    const t = await topic(3);
    const keys = ['a', 'b', 'c', 'd', 'e'];
    for (let round = 0; round < 4; round++) {
      await log.append(
        t,
        keys.flatMap((k) => records(k, [`${k}-${round}-0`, `${k}-${round}-1`])),
      );
    }
    const c = collector();
    track(await log.consume({ group: unique('g'), topics: [t], maxBatchSize: 7 }, c.handler));
    await until(() => c.seen.length === 40, '40 records');
    for (const k of keys) {
      const mine = c.seen.filter((r) => r.key === k);
      expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
      expect(mine.map(text)).toEqual([0, 1, 2, 3].flatMap((round) => [`${k}-${round}-0`, `${k}-${round}-1`]));
    }
    expect(Math.max(...c.batches.map((b) => b.records.length))).toBeLessThanOrEqual(7);
  });

  it('with maxBatchBytes, hands over batches whose values fit in it, a bigger record alone, in order', async () => {
    const t = await topic(1);
    const ten = (v: string) => v.padEnd(10, '.');
    const values = [...['a1', 'a2', 'a3', 'a4'].map(ten), 'b'.repeat(30), ...['c1', 'c2', 'c3'].map(ten)];
    await log.append(t, records('k', values));
    const c = collector();
    track(
      await log.consume({ group: unique('g'), topics: [t], maxBatchSize: 100, maxBatchBytes: 25 }, c.handler),
    );
    await until(() => c.seen.length === values.length, 'every record');
    expect(c.seen.map(text)).toEqual(values);
    for (const batch of c.batches) {
      const bytes = batch.records.reduce((n, r) => n + r.value.length, 0);
      expect(bytes <= 25 || batch.records.length === 1).toBe(true);
    }
    expect(c.batches.find((b) => b.records.some((r) => text(r).startsWith('b')))?.records).toHaveLength(1);
  });

  it('with lingerMs, waits for a short batch to fill, yet hands over a lone record after the linger', async () => {
    const t = await topic(1);
    const c = collector();
    track(
      await log.consume({ group: unique('g'), topics: [t], maxBatchSize: 100, lingerMs: 800 }, c.handler),
    );
    await log.append(t, records('k', ['warm-up']));
    await until(() => c.seen.length === 1, 'the warm-up record');
    for (const value of ['a', 'b', 'c', 'd', 'e']) {
      await log.append(t, records('k', [value]));
      await sleep(20);
    }
    await until(() => c.seen.length === 6, 'five records appended one by one');
    // Without the linger each append is a batch of its own.
    expect(c.batches.length).toBeLessThanOrEqual(3);
    expect(c.seen.slice(1).map(text)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('reads a partition from an offset and reports end offsets', async () => {
    const t = await topic(1);
    await log.append(t, records('k', ['r0', 'r1', 'r2', 'r3']));
    expect((await log.read(t, 0, 1, 2)).map((r) => [r.offset, text(r)])).toEqual([
      [1, 'r1'],
      [2, 'r2'],
    ]);
    expect(await log.endOffsets(t)).toEqual([4]);
  });

  it('resumes from the committed offset, with its metadata, after a restart', async () => {
    const t = await topic(1);
    const group = unique('g');
    await log.append(t, records('k', ['0', '1', '2', '3', '4', '5']));
    const first: LogRecord[] = [];
    const sub = await log.consume({ group, topics: [t], maxBatchSize: 10 }, async (batch, ctx) => {
      first.push(...batch.records);
      await ctx.commit(3, 'note-3');
    });
    await until(() => first.length >= 6, 'first delivery');
    await sub.stop();
    expect(await log.committedOffsets(group, t)).toEqual([3]);
    expect(await log.committedOffsets(unique('never'), t)).toEqual([0]);

    await log.close();
    log = await harness.open();
    const c = collector();
    track(await log.consume({ group, topics: [t] }, c.handler));
    await until(() => c.seen.length >= 3, 'records after restart');
    expect(c.seen.map(text)).toEqual(['3', '4', '5']);
    expect(c.batches[0].committed).toEqual({ offset: 3, metadata: 'note-3' });
  });

  it('delivers again what a batch did not commit', async () => {
    const t = await topic(1);
    await log.append(t, records('k', ['0', '1', '2', '3']));
    const starts: number[] = [];
    track(
      await log.consume({ group: unique('g'), topics: [t] }, async (batch, ctx) => {
        starts.push(batch.records[0].offset);
        await ctx.commit(batch.records[0].offset + 1); // commit one record per batch
      }),
    );
    await until(() => starts.length >= 4, 'four batches');
    expect(starts.slice(0, 4)).toEqual([0, 1, 2, 3]);
  });

  it('redelivers a batch to the next member after a crash before commit', async () => {
    const t = await topic(1);
    const group = unique('g');
    await log.append(t, records('k', ['x', 'y']));
    const crashed = await log.consume({ group, topics: [t] }, async () => {
      throw new Error('simulated crash');
    });
    await expect(crashed.done).rejects.toThrow('simulated crash');
    await crashed.stop();

    const c = collector();
    track(await log.consume({ group, topics: [t] }, c.handler));
    await until(() => c.seen.length >= 2, 'redelivery');
    expect(c.seen.map(text)).toEqual(['x', 'y']);
  });

  it('shares partitions between two members of one group', async () => {
    const t = await topic(4);
    const group = unique('g');
    const a = collector();
    const b = collector();
    track(await log.consume({ group, topics: [t] }, a.handler));
    track(await log.consume({ group, topics: [t] }, b.handler));
    await sleep(harness.settleMs);
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    await log.append(
      t,
      keys.flatMap((k) => records(k, [k])),
    );
    await until(() => a.seen.length + b.seen.length >= 40, 'all records');
    const partitionsOf = (c: { seen: LogRecord[] }) => new Set(c.seen.map((r) => r.partition));
    expect(partitionsOf(a).size).toBeGreaterThan(0);
    expect(partitionsOf(b).size).toBeGreaterThan(0);
    expect([...partitionsOf(a)].filter((p) => partitionsOf(b).has(p))).toEqual([]);
    expect([...a.seen, ...b.seen].map(text).sort()).toEqual([...keys].sort());
  });

  it('tails only what is appended after it started', async () => {
    const t = await topic(2);
    await log.append(t, records('k', ['old']));
    const got: LogRecord[] = [];
    track(await log.tail([t], (rs) => got.push(...rs)));
    await sleep(harness.settleMs);
    await log.append(t, [...records('k', ['new-1']), ...records('j', ['new-2'])]);
    await until(() => got.length >= 2, 'tailed records');
    expect(got.map(text).sort()).toEqual(['new-1', 'new-2']);
  });

  it('tails every record once, in order per key, across partitions and reads larger than one batch', async () => {
    const t = await topic(4);
    const got: LogRecord[] = [];
    track(await log.tail([t], (rs) => got.push(...rs)));
    await sleep(harness.settleMs);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const values = (k: string, from: number, n: number) =>
      Array.from({ length: n }, (_, i) => `${k}-${String(from + i).padStart(5, '0')}`);
    // Small appends over every key, then one of 2,500 records under one key (one partition).
    for (let round = 0; round < 5; round++) {
      await Promise.all(keys.map((k) => log.append(t, records(k, values(k, round, 1)))));
    }
    await log.append(t, records('a', values('a', 10_000, 2500)));
    const expected = 2500 + keys.length * 5;
    await until(() => got.length >= expected, 'every tailed record');
    expect(new Set(got.map(text)).size).toBe(got.length);
    expect(got).toHaveLength(expected);
    for (const k of keys) {
      const mine = got.filter((r) => r.key === k).map(text);
      expect(mine).toEqual([...mine].sort());
    }
  });

  it('dead-letters an invalid event with the reason and keeps the partition flowing', async () => {
    const t = await topic(1);
    const dead: DeadLetter[] = [];
    track(
      await log.tail([TOPICS.deadLetter], (rs) =>
        rs.map((r) => JSON.parse(text(r)) as DeadLetter).forEach((d) => d.topic === t && dead.push(d)),
      ),
    );
    await sleep(harness.settleMs);
    const good = [generationEvent('trace-1'), generationEvent('trace-1')];
    await log.append(t, [
      { key: 'trace-1', value: Buffer.from(JSON.stringify(good[0])) },
      { key: 'trace-1', value: Buffer.from('{"type":"generation.failed","version":1}') },
      { key: 'trace-1', value: Buffer.from(JSON.stringify(good[1])) },
    ]);
    const batches: EventBatch[] = [];
    track(await consumeEvents(log, { group: unique('g'), topics: [t] }, async (b) => void batches.push(b)));
    await until(() => batches.flatMap((b) => b.events).length >= 2, 'valid events');
    await until(() => dead.length >= 1, 'dead letter');
    expect(batches.flatMap((b) => b.events.map((e) => e.eventId))).toEqual(good.map((e) => e.eventId));
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ topic: t, partition: 0, offset: 1, key: 'trace-1' });
    expect(dead[0].reason).toMatch(/invalid generation.failed.v1/);
  });

  it('retries a crashed batch with exactly the same events and dedup token', async () => {
    const t = await topic(1);
    const group = unique('g');
    const append = (n: number) =>
      log.append(
        t,
        Array.from({ length: n }, () => ({
          key: 'tr',
          value: Buffer.from(JSON.stringify(generationEvent('tr'))),
        })),
      );
    await append(3);
    let attempt: EventBatch | undefined;
    const crashed = await consumeEvents(log, { group, topics: [t] }, async (b) => {
      attempt = b;
      throw new Error('ClickHouse went away after the insert');
    });
    await expect(crashed.done).rejects.toThrow('went away');
    await crashed.stop();
    await append(2); // more records arrive while the projector is down

    const retried: EventBatch[] = [];
    track(await consumeEvents(log, { group, topics: [t] }, async (b) => void retried.push(b)));
    await until(() => retried.flatMap((b) => b.events).length >= 5, 'all five events');
    expect(retried[0].dedupToken).toBe(attempt!.dedupToken);
    expect(retried[0].events.map((e) => e.eventId)).toEqual(attempt!.events.map((e) => e.eventId));
  });

  it('retries a crashed batch whole when the redelivery brings fewer records (a smaller fetch)', async () => {
    const t = await topic(1);
    const group = unique('g');
    const events = Array.from({ length: 6 }, () => generationEvent('tr'));
    await log.append(
      t,
      events.map((e) => ({ key: 'tr', value: Buffer.from(JSON.stringify(e)) })),
    );
    let attempt: EventBatch | undefined;
    const crashed = await consumeEvents(log, { group, topics: [t] }, async (b) => {
      attempt = b;
      throw new Error('killed after the insert');
    });
    await expect(crashed.done).rejects.toThrow('killed');
    await crashed.stop();

    const retried: EventBatch[] = [];
    const small = { group, topics: [t], maxBatchSize: 2 };
    track(await consumeEvents(log, small, async (b) => void retried.push(b)));
    await until(() => retried.length >= 1, 'the retried batch');
    expect(retried[0].dedupToken).toBe(attempt!.dedupToken);
    expect(retried[0].events.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
  });

  it('tails from the beginning, and a position it reports is the end a conditional append expects', async () => {
    const t = await topic(1);
    const end = await log.appendExpecting(t, 0, records('k', ['a', 'b']));
    const got: LogRecord[] = [];
    let position = -1;
    track(
      await log.tail(
        [t],
        (rs, p) => {
          got.push(...rs);
          position = p.nextOffset;
        },
        { fromBeginning: true },
      ),
    );
    await until(() => position === end, `the tail at ${end}`);
    expect(got.map(text)).toEqual(['a', 'b']);
    const next = await log.appendExpecting(t, position, records('k', ['c']));
    await until(() => position === next, `the tail at ${next}`);
    expect(got.map(text)).toEqual(['a', 'b', 'c']);
    expect(await log.endOffsets(t)).toEqual([next]);
  });

  it('refuses a conditional append when the end moved, and lets one of two racing appends win', async () => {
    const t = await topic(1);
    const end = await log.appendExpecting(t, 0, records('k', ['a']));
    const race = await Promise.allSettled([
      log.appendExpecting(t, end, records('k', ['one'])),
      log.appendExpecting(t, end, records('k', ['two'])),
    ]);
    const won = race.flatMap((r, i) => (r.status === 'fulfilled' ? [['one', 'two'][i]] : []));
    const lost = race.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(AppendConflictError);
    const got: LogRecord[] = [];
    track(await log.tail([t], (rs) => got.push(...rs), { fromBeginning: true }));
    await until(() => got.length >= 2, 'the committed records');
    await sleep(harness.settleMs);
    expect(got.map(text)).toEqual(['a', ...won]);
    await expect(log.appendExpecting(t, end, records('k', ['stale']))).rejects.toBeInstanceOf(
      AppendConflictError,
    );
  });

  it('refuses a conditional append to a topic of several partitions', async () => {
    const t = await topic(2);
    await expect(log.appendExpecting(t, 0, records('k', ['x']))).rejects.toBeInstanceOf(RangeError);
  });
}
