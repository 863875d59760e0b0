import { Inject } from '@nestjs/common';
import { SPAN_KINDS, SPAN_STATUSES } from '@sightline/schemas';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { checkedList, type Filter } from '../analytics/filter';
import { compileFilter } from '../analytics/filter-sql';
import { encodeListCursor, keyset, type ListOrder, type SortColumn } from '../analytics/list-order';
import { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso } from '../clickhouse/time';
import { decimalUsd } from '../costs/usd-text';
import type { SpanView } from './trace.view';

/** `SpanFilter` of schemas/graphql/traces.graphql: the shared filter's span fields plus fields of spans alone. */
export type SpanFilter = Pick<
  Filter,
  | 'from'
  | 'to'
  | 'models'
  | 'providers'
  | 'sources'
  | 'userIds'
  | 'sessionIds'
  | 'tags'
  | 'metadata'
  | 'hasError'
  | 'errorMessage'
  | 'cost'
  | 'latencyMs'
  | 'inputTokens'
  | 'outputTokens'
  | 'totalTokens'
> & {
  readonly traceIds?: readonly string[] | null;
  readonly kinds?: readonly string[] | null;
  readonly spanStatuses?: readonly string[] | null;
  readonly names?: readonly string[] | null;
};

export type SpanOrderField = 'STARTED_AT' | 'LATENCY_MS' | 'TOTAL_TOKENS' | 'COST';

/** The sort fields of `spans(orderBy:)`: fixed SQL; running spans' latency and unpriced cost sort as 0. */
export const SPAN_SORT: Readonly<Record<SpanOrderField, SortColumn>> = {
  STARTED_AT: { expr: 'started_at', type: "DateTime64(3, 'UTC')" },
  LATENCY_MS: { expr: 'toFloat64(ifNull(latency_ms, 0))', type: 'Float64' },
  TOTAL_TOKENS: { expr: 'toFloat64(total_tokens)', type: 'Float64' },
  COST: { expr: 'toFloat64(ifNull(cost_usd, 0))', type: 'Float64' },
};

/** A span's id in a project: span ids are unique within their trace only. */
const SPAN_KEY = "concat(trace_id, '/', span_id)";

/** The GraphQL `SpanSummary`: a span's own fields as in the trace detail, with previews for its input and output. */
export type SpanSummaryView = Pick<
  SpanView,
  | 'id'
  | 'traceId'
  | 'parentSpanId'
  | 'kind'
  | 'name'
  | 'source'
  | 'status'
  | 'statusMessage'
  | 'level'
  | 'startedAt'
  | 'endedAt'
  | 'latencyMs'
  | 'model'
  | 'provider'
  | 'inputTokens'
  | 'outputTokens'
  | 'totalTokens'
  | 'cost'
  | 'userId'
  | 'sessionId'
  | 'tags'
  | 'metadata'
  | 'environment'
> & { inputPreview: string; outputPreview: string };

