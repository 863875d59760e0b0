import { encodeControlEvent, encodeEvent, newEventId, type ControlEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { ControlPlane } from '../control/control-plane';
import type { AppendRecord } from '../eventlog/event-log';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { topicSpecs } from '../eventlog/topics';
import { eventually, generationEvents, refusalEvent, scoreEvent } from '../../test/support/events';
import { ProjectorService } from './projector.service';
import type { ReadModel, Source } from './read-model';
import { checkOrder, READ_MODELS } from './read-models';
import { CONTROL_EVENTS, LLM_EVENTS } from './sources';

/** Records of each source, enough to put rows in every read model fed from it. */
function sampleRecords(source: Source<unknown>): AppendRecord[] {
  if (source === LLM_EVENTS) {
    // An end user, so that the traces read model files the trace under a user too.
    const [requested, completed] = generationEvents('p-registry').map((e) => ({
      ...e,
      endUserId: 'u-registry',
    }));
    const score = scoreEvent('p-registry', requested.traceId, 'quality', 1);
    const refused = refusalEvent('p-registry', { count: 3, lastAt: new Date().toISOString() });
    return [requested, completed, score, refused, ...generationEvents('p-registry')].map((e) => ({
      key: e.traceId,
      value: encodeEvent(e),
    }));
  }
  if (source === CONTROL_EVENTS) {
    const organizationId = `org-${newEventId().slice(-8)}`;
    const created: ControlEvent = {
      eventId: newEventId(),
      type: 'organization.created',
      version: 1,
      occurredAt: new Date().toISOString(),
      actor: { userId: null, via: 'system' },
      entityKey: `organization:${organizationId}`,
      projectId: null,
      data: { organizationId, name: 'registry', createdAt: new Date().toISOString() },
    };
    const projectId = `p-${organizationId}`;
    const retention: ControlEvent = {
      ...created,
      eventId: newEventId(),
      type: 'project.retention-set',
      entityKey: `project-retention:${projectId}`,
      projectId,
      data: { projectId, days: 30, setAt: new Date().toISOString(), setBy: null },
    };
    return [created, retention].map((e) => ({ key: e.entityKey, value: encodeControlEvent(e) }));
  }
  throw new Error(`no sample records for topic ${source.topic}: add them when adding a source`);
}

async function rowCounts(ch: ClickHouse, model: ReadModel<unknown>): Promise<number[]> {
  return Promise.all(
    model.tables.map(async (table) => {
      const [row] = await ch.query<{ n: string }>('SELECT count() AS n FROM {table:Identifier}', { table });
      return Number(row.n);
    }),
  );
}

/**
 * A table's rows in a stable order. Aggregate states (rollups) do not compare: they are merged (FINAL)
 * and finalized, so batches cut differently give the same rows.
 */
async function rowsOf(ch: ClickHouse, table: string): Promise<Record<string, unknown>[]> {
  const columns = await ch.query<{ name: string; type: string }>(
    'SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {table:String}',
    { table },
  );
  if (!columns.some((c) => c.type.startsWith('AggregateFunction')))
    return ch.query('SELECT * FROM {table:Identifier} ORDER BY ALL', { table });
  const select = columns.map((c) =>
    c.type.startsWith('AggregateFunction')
      ? `finalizeAggregation(\`${c.name}\`) AS \`${c.name}\``
      : `\`${c.name}\``,
  );
  return ch.query(`SELECT ${select.join(', ')} FROM {table:Identifier} FINAL ORDER BY ALL`, { table });
}

describe('the read-model registry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-registry-'));
  let ch: ClickHouse;
  let log: LmdbEventLog;
  let control: ControlPlane;

  beforeAll(async () => {
    ({ ch } = await openClickHouse({ database: 'default', dataDir: dir }));
    log = LmdbEventLog.open(join(dir, 'eventlog'));
    await log.ensureTopics(topicSpecs(2));
    control = new ControlPlane(log);
    await control.onModuleInit();
    for (const source of new Set(READ_MODELS.map((m) => m.source))) {
      await log.append(source.topic, sampleRecords(source));
    }
  });
  afterAll(async () => {
    await control.onModuleDestroy();
    await log.close();
    await ch.close();
  });

  it('owns every table the migrations create, each exactly once, so no purge or rebuild is forgotten', async () => {
    const created = (
      await ch.query<{ name: string }>(
        "SELECT name FROM system.tables WHERE database = currentDatabase() AND name != 'schema_migrations'",
      )
    ).map((t) => t.name);
    const owned = READ_MODELS.flatMap((m) => m.tables);
    expect(owned.slice().sort()).toEqual(created.slice().sort());
    expect(new Set(owned).size).toBe(owned.length);
  });

  it('lists every dependency before its dependant, on the same source; a wrong order is refused', () => {
    const names = READ_MODELS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const model of READ_MODELS) for (const d of model.dependsOn) expect(names).toContain(d);
    expect(() => checkOrder(READ_MODELS)).not.toThrow();
    expect(() => checkOrder([...READ_MODELS].reverse())).toThrow(/depends on/);
  });

  it('purges only tables a read model owns, with SQL ClickHouse accepts for every scope', async () => {
    for (const model of READ_MODELS) {
      for (const [scope, rules] of Object.entries(model.purge)) {
        for (const { table, where } of rules) {
          expect(model.tables).toContain(table);
          await expect(
            ch.command(`DELETE FROM ${table} WHERE project_id = {projectId:String} AND ${where}`, {
              projectId: `none-${scope}`,
              target: 'none',
            }),
          ).resolves.toBeUndefined();
        }
      }
    }
  });

  it.each(READ_MODELS.flatMap((m) => (m.projection ? [[m.name, m.projection, m] as const] : [])))(
    '%s: projecting the same batch twice changes nothing',
    async (_name, projectionOf, model) => {
      const events = sampleRecords(model.source).map((r) => model.source.decode(r.value));
      const projection = projectionOf(ch);
      const batch = { events, dedupToken: `registry-twice:${model.name}` };
      const before = await rowCounts(ch, model);
      await projection.apply(batch);
      const once = await rowCounts(ch, model);
      await projection.apply(batch);
      expect(await rowCounts(ch, model)).toEqual(once);
      once.forEach((n, i) => expect(n).toBeGreaterThan(before[i]));
    },
  );

  /** Until every projector group named with `suffix` has committed the end of its topic. */
  const caughtUp = (suffix: string) =>
    eventually(
      () =>
        Promise.all(
          [...new Set(READ_MODELS.map((m) => m.source))].map(async ({ topic, group }) => {
            const [end, committed] = await Promise.all([
              log.endOffsets(topic),
              log.committedOffsets(`${group}-${suffix}`, topic),
            ]);
            return end.every((n, i) => (committed[i] ?? 0) >= n);
          }),
        ),
      (done) => done.every(Boolean),
      60_000,
    );

  it.each(READ_MODELS.filter((m) => m.rebuild.from === 'log').map((m) => [m.name, m] as const))(
    '%s: a rebuild from the log gives the rows the live projection wrote',
    async (name, model) => {
      const tableRows = () => Promise.all(model.tables.map((table) => rowsOf(ch, table)));
      const truncate = async () => {
        for (const table of model.tables) await ch.command('TRUNCATE TABLE {table:Identifier}', { table });
      };
      await truncate();
      const live = new ProjectorService(log, ch, control, { groupSuffix: `live-${name}` });
      await live.onApplicationBootstrap();
      await caughtUp(`live-${name}`);
      await live.onModuleDestroy();
      const liveRows = await tableRows();
      expect(liveRows.every((rows) => rows.length > 0)).toBe(true);
      await truncate();
      // Tables of the read models it depends on stay: a rebuild of one reads them as they are.
      const rebuild = new ProjectorService(log, ch, control, {
        readModels: [model],
        groupSuffix: `rebuild-${name}`,
      });
      await rebuild.onApplicationBootstrap();
      try {
        await eventually(tableRows, (rows) => JSON.stringify(rows) === JSON.stringify(liveRows));
      } finally {
        await rebuild.onModuleDestroy();
      }
    },
  );
});
