import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LmdbEventLog } from './lmdb-event-log';

const record = (value: string) => ({ key: 'k', value: Buffer.from(value) });
const values = async (log: LmdbEventLog, topic: string) =>
  (await log.read(topic, 0, 0, 100)).map((r) => [r.offset, r.value.toString()]);

describe('LmdbEventLog retention', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'sightline-lmdb-retention-')), 'eventlog');
  let log: LmdbEventLog;
  beforeAll(async () => {
    log = LmdbEventLog.open(path);
    await log.ensureTopics([
      { name: 'live', partitions: 1, retentionMs: 30, transient: true },
      { name: 'kept', partitions: 1, retentionMs: 30 },
    ]);
  });
  afterAll(() => log.close());

  it('given records of a transient topic older than its retention, drops them at the next append, keeping offsets', async () => {
    await log.append('live', [record('a'), record('b')]);
    await log.append('kept', [record('a'), record('b')]);
    await sleep(60);
    await log.append('live', [record('c')]);
    await log.append('kept', [record('c')]);
    await sleep(20); // the sweep commits after the append
    expect(await values(log, 'live')).toEqual([[2, 'c']]);
    expect(await log.endOffsets('live')).toEqual([3]);
    expect(await values(log, 'kept')).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
    ]);
  });

  it('keeps the newest record of a partition past retention, so a restart continues its offsets', async () => {
    await sleep(60);
    await log.append('live', [record('d')]);
    await sleep(20);
    expect(await values(log, 'live')).toEqual([[3, 'd']]);
    await log.close();
    log = LmdbEventLog.open(path);
    await log.append('live', [record('e')]);
    expect(await values(log, 'live')).toEqual([
      [3, 'd'],
      [4, 'e'],
    ]);
  });
});