export interface SpanPage {
  edges: { cursor: string; node: SpanSummaryView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A project's spans that `filter` matches, in `order`, keyset-paginated on (sort value, trace/span id). */
export class ListSpansQuery extends Query<SpanPage> {
  constructor(
    readonly projectId: string,
    readonly filter: SpanFilter,
    readonly order: ListOrder<SpanOrderField>,
    readonly first: number,
    /** The previous page's `endCursor`. */
    readonly after: string | undefined,
  ) {
    super();
  }
}

const KINDS: ReadonlySet<string> = new Set(SPAN_KINDS);
const STATUSES: ReadonlySet<string> = new Set(SPAN_STATUSES);

/**
 * The span-only fields as conditions with parameters named `s<n>` (the shared part binds `f<n>`).
 * @throws InvalidInputError `invalid_filter` for a list over 100 values, an empty or over-long string, an unknown kind or status
 */
function spanOnly(filter: SpanFilter): { conditions: string[]; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  const conditions: string[] = [];
  const lists = [
    ['traceIds', 'trace_id', filter.traceIds, null],
    ['names', 'name', filter.names, null],
    ['kinds', 'kind', filter.kinds, KINDS],
    ['spanStatuses', 'toString(status)', filter.spanStatuses, STATUSES],
  ] as const;
  for (const [field, column, values, known] of lists) {
    if (!values?.length) continue;
    const stored = checkedList(field, values, known ?? undefined);
    const name = `s${conditions.length}`;
    params[name] = stored;
    conditions.push(`${column} IN {${name}:Array(String)}`);
  }
  return { conditions, params };
}

const SPAN_COLUMNS = `trace_id, span_id, parent_span_id, kind, name, source, toString(status) AS status_text, status_message,
  level, started_at, ended_at, latency_ms, model, provider, input_tokens, output_tokens, total_tokens,
  toString(cost_usd) AS cost_text, input_preview, output_preview, user_id, session_id, tags, metadata, environment`;

interface Listed {
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  kind: string;
  name: string;
  source: string;
  status_text: string;
  status_message: string;
  level: string;
  started_at: string;
  ended_at: string | null;
  latency_ms: number | string | null;
  model: string;
  provider: string;
  input_tokens: number | string;
  output_tokens: number | string;
  total_tokens: number | string;
  cost_text: string | null;
  input_preview: string;
  output_preview: string;
  user_id: string;
  session_id: string;
  tags: string[];
  metadata: Record<string, string>;
  environment: string;
  sort_key: string;
  span_key: string;
}

const orNull = (text: string): string | null => text || null;

function toView(row: Listed): SpanSummaryView {
  return {
    id: row.span_id,
    traceId: row.trace_id,
    parentSpanId: orNull(row.parent_span_id),
    kind: row.kind.toUpperCase(),
    name: row.name,
    source: row.source,
    status: row.status_text.toUpperCase(),
    statusMessage: orNull(row.status_message),
    level: row.level,
    startedAt: chTimeToIso(row.started_at),
    endedAt: row.ended_at ? chTimeToIso(row.ended_at) : null,
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    model: orNull(row.model),
    provider: orNull(row.provider),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    cost: row.cost_text === null ? null : decimalUsd(row.cost_text),
    inputPreview: row.input_preview,
    outputPreview: row.output_preview,
    userId: orNull(row.user_id),
    sessionId: orNull(row.session_id),
    tags: [...row.tags],
    metadata: Object.entries(row.metadata).map(([key, value]) => ({ key, value })),
    environment: orNull(row.environment),
  };
}

/**
 * Computed columns take their own aliases: an alias named as a column would replace it in WHERE.
 * FINAL: the newest row of each span, before any merge; the WHERE runs after FINAL's merge, so an older
 * row of a span never matches in its place. `spans` is sorted by (project, trace, span): the project
 * prefix bounds the read to the project's granules, and `traceIds` to those traces' granules.
 */
@QueryHandler(ListSpansQuery)
export class ListSpansHandler implements IQueryHandler<ListSpansQuery, SpanPage> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ projectId, filter, order, first, after }: ListSpansQuery): Promise<SpanPage> {
    const { traceIds, kinds, spanStatuses, names, ...shared } = filter;
    const own = spanOnly({ traceIds, kinds, spanStatuses, names });
    const { where, params } = compileFilter(projectId, shared, 'spans');
    const keys = keyset(SPAN_SORT[order.field], SPAN_KEY, order, after);
    const rows = await this.ch.query<Listed>(
      `SELECT ${SPAN_COLUMNS}, ${keys.sortKey} AS sort_key, ${SPAN_KEY} AS span_key FROM spans FINAL
       WHERE ${[where, ...own.conditions, keys.after].join(' AND ')}
       ORDER BY ${keys.orderBy}
       LIMIT {limit:UInt32}`,
      { ...params, ...own.params, ...keys.params, limit: first + 1 },
    );
    const edges = rows.slice(0, first).map((row) => ({
      cursor: encodeListCursor(order, row.sort_key, row.span_key),
      node: toView(row),
    }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
