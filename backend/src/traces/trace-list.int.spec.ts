import type { SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spanEvent } from '../../test/support/events';
import { projectAll } from '../../test/support/generation-world';
import type { Filter } from '../analytics/filter';
import { compileFilter } from '../analytics/filter-sql';
import type { SortDirection } from '../analytics/list-order';
import { CLICKHOUSE_MIGRATIONS_DIR } from '@sightline/schemas';
import { ClickHouse } from '../clickhouse/clickhouse';
import { loadMigrations, migrate, openClickHouse } from '../clickhouse/migrator';
import { ListTracesHandler, ListTracesQuery } from './trace-queries';

const P = 'p-trace-list';
const MODELS = ['gpt-4o', 'claude-haiku', 'gpt-4o-mini'];
const at = (minute: number) => new Date(Date.parse('2026-06-01T12:00:00Z') + minute * 60_000).toISOString();

const span = (
  trace: number,
  id: string,
  data: { kind: string; start: number; model?: string; parent?: string },
) =>
  spanEvent(
    {
      projectId: P,
      traceId: `trace-${String(trace).padStart(2, '0')}`,
      spanId: id,
      parentSpanId: data.parent,
    },
    {
      kind: data.kind as 'agent',
      name: id,
      startedAt: at(data.start),
      endedAt: at(data.start + 0.5),
      ...(data.model
        ? { model: data.model, provider: data.model.startsWith('gpt') ? 'openai' : 'anthropic' }
        : {}),
    },
  );

/**
 * Batch 1: sixteen traces' generations, one a minute (their roots not yet arrived). Batch 2: the roots
 * of the even traces, started 30 minutes before their generation (their start moves earlier, leaving
 * their first rollup behind in trace_list), and a second generation of another model in every third.
 */
function batches(): SightlineEvent[][] {
  const ids = Array.from({ length: 16 }, (_, i) => i);
  return [
    ids.map((i) => span(i, `g${i}`, { kind: 'generation', start: i, model: MODELS[i % 2], parent: `r${i}` })),
    ids.flatMap((i) => [
      ...(i % 2 === 0 ? [span(i, `r${i}`, { kind: 'agent', start: i - 30 })] : []),
      ...(i % 3 === 0 ? [span(i, `h${i}`, { kind: 'generation', start: i + 1, model: MODELS[2] })] : []),
    ]),
  ];
}

describe('the trace list by start, read from trace_list in key order (chDB)', () => {
  let ch: ClickHouse;
  let handler: ListTracesHandler;

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-trace-list-')),
    }));
    handler = new ListTracesHandler(ch);
    for (const [i, events] of batches().entries()) await projectAll(ch, events, `trace-list-${i}`);
  });
  afterAll(() => ch.close());

  /** Every page of `size`, in order. */
  async function pages(filter: Filter, direction: SortDirection, size: number): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const page = await handler.execute(
        new ListTracesQuery(P, filter, { field: 'STARTED_AT', direction }, size, after),
      );
      ids.push(...page.edges.map((e) => e.node.id));
      after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
    } while (after);
    return ids;
  }

  /** The same list from `traces FINAL`, filtering models through the spans (the path other sort orders take). */
  async function reference(filter: Filter, direction: SortDirection): Promise<string[]> {
    const { where, params } = compileFilter(P, filter, 'traces');
    const rows = await ch.query<{ trace_id: string }>(
      `SELECT trace_id FROM traces FINAL WHERE ${where} ORDER BY started_at ${direction}, trace_id ${direction}`,
      params,
    );
    return rows.map((r) => r.trace_id);
  }

  it('given traces whose start moved earlier, then trace_list still holds their first rollups where they started', async () => {
    const [row] = await ch.query<{ places: string }>(
      `SELECT uniqExact(started_at) AS places FROM trace_list WHERE project_id = {p:String} AND trace_id = 'trace-04'`,
      { p: P },
    );
    expect(Number(row.places)).toBe(2);
  });

  it.each<[string, Filter]>([
    ['no filter', {}],
    ['a model', { models: ['gpt-4o'] }],
    ['a model only later generations used', { models: ['gpt-4o-mini'] }],
    ['a provider and a window', { providers: ['anthropic'], from: at(-20), to: at(10) }],
  ])(
    'given %s, when every page is read newest and oldest first, then each trace comes once, in its current place',
    async (_, filter) => {
      for (const direction of ['DESC', 'ASC'] as const) {
        const expected = await reference(filter, direction);
        expect(expected.length).toBeGreaterThan(2);
        for (const size of [1, 3, 50]) expect(await pages(filter, direction, size)).toEqual(expected);
      }
    },
  );

  it('given a page, then its traces show their current rollup: the moved start and every model', async () => {
    const page = await handler.execute(
      new ListTracesQuery(
        P,
        { models: ['gpt-4o-mini'] },
        { field: 'STARTED_AT', direction: 'ASC' },
        1,
        undefined,
      ),
    );
    expect(page.edges.map((e) => [e.node.id, e.node.startedAt, e.node.spanCount])).toEqual([
      ['trace-00', at(-30), 3],
    ]);
  });
});

describe('the trace list over traces rolled up before trace_versions (chDB, migration 0040)', () => {
  let ch: ClickHouse;

  beforeAll(async () => {
    ch = ClickHouse.connect({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-trace-versions-')),
    });
    const migrations = loadMigrations(CLICKHOUSE_MIGRATIONS_DIR);
    const [first, second] = batches();
    // The first batch before the versions table (the odd traces get no later rollup)...
    await migrate(
      ch,
      migrations.filter((m) => m.version < 40),
    );
    await projectAll(ch, first, 'before-0040');
    // ...then the migration (its backfill), and the roots that move the even traces' starts.
    await migrate(ch, migrations);
    await projectAll(ch, second, 'after-0040');
  });
  afterAll(() => ch.close());

  it('given every page newest first, then each trace comes once, in its current place, as traces FINAL has it', async () => {
    const handler = new ListTracesHandler(ch);
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const page = await handler.execute(
        new ListTracesQuery(P, {}, { field: 'STARTED_AT', direction: 'DESC' }, 3, after),
      );
      ids.push(...page.edges.map((e) => e.node.id));
      after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
    } while (after);
    const expected = await ch.query<{ trace_id: string }>(
      `SELECT trace_id FROM traces FINAL WHERE project_id = {p:String} ORDER BY started_at DESC, trace_id DESC`,
      { p: P },
    );
    expect(expected).toHaveLength(16);
    expect(ids).toEqual(expected.map((r) => r.trace_id));
  });
});
