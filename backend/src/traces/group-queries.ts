import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ClickHouse } from '../clickhouse/clickhouse';
import type { Filter } from '../analytics/filter';
import { compileFilter } from '../analytics/filter-sql';
import { encodeListCursor, keyset, type ListOrder, type SortColumn } from '../analytics/list-order';
import { toGroupView, type GroupTotals, type GroupView } from './group.view';
import type { GroupDimension } from './trace-groups';
import { TRACE_COLUMNS, type TracePage } from './trace-queries';
import { toTraceView, type TraceColumns } from './trace.view';

export interface GroupPage {
  edges: { cursor: string; node: GroupView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export type GroupOrderField =
  'LAST_SEEN' | 'FIRST_SEEN' | 'TRACE_COUNT' | 'TOTAL_COST' | 'TOTAL_TOKENS' | 'ERROR_TRACE_COUNT';

/** The sort fields of `sessions`/`users(orderBy:)`: fixed SQL over the totals' aliases. */
export const GROUP_SORT: Readonly<Record<GroupOrderField, SortColumn>> = {
  LAST_SEEN: { expr: 'lastSeen', type: "DateTime64(3, 'UTC')" },
  FIRST_SEEN: { expr: 'firstSeen', type: "DateTime64(3, 'UTC')" },
  TRACE_COUNT: { expr: 'toFloat64(traceCount)', type: 'Float64' },
  TOTAL_COST: { expr: 'toFloat64(sum(total_cost_usd))', type: 'Float64' },
  TOTAL_TOKENS: { expr: 'toFloat64(totalTokens)', type: 'Float64' },
  ERROR_TRACE_COUNT: { expr: 'toFloat64(errorTraceCount)', type: 'Float64' },
};

const BY_LAST_SEEN: ListOrder<GroupOrderField> = { field: 'LAST_SEEN', direction: 'DESC' };

/**
 * A page of a project's sessions or users in `order` (most recently seen first by default), keyset-
 * paginated on (sort value, id). With a filter, totals are over the traces it matches, and a group
 * none of whose traces match is left out.
 */
export class ListGroupsQuery extends Query<GroupPage> {
  constructor(
    readonly dimension: GroupDimension,
    readonly projectId: string,
    readonly first: number,
    /** The previous page's `endCursor`. */
    readonly after: string | undefined,
    readonly filter: Filter | null = null,
    readonly order: ListOrder<GroupOrderField> = BY_LAST_SEEN,
  ) {
    super();
  }
}

/** One session or user of a project; null when no trace of the project names it. */
export class GetGroupQuery extends Query<GroupView | null> {
  constructor(
    readonly dimension: GroupDimension,
    readonly projectId: string,
    readonly groupId: string,
  ) {
    super();
  }
}

/** A session's traces oldest first (conversation order), a user's newest first. */
export class ListGroupTracesQuery extends Query<TracePage> {
  constructor(
    readonly dimension: GroupDimension,
    readonly projectId: string,
    readonly groupId: string,
    readonly first: number,
    /** The previous page's `endCursor`. */
    readonly after: string | undefined,
  ) {
    super();
  }
}

// FINAL: each trace's newest row in its group, deleting rows (a trace that left) dropped, before any
// merge. The key starts (project_id, dimension, group_id): one group is a primary-key range.
const TOTALS = (where: string, orderKey = "''") => `
  SELECT group_id AS id, project_id AS projectId, count() AS traceCount,
         uniqExactIf(session_id, session_id != '') AS sessionCount,
         sum(generation_count) AS generationCount, countIf(error_count > 0) AS errorTraceCount,
         sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens, sum(total_tokens) AS totalTokens,
         toString(sum(total_cost_usd)) AS totalCost, sum(unpriced_count) AS unpricedCount,
         sum(estimated_count) AS estimatedCount,
         min(started_at) AS firstSeen, max(greatest(started_at, ifNull(ended_at, started_at))) AS lastSeen,
         ${orderKey} AS orderKey,
         arraySlice(arraySort(groupUniqArrayIf(user_id, user_id != '')), 1, 20) AS userIds
  FROM trace_groups FINAL
  WHERE project_id = {projectId:String} AND dimension = {dimension:String} AND ${where}
  GROUP BY project_id, group_id`;

const STARTED_AT: SortColumn = { expr: 'started_at', type: "DateTime64(3, 'UTC')" };

const hasAny = (filter: Filter | null): filter is Filter =>
  !!filter && Object.values(filter).some((v) => v !== null && v !== undefined);

function page<T>(rows: readonly T[], first: number, cursorOf: (row: T) => string) {
  const edges = rows.slice(0, first).map((node) => ({ cursor: cursorOf(node), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

@QueryHandler(ListGroupsQuery)
export class ListGroupsHandler implements IQueryHandler<ListGroupsQuery, GroupPage> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ dimension, projectId, first, after, filter, order }: ListGroupsQuery): Promise<GroupPage> {
    const keys = keyset(GROUP_SORT[order.field], 'id', order, after);
    // The shared trace filter selects the traces counted: the same SQL as `traces(filter:)`, as a
    // semi-join on the trace id (a key column: FINAL still keeps each trace's newest row).
    const traces = hasAny(filter) ? compileFilter(projectId, filter, 'traces') : null;
    const where = traces ? `trace_id IN (SELECT trace_id FROM traces FINAL WHERE ${traces.where})` : '1';
    const rows = await this.ch.query<GroupTotals & { orderKey: string }>(
      `${TOTALS(where, keys.sortKey)}
       HAVING ${keys.after} ORDER BY ${keys.orderBy} LIMIT {limit:UInt32}`,
      { ...traces?.params, projectId, dimension, ...keys.params, limit: first + 1 },
    );
    const cursors = new Map(rows.map((r) => [r.id, encodeListCursor(order, r.orderKey, r.id)]));
    return page(rows.map(toGroupView), first, (g) => cursors.get(g.id) ?? '');
  }
}

@QueryHandler(GetGroupQuery)
export class GetGroupHandler implements IQueryHandler<GetGroupQuery, GroupView | null> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ dimension, projectId, groupId }: GetGroupQuery): Promise<GroupView | null> {
    const [row] = await this.ch.query<GroupTotals>(TOTALS('group_id = {groupId:String}'), {
      projectId,
      dimension,
      groupId,
    });
    return row ? toGroupView(row) : null;
  }
}

