import type { SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spanEvent } from '../../test/support/events';
import { projectAll } from '../../test/support/generation-world';
import { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { GROUP_SORT, ListGroupsHandler, ListGroupsQuery, type GroupOrderField } from './group-queries';
import type { Filter } from '../analytics/filter';
import type { SortDirection } from '../analytics/list-order';

const P = 'p-group-list';
const OTHER = 'p-group-list-other';
const at = (minute: number) => new Date(Date.parse('2026-06-01T12:00:00Z') + minute * 60_000).toISOString();

/** A one-span trace of `session` and `user`, started at minute `start`, an error when `error`. */
const trace = (project: string, id: string, session: string, user: string, start: number, error = false) => {
  const event = spanEvent(
    { projectId: project, traceId: id, spanId: `${id}-root` },
    {
      kind: 'agent',
      name: id,
      startedAt: at(start),
      endedAt: at(start + 1),
      sessionId: session,
      status: error ? 'error' : 'ok',
    },
  );
  return { ...event, endUserId: user } as SightlineEvent;
};

describe('sessions and users with the shared trace filter, sort options and cursors (chDB)', () => {
  let ch: ClickHouse;
  let handler: ListGroupsHandler;

  // Given sessions s-a (3 traces of ann, one failed), s-b (1 trace of bob, the newest), s-c (2 traces of
  // ann and bob), and a session s-a in another project
  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-group-list-')),
    }));
    handler = new ListGroupsHandler(ch);
    await projectAll(
      ch,
      [
        trace(P, 'a1', 's-a', 'ann', 0),
        trace(P, 'a2', 's-a', 'ann', 10, true),
        trace(P, 'a3', 's-a', 'ann', 20),
        trace(P, 'b1', 's-b', 'bob', 50),
        trace(P, 'c1', 's-c', 'ann', 30),
        trace(P, 'c2', 's-c', 'bob', 40),
        trace(OTHER, 'x1', 's-a', 'ann', 60),
      ],
      'group-list',
    );
  });
  afterAll(() => ch.close());

  const list = (
    dimension: 'session' | 'user',
    filter: Filter | null,
    field: GroupOrderField = 'LAST_SEEN',
    direction: SortDirection = 'DESC',
    first = 50,
    after?: string,
  ) => handler.execute(new ListGroupsQuery(dimension, P, first, after, filter, { field, direction }));
  const ids = async (...args: Parameters<typeof list>) => (await list(...args)).edges.map((e) => e.node.id);

  it('when listed without filter or order, then sessions come most recently seen first, the other project’s not counted', async () => {
    const page = await list('session', null);
    expect(page.edges.map((e) => [e.node.id, e.node.traceCount])).toEqual([
      ['s-b', 1],
      ['s-c', 2],
      ['s-a', 3],
    ]);
  });

  it('when filtered, then totals are over the matching traces and groups without any are left out', async () => {
    expect(
      (await list('session', { hasError: true })).edges.map((e) => [e.node.id, e.node.traceCount]),
    ).toEqual([['s-a', 1]]);
    expect(await ids('session', { userIds: ['bob'] })).toEqual(['s-b', 's-c']);
    expect(await ids('session', { from: at(15), to: at(45) })).toEqual(['s-c', 's-a']);
    const users = await list('user', { sessionIds: ['s-c'] });
    expect(users.edges.map((e) => [e.node.id, e.node.traceCount])).toEqual([
      ['bob', 1],
      ['ann', 1],
    ]);
  });

  it.each(Object.keys(GROUP_SORT) as GroupOrderField[])(
    'when sorted by %s and paged by one, then the pages join into the whole sorted list',
    async (field) => {
      for (const direction of ['ASC', 'DESC'] as const) {
        const whole = await ids('user', null, field, direction);
        const paged: string[] = [];
        let after: string | undefined;
        do {
          const page = await list('user', null, field, direction, 1, after);
          paged.push(...page.edges.map((e) => e.node.id));
          after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
        } while (after);
        expect(paged).toEqual(whole);
        expect(whole.sort()).toEqual(['ann', 'bob']);
      }
    },
  );

  it('when sorted by trace count, then the busiest session comes first', async () => {
    expect(await ids('session', null, 'TRACE_COUNT', 'DESC')).toEqual(['s-a', 's-c', 's-b']);
    expect(await ids('session', null, 'FIRST_SEEN', 'ASC')).toEqual(['s-a', 's-c', 's-b']);
  });

  it('when given a cursor of another order or a bad filter, then it refuses with invalid_argument / invalid_filter', async () => {
    const cursor = (await list('session', null, 'LAST_SEEN', 'DESC', 1)).pageInfo.endCursor ?? '';
    await expect(list('session', null, 'TRACE_COUNT', 'DESC', 1, cursor)).rejects.toMatchObject({
      reason: 'invalid_argument',
      param: 'after',
    });
    await expect(list('session', { from: at(5), to: at(1) })).rejects.toMatchObject({
      reason: 'invalid_filter',
      param: 'filter.to',
    });
  });
});
