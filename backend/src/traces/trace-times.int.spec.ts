import { newSpanId, newTraceId, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArchiveProjection } from '../archive/archive.projection';
import { EVENTS_OF_TRACE, EventArchive } from '../archive/event-archive';
import { CLICKHOUSE_MIGRATIONS_DIR } from '@sightline/schemas';
import { ClickHouse } from '../clickhouse/clickhouse';
import { isoToChTime } from '../clickhouse/time';
import { loadMigrations, migrate, openClickHouse } from '../clickhouse/migrator';
import { spanEvent } from '../../test/support/events';
import { SpansProjection } from './spans.projection';
import { SPAN_EVENT_TYPES } from './span-patch';
import { GetTraceHandler, GetTraceQuery } from './trace-queries';
import { traceTimes } from './trace-times';

const P = 'p-times';

describe('the trace-id → time lookup (chDB)', () => {
  let ch: ClickHouse;
  const project = async (events: readonly SightlineEvent[], token: string) => {
    await new ArchiveProjection(ch).apply({ events, dedupToken: token });
    await new SpansProjection(ch, new EventArchive(ch)).apply({ events, dedupToken: token });
  };
  /** A one-span trace whose start and end events happened at these times. */
  const traceAt = (start: string, end: string) => {
    const at = { projectId: P, traceId: newTraceId(), spanId: newSpanId() };
    return [
      spanEvent({ ...at, occurredAt: start }, { name: 'run', startedAt: start }),
      spanEvent({ ...at, occurredAt: end }, { endedAt: end }),
    ];
  };

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-times-')),
    }));
  });
  afterAll(() => ch.close());

  it('given traces over twelve months, when one trace is read by id, then only the parts of its months are opened', async () => {
    // given: one trace per month of 2026, each month its own partition of the archive
    const months = Array.from({ length: 12 }, (_, m) => `2026-${String(m + 1).padStart(2, '0')}`);
    const traces = months.map((month) => traceAt(`${month}-10T10:00:00.000Z`, `${month}-10T10:00:01.000Z`));
    for (const [i, events] of traces.entries()) await project(events, `times-${i}`);
    // and one trace whose end came in the month after its start
    const straddling = traceAt('2026-05-31T23:59:59.000Z', '2026-06-01T00:00:02.000Z');
    await project(straddling, 'times-straddling');
    const traceId = straddling[0].traceId;

    // when
    const range = await traceTimes(ch, [{ projectId: P, traceId }]);
    const explain = await ch.query<{ explain: string }>(`EXPLAIN indexes = 1 ${EVENTS_OF_TRACE}`, {
      projectId: P,
      traceId,
      types: SPAN_EVENT_TYPES,
      from: isoToChTime(range!.from),
      to: isoToChTime(range!.to),
    });

    // then: the bounds are the trace's, and the min-max index of occurred_at keeps the parts of its two
    // months before any primary index is opened (without bounds, every part's primary index is searched)
    expect(range).toEqual({ from: '2026-05-31T23:59:59.000Z', to: '2026-06-01T00:00:02.000Z' });
    const plan = explain.map((r) => r.explain).join('\n');
    const parts = (index: string) => {
      const match = new RegExp(`${index}[\\s\\S]*?Parts: (\\d+)/(\\d+)`).exec(plan);
      return match ? [Number(match[1]), Number(match[2])] : undefined;
    };
    const [kept, total] = parts('Min-Max') ?? [0, 0];
    expect(total).toBeGreaterThanOrEqual(13);
    expect(kept).toBe(2);
    const detail = await new GetTraceHandler(ch, new EventArchive(ch)).execute(new GetTraceQuery(P, traceId));
    expect(detail?.trace).toMatchObject({ id: traceId, spanCount: 1, latencyMs: 3000 });
  });

  it('answers null for a trace id it has no time for, without reading the archive', async () => {
    expect(await traceTimes(ch, [{ projectId: P, traceId: newTraceId() }])).toBeUndefined();
    expect(
      await new GetTraceHandler(ch, new EventArchive(ch)).execute(new GetTraceQuery(P, newTraceId())),
    ).toBeNull();
  });
});

describe('trace_times made again in 256-row granules (chDB, migration 0033)', () => {
  it('given times recorded before the migration, then a trace is found with the same range, and later events still widen it', async () => {
    const ch = ClickHouse.connect({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-times-0033-')),
    });
    try {
      const migrations = loadMigrations(CLICKHOUSE_MIGRATIONS_DIR);
      await migrate(
        ch,
        migrations.filter((m) => m.version < 33),
      );
      const at = { projectId: P, traceId: newTraceId(), spanId: newSpanId() };
      const start = '2026-02-10T08:00:00.000Z';
      const before = [spanEvent({ ...at, occurredAt: start }, { name: 'run', startedAt: start })];
      await new ArchiveProjection(ch).apply({ events: before, dedupToken: 'before' });
      await new SpansProjection(ch, new EventArchive(ch)).apply({ events: before, dedupToken: 'before' });
      await migrate(ch, migrations);

      const [table] = await ch.query<{ engine_full: string }>(
        "SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = 'trace_times'",
      );
      expect(table.engine_full).toContain('index_granularity = 256');
      expect(await traceTimes(ch, [at])).toEqual({ from: start, to: start });
      const end = '2026-03-02T09:00:00.000Z';
      const after = [spanEvent({ ...at, occurredAt: end }, { endedAt: end })];
      await new ArchiveProjection(ch).apply({ events: after, dedupToken: 'after' });
      await new SpansProjection(ch, new EventArchive(ch)).apply({ events: after, dedupToken: 'after' });
      expect(await traceTimes(ch, [at])).toEqual({ from: start, to: end });
    } finally {
      await ch.close();
    }
  });
});