/** A session's traces in conversation order, a user's newest first. */
const TRACES_ORDER: Readonly<Record<GroupDimension, ListOrder<'STARTED_AT'>>> = {
  session: { field: 'STARTED_AT', direction: 'ASC' },
  user: { field: 'STARTED_AT', direction: 'DESC' },
};

@QueryHandler(ListGroupTracesQuery)
export class ListGroupTracesHandler implements IQueryHandler<ListGroupTracesQuery, TracePage> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute(query: ListGroupTracesQuery): Promise<TracePage> {
    const { dimension, projectId, groupId, first, after } = query;
    const order = TRACES_ORDER[dimension];
    const keys = keyset(STARTED_AT, 'trace_id', order, after);
    const ids = await this.ch.query<{ trace_id: string; sort_key: string }>(
      `SELECT trace_id, ${keys.sortKey} AS sort_key FROM trace_groups FINAL
       WHERE project_id = {projectId:String} AND dimension = {dimension:String} AND group_id = {groupId:String}
         AND ${keys.after}
       ORDER BY ${keys.orderBy}
       LIMIT {limit:UInt32}`,
      { projectId, dimension, groupId, ...keys.params, limit: first + 1 },
    );
    const rows = await this.ch.query<TraceColumns>(
      `SELECT ${TRACE_COLUMNS} FROM traces FINAL
       WHERE project_id = {projectId:String} AND trace_id IN {traceIds:Array(String)}`,
      { projectId, traceIds: ids.map((r) => r.trace_id) },
    );
    const byId = new Map(rows.map((r) => [r.trace_id, toTraceView(r)]));
    const cursors = new Map(ids.map((r) => [r.trace_id, encodeListCursor(order, r.sort_key, r.trace_id)]));
    const traces = ids.flatMap((r) => byId.get(r.trace_id) ?? []);
    return page(traces, first, (t) => cursors.get(t.id) ?? '');
  }
}
