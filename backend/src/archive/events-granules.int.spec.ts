import { CLICKHOUSE_MIGRATIONS_DIR, newSpanId, newTraceId, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouse } from '../clickhouse/clickhouse';
import { loadMigrations, migrate } from '../clickhouse/migrator';
import { isoToChTime } from '../clickhouse/time';
import { eventually, generationEvents, spanEvent } from '../../test/support/events';
import { SpansProjection } from '../traces/spans.projection';
import { GetTraceHandler, GetTraceQuery } from '../traces/trace-queries';
import { ArchiveProjection } from './archive.projection';
import { EventArchive } from './event-archive';

const P = 'p-granules';
const BULK = 20_000; // ~20 MB of `data`: 3 granules of 8,192 rows before, ~80 of 256 KiB after
const FINE_GRANULES = 42;

interface Part {
  rows: string;
  marks: string;
  data_uncompressed_bytes: string;
}

describe('the event archive made again in 256 KiB granules (chDB, migration 0042)', () => {
  let ch: ClickHouse;
  const migrations = loadMigrations(CLICKHOUSE_MIGRATIONS_DIR);
  const archive = () => new EventArchive(ch);
  const project = async (events: readonly SightlineEvent[], token: string) => {
    await new ArchiveProjection(ch).apply({ events, dedupToken: token });
    await new SpansProjection(ch, archive()).apply({ events, dedupToken: token });
  };
  const detail = (traceId: string) =>
    new GetTraceHandler(ch, archive()).execute(new GetTraceQuery(P, traceId));
  const count = async () => archive().count();
  const parts = () =>
    ch.query<Part>(
      `SELECT rows, marks, data_uncompressed_bytes FROM system.parts
       WHERE database = currentDatabase() AND table = 'events' AND active`,
    );

  /** A one-span trace and a generation in it, archived and projected. */
  const traceWithGeneration = async (token: string) => {
    const [requested, completed] = generationEvents(P, { startedAt: new Date('2026-03-04T10:00:00.000Z') });
    const root = spanEvent(
      {
        projectId: P,
        traceId: requested.traceId,
        spanId: newSpanId(),
        occurredAt: '2026-03-04T09:59:59.000Z',
      },
      { name: 'agent', startedAt: '2026-03-04T09:59:59.000Z', endedAt: '2026-03-04T10:00:02.000Z' },
    );
    await project([root, requested, completed], token);
    return requested.traceId;
  };

  let kept: string;
  let purged: string;
  let before: Awaited<ReturnType<typeof detail>>;
  let expiresBefore: string;

  beforeAll(async () => {
    ch = ClickHouse.connect({ database: 'default', dataDir: mkdtempSync(join(tmpdir(), 'sl-granules-')) });
    await migrate(
      ch,
      migrations.filter((m) => m.version < FINE_GRANULES),
    );
    // given: an archive written before the migration, in granules of 8,192 rows of ~1 KB events
    kept = await traceWithGeneration('kept');
    purged = await traceWithGeneration('purged');
    const [request] = generationEvents(P);
    await ch.command(
      `INSERT INTO events (project_id, trace_id, span_id, event_id, type, version, source, occurred_at, data)
       SELECT {p:String}, hex(MD5(toString(number))), concat('span-', toString(number)), generateUUIDv4(),
         'generation.requested', {version:UInt16}, 'gateway', {at:DateTime64(3, 'UTC')},
         concat({data:String}, repeat(' ', 1000))
       FROM numbers({rows:UInt32})`,
      {
        p: P,
        version: request.version,
        at: isoToChTime('2026-03-05T00:00:00.000Z'),
        data: JSON.stringify(request.data),
        rows: BULK,
      },
    );
    await ch.command('OPTIMIZE TABLE events FINAL');
    // and one trace deleted (as the purger deletes a trace) before the migration
    await ch.command('DELETE FROM events WHERE project_id = {p:String} AND trace_id = {t:String}', {
      p: P,
      t: purged,
    });
    before = await detail(kept);
    [{ expires_at: expiresBefore }] = await ch.query<{ expires_at: string }>(
      'SELECT toString(expires_at) AS expires_at FROM events WHERE trace_id = {t:String} LIMIT 1',
      { t: kept },
    );
    expect(before?.spans.map((s) => s.kind).sort()).toEqual(['GENERATION', 'SPAN']);
    expect(Math.max(...(await parts()).map((p) => Number(p.rows) / Number(p.marks)))).toBeGreaterThan(4_000);

    // when
    await migrate(ch, migrations);
  });
  afterAll(() => ch.close());

  it('keeps every event, deleted ones deleted, their expiry and the span index, in 256 KiB granules', async () => {
    const [table] = await ch.query<{ engine_full: string; create_table_query: string }>(
      `SELECT engine_full, create_table_query FROM system.tables
       WHERE database = currentDatabase() AND name = 'events'`,
    );
    expect(table.engine_full).toContain('index_granularity_bytes = 262144');
    expect(table.engine_full).toContain('PARTITION BY toYYYYMM(occurred_at)');
    expect(table.engine_full).toContain('TTL expires_at');
    expect(table.create_table_query).toContain(
      'INDEX span_id_bloom span_id TYPE bloom_filter(0.01) GRANULARITY 1',
    );
    expect(await count()).toBe(BULK + 3);
    expect(await detail(kept)).toEqual(before);
    expect(await detail(purged)).toBeNull();
    const [row] = await ch.query<{ expires_at: string }>(
      'SELECT toString(expires_at) AS expires_at FROM events WHERE trace_id = {t:String} LIMIT 1',
      { t: kept },
    );
    expect(row.expires_at).toBe(expiresBefore);

    // then: once the background rewrite is done, no granule holds more than ~256 KiB
    await eventually(
      () =>
        ch.query<{ n: string }>(
          `SELECT count() AS n FROM system.mutations
           WHERE database = currentDatabase() AND table = 'events' AND NOT is_done`,
        ),
      ([m]) => Number(m.n) === 0,
      60_000,
    );
    const rewritten = await parts();
    const bytesPerGranule = rewritten.map((p) => Number(p.data_uncompressed_bytes) / Number(p.marks));
    expect(Math.max(...bytesPerGranule)).toBeLessThanOrEqual(262_144 * 1.1);
    expect(rewritten.reduce((n, p) => n + Number(p.marks), 0)).toBeGreaterThanOrEqual(
      (BULK * 1_000) / 262_144,
    );
    expect(await count()).toBe(BULK + 3);
    expect(await detail(kept)).toEqual(before);
  });

  it('archives and reads new events in the new table', async () => {
    const traceId = newTraceId();
    const at = { projectId: P, traceId, spanId: newSpanId(), occurredAt: '2026-03-06T08:00:00.000Z' };
    await project([spanEvent(at, { name: 'after', startedAt: at.occurredAt })], 'after');
    expect((await detail(traceId))?.trace).toMatchObject({ id: traceId, name: 'after', spanCount: 1 });
  });

  it('loses and doubles nothing when it is run again after stopping at any step', async () => {
    const n = await count();
    const [fine] = migrations.filter((m) => m.version === FINE_GRANULES);
    for (let stoppedAfter = 1; stoppedAfter <= fine.statements.length; stoppedAfter++) {
      for (const statement of fine.statements.slice(0, stoppedAfter)) await ch.command(statement);
      for (const statement of fine.statements) await ch.command(statement);
      expect(await count()).toBe(n);
    }
    expect(await detail(kept)).toEqual(before);
  });
});
