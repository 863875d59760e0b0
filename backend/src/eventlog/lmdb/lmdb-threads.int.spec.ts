import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LmdbEventLog } from './lmdb-event-log';
import { ThreadBroadcast } from './signal';

// The projector's thread opens the log's folder a second time; two openings in one thread share
// every mechanism that matters here (lmdb's write lock, the broadcast channel).
describe('LmdbEventLog opened twice (as by the projector thread)', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'sightline-lmdb-threads-')), 'eventlog');
  let api: LmdbEventLog;
  let projector: LmdbEventLog;
  const record = (value: string) => ({ key: 'k', value: Buffer.from(value) });

  beforeAll(async () => {
    api = LmdbEventLog.open(path);
    projector = LmdbEventLog.open(path);
    await api.ensureTopics([{ name: 'dead', partitions: 1, retentionMs: 60_000 }]);
  });
  afterAll(async () => {
    await projector.close();
    await api.close();
  });

  it('given appends from both openings in turn, when read, then no record overwrote another', async () => {
    await api.append('dead', [record('a1'), record('a2')]);
    await projector.append('dead', [record('p1')]);
    await api.append('dead', [record('a3')]);
    await Promise.all([projector.append('dead', [record('p2')]), api.append('dead', [record('a4')])]);

    const read = await api.read('dead', 0, 0, 100);
    expect(read.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(read.map((r) => r.value.toString()).sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'p1', 'p2']);
    expect(await projector.endOffsets('dead')).toEqual([6]);
  });

  it('given a tail on one opening, when the other appends, then the tail receives the records', async () => {
    const seen: string[] = [];
    const tail = await projector.tail(['dead'], (records) =>
      seen.push(...records.map((r) => r.value.toString())),
    );
    await api.append('dead', [record('late')]);
    for (let i = 0; i < 100 && !seen.length; i++) await sleep(20);
    await tail.stop();
    expect(seen).toEqual(['late']);
  });

  it('given a tail on one opening, when both append in turn, then it receives every record once in offset order', async () => {
    const start = (await api.endOffsets('dead'))[0];
    const seen: { offset: number; value: string }[] = [];
    const tail = await api.tail(['dead'], (records) =>
      seen.push(...records.map((r) => ({ offset: r.offset, value: r.value.toString() }))),
    );
    // Its own appends come to it from memory; the other's sit in the gaps between them.
    await api.append('dead', [record('o1'), record('o2')]);
    await projector.append('dead', [record('x1')]);
    await api.append('dead', [record('o3')]);
    await Promise.all([projector.append('dead', [record('x2')]), api.append('dead', [record('o4')])]);
    await api.append('dead', [record('o5')]);
    for (let i = 0; i < 100 && seen.length < 7; i++) await sleep(20);
    await tail.stop();
    expect(seen.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => start + i));
    expect(seen.map((r) => r.value).sort()).toEqual(['o1', 'o2', 'o3', 'o4', 'o5', 'x1', 'x2']);
    const read = await api.read('dead', 0, start, 100);
    expect(seen.map((r) => r.value)).toEqual(read.map((r) => r.value.toString()));
  });
});

describe('ThreadBroadcast', () => {
  it('given three posts within its interval, then the other side is told once', async () => {
    let told = 0;
    const sender = new ThreadBroadcast('sightline-test-broadcast', () => undefined);
    const receiver = new ThreadBroadcast('sightline-test-broadcast', () => told++);
    sender.post();
    sender.post();
    sender.post();
    for (let i = 0; i < 50 && told === 0; i++) await sleep(10);
    await sleep(30);
    sender.close();
    receiver.close();
    expect(told).toBe(1);
  });
});
