import { encodeControlEvent, encodeEvent, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { controlEvent, SYSTEM } from '../control/control-events';
import { ControlPlane } from '../control/control-plane';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { TOPICS, topicSpecs } from '../eventlog/topics';
import { ProjectorService } from '../projector/projector.service';
import { rebuildable, Rebuilder } from '../rebuild/rebuilder';
import { eventually, generationEvents } from '../../test/support/events';

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

describe('retention: per-project days applied as TTL on the archive, and by rebuilds (lmdb, chDB)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-retention-'));
  let ch: ClickHouse;
  let log: LmdbEventLog;
  let control: ControlPlane;
  let projector: ProjectorService;

  const append = (events: readonly SightlineEvent[]) =>
    log.append(
      TOPICS.llm,
      events.map((e) => ({ key: e.traceId, value: encodeEvent(e) })),
    );
  const setRetention = async (projectId: string, days: number | null) => {
    const event = controlEvent(SYSTEM, new Date(), {
      type: 'project.retention-set',
      entityKey: `project-retention:${projectId}`,
      projectId,
      data: { projectId, days, setAt: new Date().toISOString(), setBy: null },
    });
    await log.append(TOPICS.control, [{ key: event.entityKey, value: encodeControlEvent(event) }]);
    await eventually(
      () =>
        ch.query<{ days: number }>(
          'SELECT days FROM project_retention FINAL WHERE project_id = {projectId:String}',
          {
            projectId,
          },
        ),
      (rows) => rows[0]?.days === (days ?? 0),
    );
    await eventually(
      async () => control.current.retention.get(projectId)?.days,
      (d) => d === days,
    );
  };
  /** Generation spans archived, per project, once TTL has run. */
  const archived = async () => {
    await ch.command('OPTIMIZE TABLE events FINAL');
    return ch.query<{ project_id: string; n: number }>(
      "SELECT project_id, toUInt32(count()) AS n FROM events WHERE type = 'generation.requested' GROUP BY project_id ORDER BY project_id",
    );
  };
  const generations = () =>
    ch.query<{ project_id: string; n: number }>(
      'SELECT project_id, toUInt32(count()) AS n FROM generations GROUP BY project_id ORDER BY project_id',
    );

  beforeAll(async () => {
    ({ ch } = await openClickHouse({ database: 'default', dataDir: dir }));
    log = LmdbEventLog.open(join(dir, 'eventlog'));
    await log.ensureTopics(topicSpecs(2));
    control = new ControlPlane(log);
    await control.onModuleInit();
    projector = new ProjectorService(log, ch, control);
    await projector.onApplicationBootstrap();
  });
  afterAll(async () => {
    await projector.onModuleDestroy();
    await control.onModuleDestroy();
    await log.close();
    await ch.close();
  });

  it('deletes what is past a project retention, set before or after it was archived, and a rebuild does not bring it back', async () => {
    // given: an old and a new generation in a project that keeps 3 days, an old one in one that keeps everything
    await append([
      ...generationEvents('p-keeps-3', { startedAt: daysAgo(10) }),
      ...generationEvents('p-keeps-3', { startedAt: daysAgo(1) }),
      ...generationEvents('p-keeps-all', { startedAt: daysAgo(10) }),
    ]);
    // The archive and the generations table are projected apart: wait for all three in the archive.
    const before = [
      { project_id: 'p-keeps-3', n: 2 },
      { project_id: 'p-keeps-all', n: 1 },
    ];
    await eventually(archived, (rows) => JSON.stringify(rows) === JSON.stringify(before));
    await eventually(generations, (rows) => rows.length === 2);

    // when: the retention is set after they were archived, and an old event comes in after it (with a new one)
    await setRetention('p-keeps-3', 3);
    await append([
      ...generationEvents('p-keeps-3', { startedAt: daysAgo(5) }),
      ...generationEvents('p-keeps-3', { startedAt: new Date() }),
    ]);

    // then: TTL deletes both old ones of p-keeps-3 from the archive and the read models (the later
    // one as it is inserted), nothing else
    const kept = [
      { project_id: 'p-keeps-3', n: 2 },
      { project_id: 'p-keeps-all', n: 1 },
    ];
    await eventually(archived, (rows) => JSON.stringify(rows) === JSON.stringify(kept));
    await eventually(
      async () => {
        await ch.command('OPTIMIZE TABLE generations FINAL');
        return generations();
      },
      (rows) => JSON.stringify(rows) === JSON.stringify(kept),
    );
    // and a rebuild, from the log or the archive, leaves out what has expired
    for (const from of ['log', 'archive'] as const) {
      await new Rebuilder(log, ch, control).rebuild(
        rebuildable('generations', from),
        from,
        new AbortController().signal,
      );
      expect(await generations()).toEqual(kept);
    }
  });

  it('keeps everything again once the retention is lifted', async () => {
    await setRetention('p-keeps-3', null);
    await append(generationEvents('p-keeps-3', { startedAt: daysAgo(30) }));
    await eventually(
      async () => (await archived()).find((r) => r.project_id === 'p-keeps-3')?.n,
      (n) => n === 3,
    );
  });
});
