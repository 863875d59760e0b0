import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, projectAll } from '../../test/support/generation-world';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { Clock } from '../common/clock';
import { InvalidInputError } from '../common/errors';
import { ListGenerationsHandler, ListGenerationsQuery } from '../generations/list-generations.query';
import { ListTracesHandler, ListTracesQuery } from '../traces/trace-queries';
import type { Filter } from './filter';
import type { ListOrder } from './list-order';

/** Every page of a list, `size` at a time, following `endCursor`. */
async function allPages(
  page: (after: string | undefined) => Promise<{
    edges: { node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  }>,
): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const { edges, pageInfo } = await page(after);
    ids.push(...edges.map((e) => e.node.id));
    if (!pageInfo.hasNextPage) return ids;
    after = pageInfo.endCursor ?? undefined;
  }
}

describe('filtered, sorted, paginated lists (chDB)', () => {
  let ch: ClickHouse;
  let traces: ListTracesHandler;
  let generations: ListGenerationsHandler;

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-lists-')),
    }));
    // Seven calls: latencies with a tie (300 twice), costs, two models; one in another project.
    const calls = [
      { name: 't1', model: 'gpt-4o', latencyMs: 300, usd: '0.300000000', day: '2026-03-01T10:00:00Z' },
      { name: 't2', model: 'gpt-4o', latencyMs: 100, usd: '0.900000000', day: '2026-03-01T11:00:00Z' },
      { name: 't3', model: 'claude', latencyMs: 300, usd: '0.100000000', day: '2026-03-01T12:00:00Z' },
      { name: 't4', model: 'gpt-4o', latencyMs: 50, day: '2026-03-01T13:00:00Z' },
      { name: 't5', model: 'gpt-4o', latencyMs: 900, usd: '0.500000000', day: '2026-03-01T14:00:00Z' },
      { name: 't6', model: 'claude', latencyMs: 10, usd: '2.000000000', day: '2026-03-01T15:00:00Z' },
      { name: 'x1', project: 'q', model: 'gpt-4o', latencyMs: 5000, day: '2026-03-01T16:00:00Z' },
    ];
    await projectAll(
      ch,
      calls.flatMap((c) => call(c)),
      'lists',
    );
    traces = new ListTracesHandler(ch);
    generations = new ListGenerationsHandler(ch, new Clock(), { interruptedAfterMs: 60_000 });
  });
  afterAll(() => ch.close());

  const traceIds = (filter: Filter, order: ListOrder<'STARTED_AT' | 'LATENCY_MS'>, size: number) =>
    allPages((after) => traces.execute(new ListTracesQuery('p', filter, order, size, after)));
  const generationTraces = async (filter: Filter, order: ListOrder<'COST' | 'STARTED_AT'>, size: number) =>
    (
      await allPages((after) =>
        generations.execute(new ListGenerationsQuery('p', size, after, filter, order)),
      )
    ).map((spanId) => spanId.replace(/-g$/, ''));

  it('pages traces in any order, ties broken by id, the same whatever the page size', async () => {
    const byLatency = ['t6', 't4', 't2', 't1', 't3', 't5'];
    for (const size of [1, 2, 6, 50]) {
      expect(await traceIds({}, { field: 'LATENCY_MS', direction: 'ASC' }, size)).toEqual(byLatency);
      expect(await traceIds({}, { field: 'LATENCY_MS', direction: 'DESC' }, size)).toEqual(
        [...byLatency].reverse(),
      );
    }
    expect(await traceIds({}, { field: 'STARTED_AT', direction: 'DESC' }, 4)).toEqual([
      't6',
      't5',
      't4',
      't3',
      't2',
      't1',
    ]);
  });

  it('filters the traces it pages', async () => {
    expect(await traceIds({ models: ['gpt-4o'] }, { field: 'LATENCY_MS', direction: 'DESC' }, 2)).toEqual([
      't5',
      't1',
      't2',
      't4',
    ]);
    expect(await traceIds({ cost: { min: 0.4 } }, { field: 'STARTED_AT', direction: 'ASC' }, 1)).toEqual([
      't2',
      't5',
      't6',
    ]);
  });

  it('pages generations by cost (unpriced as 0) under a filter', async () => {
    expect(await generationTraces({}, { field: 'COST', direction: 'DESC' }, 2)).toEqual([
      't6',
      't2',
      't5',
      't1',
      't3',
      't4',
    ]);
    expect(
      await generationTraces(
        { models: ['claude'], from: '2026-03-01T12:00:00Z' },
        { field: 'STARTED_AT', direction: 'ASC' },
        1,
      ),
    ).toEqual(['t3', 't6']);
  });

  it('refuses a cursor made under another order, or not made by us', async () => {
    const first = await traces.execute(
      new ListTracesQuery('p', {}, { field: 'LATENCY_MS', direction: 'ASC' }, 1, undefined),
    );
    const cursor = first.pageInfo.endCursor ?? '';
    await expect(
      traces.execute(new ListTracesQuery('p', {}, { field: 'LATENCY_MS', direction: 'DESC' }, 1, cursor)),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      generations.execute(new ListGenerationsQuery('p', 1, 'bm90IGEgY3Vyc29y')),
    ).rejects.toMatchObject({ reason: 'invalid_argument', param: 'after' });
  });

  it('lists only priced rows under a cost range: t4 has no price, not a price of $0', async () => {
    const cheap = { cost: { max: 0.2 } };
    expect(await generationTraces(cheap, { field: 'STARTED_AT', direction: 'ASC' }, 2)).toEqual(['t3']);
    expect(await traceIds(cheap, { field: 'STARTED_AT', direction: 'ASC' }, 2)).toEqual(['t3']);
  });

  it('refuses a bound chDB could not bind, and a generation cursor without its trace id, as bad input', async () => {
    await expect(
      generations.execute(new ListGenerationsQuery('p', 1, undefined, { cost: { max: 1e16 } })),
    ).rejects.toMatchObject({ reason: 'invalid_filter', param: 'filter.cost.max' });
    await expect(
      traces.execute(
        new ListTracesQuery(
          'p',
          { totalTokens: { min: 1e20 } },
          { field: 'STARTED_AT', direction: 'DESC' },
          1,
          undefined,
        ),
      ),
    ).rejects.toMatchObject({ reason: 'invalid_filter', param: 'filter.totalTokens.min' });
    const old = Buffer.from(
      JSON.stringify(['STARTED_AT', 'DESC', '2026-03-01 10:00:00.000', 't1-g']),
    ).toString('base64url');
    await expect(generations.execute(new ListGenerationsQuery('p', 1, old))).rejects.toMatchObject({
      reason: 'invalid_argument',
      param: 'after',
    });
  });
});
