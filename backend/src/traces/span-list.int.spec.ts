import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spanEvent } from '../../test/support/events';
import { projectAll } from '../../test/support/generation-world';
import type { SortDirection } from '../analytics/list-order';
import { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { InvalidInputError } from '../common/errors';
import { ListSpansHandler, ListSpansQuery, type SpanFilter, type SpanOrderField } from './span-list.query';

const P = 'p-span-list';
const OTHER = 'p-span-list-other';
const at = (minute: number) => new Date(Date.parse('2026-06-01T12:00:00Z') + minute * 60_000).toISOString();
const KINDS = ['agent', 'tool', 'generation'] as const;

/** Span i of trace t: kind by i, every fifth an error, latency (i+1) seconds, `tool-<i>` named tools. */
const span = (project: string, t: number, i: number) =>
  spanEvent(
    { projectId: project, traceId: `trace-${t}`, spanId: `s${i}`, parentSpanId: i ? 's0' : undefined },
    {
      kind: KINDS[i % 3],
      name: `${KINDS[i % 3]}-${i}`,
      startedAt: at(t * 10 + i),
      endedAt: new Date(Date.parse(at(t * 10 + i)) + (i + 1) * 1000).toISOString(),
      status: i % 5 === 4 ? 'error' : 'ok',
      ...(i % 5 === 4 ? { statusMessage: 'Tool Timed Out' } : {}),
      sessionId: `session-${t}`,
      metadata: { team: t % 2 ? 'odd' : 'even' },
    },
  );

describe('spans(): a project’s spans across traces, filtered, sorted and paged (chDB)', () => {
  let ch: ClickHouse;
  let handler: ListSpansHandler;

  // Given three traces of six spans in P, and a trace in another project with the same ids
  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-span-list-')),
    }));
    handler = new ListSpansHandler(ch);
    const events = [0, 1, 2].flatMap((t) => [0, 1, 2, 3, 4, 5].map((i) => span(P, t, i)));
    await projectAll(ch, [...events, ...[0, 1].map((i) => span(OTHER, 0, i))], 'span-list');
  });
  afterAll(() => ch.close());

  const list = (
    filter: SpanFilter,
    field: SpanOrderField = 'STARTED_AT',
    direction: SortDirection = 'DESC',
    first = 50,
    after?: string,
  ) => handler.execute(new ListSpansQuery(P, filter, { field, direction }, first, after));

  /** Every page of `size`, ids as trace/span. */
  async function pages(filter: SpanFilter, field: SpanOrderField, direction: SortDirection, size: number) {
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const page = await list(filter, field, direction, size, after);
      ids.push(...page.edges.map((e) => `${e.node.traceId}/${e.node.id}`));
      after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
    } while (after);
    return ids;
  }

  it('when listed without a filter, then it has the project’s 18 spans, newest first, and none of the other project', async () => {
    const page = await list({});
    expect(page.edges).toHaveLength(18);
    expect(page.edges[0].node).toMatchObject({
      traceId: 'trace-2',
      id: 's5',
      kind: 'GENERATION',
      status: 'OK',
    });
    const starts = page.edges.map((e) => Date.parse(e.node.startedAt));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it('when another project lists, then it sees only its own two spans', async () => {
    const page = await handler.execute(
      new ListSpansQuery(OTHER, {}, { field: 'STARTED_AT', direction: 'ASC' }, 50, undefined),
    );
    expect(page.edges.map((e) => e.node.name)).toEqual(['agent-0', 'tool-1']);
  });

  it.each<[string, SpanFilter, number]>([
    ['kinds', { kinds: ['TOOL'] }, 6],
    ['errors', { hasError: true }, 3],
    ['span statuses', { spanStatuses: ['ERROR', 'UNSET'] }, 3],
    ['an error message', { errorMessage: 'timed out' }, 3],
    ['names', { names: ['generation-2', 'agent-3'] }, 6],
    ['trace ids', { traceIds: ['trace-1'] }, 6],
    ['sessions', { sessionIds: ['session-0', 'session-2'] }, 12],
    ['metadata', { metadata: [{ key: 'team', value: 'odd' }] }, 6],
    ['latency', { latencyMs: { min: 5000 } }, 6],
    ['time', { from: at(10), to: at(22) }, 8],
    ['trace and kind together', { traceIds: ['trace-0'], kinds: ['GENERATION'] }, 2],
  ])('when filtered by %s, then it counts what matches', async (_name, filter, count) => {
    expect((await list(filter)).edges).toHaveLength(count);
  });

  it('when sorted by latency and paged by 4, then the pages join into the whole sorted list, ties by id', async () => {
    const whole = (await list({}, 'LATENCY_MS', 'DESC')).edges;
    expect(whole.slice(0, 3).map((e) => e.node.latencyMs)).toEqual([6000, 6000, 6000]);
    const ids = whole.map((e) => `${e.node.traceId}/${e.node.id}`);
    expect(await pages({}, 'LATENCY_MS', 'DESC', 4)).toEqual(ids);
    expect(await pages({ cost: { max: 1 } }, 'COST', 'DESC', 7)).toHaveLength(0);
    expect(await pages({ hasError: false }, 'COST', 'DESC', 7)).toHaveLength(15);
    expect(await pages({}, 'STARTED_AT', 'ASC', 5)).toEqual(
      (await list({}, 'STARTED_AT', 'ASC')).edges.map((e) => `${e.node.traceId}/${e.node.id}`),
    );
  });

  it('when given a cursor of another order or an unknown kind, then it refuses with invalid_argument / invalid_filter', async () => {
    const cursor = (await list({}, 'STARTED_AT', 'DESC', 2)).pageInfo.endCursor ?? '';
    await expect(list({}, 'LATENCY_MS', 'DESC', 2, cursor)).rejects.toMatchObject({
      reason: 'invalid_argument',
      param: 'after',
    });
    await expect(list({}, 'STARTED_AT', 'DESC', 2, 'garbage')).rejects.toThrow(InvalidInputError);
    await expect(list({ kinds: ['WIZARD'] })).rejects.toMatchObject({
      reason: 'invalid_filter',
      param: 'filter.kinds.0',
    });
    await expect(list({ from: at(5), to: at(1) })).rejects.toMatchObject({
      reason: 'invalid_filter',
      param: 'filter.to',
    });
  });

  it('when planned, then the read uses the primary key on the project (and on the trace when filtered by it)', async () => {
    const plan = async (sql: string) =>
      (await ch.query<{ explain: string }>(`EXPLAIN indexes = 1 ${sql}`, { p: P, t: ['trace-1'] }))
        .map((r) => r.explain)
        .join('\n');
    const byProject = await plan(
      'SELECT span_id FROM spans FINAL WHERE project_id = {p:String} ORDER BY started_at DESC LIMIT 10',
    );
    expect(byProject).toMatch(/PrimaryKey[\s\S]*Keys:[\s\S]*project_id/);
    const byTrace = await plan(
      'SELECT span_id FROM spans FINAL WHERE project_id = {p:String} AND trace_id IN {t:Array(String)} ORDER BY started_at DESC LIMIT 10',
    );
    expect(byTrace).toMatch(/PrimaryKey[\s\S]*Keys:[\s\S]*project_id[\s\S]*trace_id/);
  });
});
