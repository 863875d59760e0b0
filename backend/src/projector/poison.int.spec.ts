import type { SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { ControlPlane } from '../control/control-plane';
import type { DeadLetter } from '../eventlog/event-consumer';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { TOPICS, topicSpecs } from '../eventlog/topics';
import { eventually, generationEvents } from '../../test/support/events';
import { ProjectorService } from './projector.service';

type Generation = [SightlineEvent, SightlineEvent];

/** Events the schema accepts but a read model (ClickHouse) cannot take, one kind each. */
function poison(projectId: string) {
  const loneSurrogateUser = generationEvents(projectId);
  Object.assign(loneSurrogateUser[0].data, { user: 'mallory\ud800' });
  const loneSurrogateEndUser = generationEvents(projectId).map((e) => ({
    ...e,
    endUserId: 'eve\ud800',
  })) as Generation;
  const impossibleDate = generationEvents(projectId);
  impossibleDate[0] = { ...impossibleDate[0], occurredAt: '2026-02-30T10:00:00.000Z' };
  return { loneSurrogateUser, loneSurrogateEndUser, impossibleDate };
}

describe('poison events: isolated to the dead-letter topic, the partition flows on (lmdb + chDB)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-poison-'));
  let ch: ClickHouse;
  const opened: { log: LmdbEventLog; control: ControlPlane }[] = [];

  /** Each test has its own log; its groups are named after it, so dedup tokens never collide in the shared chDB. */
  async function openLog(name: string) {
    const log = LmdbEventLog.open(join(dir, name));
    await log.ensureTopics(topicSpecs(2));
    const control = new ControlPlane(log);
    await control.onModuleInit();
    opened.push({ log, control });
    return { log, control };
  }
  const append = (log: LmdbEventLog, events: readonly SightlineEvent[]) =>
    log.append(
      TOPICS.llm,
      // Straight to the log, as bytes: whatever the producers' door lets through or not.
      events.map((e) => ({ key: e.traceId, value: Buffer.from(JSON.stringify(e)) })),
    );
  const deadLetters = async (log: LmdbEventLog): Promise<DeadLetter[]> =>
    (await log.read(TOPICS.deadLetter, 0, 0, 1000)).map((r) => JSON.parse(r.value.toString()) as DeadLetter);
  const spans = async (table: string, projectId: string) =>
    (
      await ch.query<{ span_id: string }>(
        'SELECT span_id FROM {table:Identifier} WHERE project_id = {p:String} ORDER BY span_id',
        { table, p: projectId },
      )
    ).map((r) => r.span_id);

  beforeAll(async () => {
    ({ ch } = await openClickHouse({ database: 'default', dataDir: dir }));
  });
  afterAll(async () => {
    for (const { log, control } of opened) {
      await control.onModuleDestroy();
      await log.close();
    }
    await ch.close();
  });

  jest.setTimeout(30_000);

  it('given every kind of poison between good generations, only the poison is dead-lettered, with its reason; later events still flow, also after a restart', async () => {
    const { log, control } = await openLog('kinds');
    const p = 'p-poison';
    const good = [generationEvents(p), generationEvents(p), generationEvents(p)];
    const bad = poison(p);
    await append(log, [
      ...good[0],
      ...bad.loneSurrogateUser,
      ...bad.loneSurrogateEndUser,
      ...good[1],
      ...bad.impossibleDate,
    ]);

    const projector = new ProjectorService(log, ch, control, { groupSuffix: 'kinds' });
    await projector.onApplicationBootstrap();
    try {
      const goodSpans = [good[0], good[1]].map((g) => g[0].spanId);
      // The date-poisoned request is dead-lettered; its end is still recorded, without request columns.
      const expected = [...goodSpans, bad.impossibleDate[0].spanId].sort();
      await eventually(
        () => spans('generations', p),
        (s) => s.length >= expected.length,
      );
      await append(log, good[2]);
      await eventually(
        () => spans('generations', p),
        (s) => s.includes(good[2][0].spanId),
      );
      expect(await spans('generations', p)).toEqual([...expected, good[2][0].spanId].sort());
      // Each source has its own consumer: the others may still be dead-lettering their copy.
      await eventually(
        async () => projector.deadLettered,
        (n) => n >= 4,
      );
      expect(projector.deadLettered).toBe(4);
    } finally {
      await projector.onModuleDestroy();
    }

    const dead = await deadLetters(log);
    const byEvent = new Map(dead.map((d) => [JSON.parse(d.value).eventId as string, d]));
    const expectRefused = (event: SightlineEvent, reason: string, code: RegExp) => {
      const letter = byEvent.get(event.eventId);
      expect(letter).toMatchObject({ reason, topic: TOPICS.llm, key: event.traceId });
      expect(letter?.issues[0].message).toMatch(code);
    };
    expect(dead).toHaveLength(4);
    expectRefused(bad.loneSurrogateUser[1], 'refused by generations', /surrogate/);
    expectRefused(bad.loneSurrogateEndUser[0], 'refused by archive', /surrogate/);
    expectRefused(bad.loneSurrogateEndUser[1], 'refused by archive', /surrogate/);
    expectRefused(bad.impossibleDate[0], 'refused by archive', /DateTime/);

    // A restart resumes after the committed poison: nothing is dead-lettered or written twice.
    const good4 = generationEvents(p);
    await append(log, good4);
    const restarted = new ProjectorService(log, ch, control, { groupSuffix: 'kinds' });
    await restarted.onApplicationBootstrap();
    try {
      await eventually(
        () => spans('generations', p),
        (s) => s.includes(good4[0].spanId),
      );
      expect(restarted.deadLettered).toBe(0);
    } finally {
      await restarted.onModuleDestroy();
    }
    expect(await deadLetters(log)).toHaveLength(4);
    expect(await spans('generations', p)).toHaveLength(5);
  });

  it('given ClickHouse is down, nothing is dead-lettered and nothing committed; once it is back, the same events are projected', async () => {
    const { log, control } = await openLog('outage');
    const p = 'p-outage';
    const good = generationEvents(p);
    const bad = poison(p).loneSurrogateUser;
    await append(log, [...good, ...bad]);

    const down = ClickHouse.connect({ url: 'http://127.0.0.1:9', database: 'default', dataDir: dir });
    const stalled = new ProjectorService(log, down, control, { groupSuffix: 'outage' });
    await stalled.onApplicationBootstrap();
    try {
      await new Promise((r) => setTimeout(r, 2500)); // at least two attempts, one restart apart
      expect(stalled.batchesApplied).toBe(0);
      expect(stalled.deadLettered).toBe(0);
      expect(await deadLetters(log)).toEqual([]);
    } finally {
      await stalled.onModuleDestroy();
      await down.close();
    }

    const back = new ProjectorService(log, ch, control, { groupSuffix: 'outage' });
    await back.onApplicationBootstrap();
    try {
      await eventually(
        () => spans('generations', p),
        (s) => s.length >= 1,
      );
      await eventually(
        async () => (await deadLetters(log)).length,
        (n) => n >= 1,
      );
    } finally {
      await back.onModuleDestroy();
    }
    expect(await spans('generations', p)).toEqual([good[0].spanId]);
    expect((await deadLetters(log)).map((d) => d.reason)).toEqual(['refused by generations']);
  });
});
