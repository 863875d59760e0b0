import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EventArchive } from '../archive/event-archive';
import { ClickHouse } from '../clickhouse/clickhouse';
import type { Filter } from '../analytics/filter';
import { compileFilter } from '../analytics/filter-sql';
import {
  encodeListCursor,
  keyset,
  type Keyset,
  type ListOrder,
  type SortColumn,
} from '../analytics/list-order';
import { groupBy } from './group-by';
import { SPAN_EVENT_TYPES, type SpanEvent } from './span-patch';
import { foldSpan, wholeSpan } from './span-row';
import { rollUpTrace } from './trace-row';
import { traceTimes } from './trace-times';
import { spanTree, toTraceView, type SpanView, type TraceColumns, type TraceView } from './trace.view';

export const MAX_TRACES_PAGE = 200;

export interface TracePage {
  edges: { cursor: string; node: TraceView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface TraceDetail {
  trace: TraceView;
  spans: SpanView[];
}

export type TraceOrderField = 'STARTED_AT' | 'LATENCY_MS' | 'TOTAL_TOKENS' | 'ERROR_COUNT';

/** The sort fields of `traces(orderBy:)`: fixed SQL; a running trace's latency sorts as 0. */
export const TRACE_SORT: Readonly<Record<TraceOrderField, SortColumn>> = {
  STARTED_AT: { expr: 'started_at', type: "DateTime64(3, 'UTC')" },
  LATENCY_MS: { expr: 'toFloat64(ifNull(latency_ms, 0))', type: 'Float64' },
  TOTAL_TOKENS: { expr: 'toFloat64(total_tokens)', type: 'Float64' },
  ERROR_COUNT: { expr: 'toFloat64(error_count)', type: 'Float64' },
};

/** Traces of a project that `filter` matches, in `order`, keyset-paginated on (sort value, trace id). */
export class ListTracesQuery extends Query<TracePage> {
  constructor(
    readonly projectId: string,
    readonly filter: Filter,
    readonly order: ListOrder<TraceOrderField>,
    readonly first: number,
    /** The previous page's `endCursor`. */
    readonly after: string | undefined,
  ) {
    super();
  }
}

/** One trace of a project with its spans; null when the project has no such trace. */
export class GetTraceQuery extends Query<TraceDetail | null> {
  constructor(
    readonly projectId: string,
    readonly traceId: string,
  ) {
    super();
  }
}

/** The columns of a listed trace (`TraceColumns`). */
export const TRACE_COLUMNS = `trace_id, project_id, root_span_id, name, started_at, ended_at, latency_ms, span_count,
  generation_count, error_count, orphan_count, input_tokens, output_tokens, total_tokens,
  toString(total_cost_usd) AS total_cost_usd, unpriced_count, estimated_count, input_preview, output_preview,
  user_id, session_id, tags, release, app_version, environment`;

// FINAL: the newest rollup of each trace, before any merge. WHERE runs after FINAL's merge (ClickHouse
// keeps non-key filters out of PREWHERE under FINAL), so an older rollup never matches in its place.
const list = (where: string, keys: Keyset) => `
  SELECT ${TRACE_COLUMNS}, ${keys.sortKey} AS sort_key FROM traces FINAL
  WHERE ${where} AND ${keys.after}
  ORDER BY ${keys.orderBy}
  LIMIT {limit:UInt32}`;

// By start: `trace_list` is sorted by (project, start, trace), so this reads the newest (or oldest)
// rows in key order and stops after {scan} matches; their other columns are read for those rows only
// (lazily, after the LIMIT). No FINAL: older rollups are there too (at the same place, or where the
// trace started before a late root moved it), dropped by version.
const rowsByStart = (where: string, keys: Keyset) => `
  SELECT ${TRACE_COLUMNS}, ${keys.sortKey} AS sort_key, toString(event_count) AS version FROM trace_list
  WHERE ${where} AND ${keys.after}
  ORDER BY ${keys.orderBy}
  LIMIT {scan:UInt32}`;

/** From `trace_versions` (0040): `traces` versions in 256-row granules, so ~100 random ids read ~100 small granules. */
const CURRENT_VERSIONS = `
  SELECT trace_id, toString(max(version)) AS version FROM trace_versions
  WHERE project_id = {projectId:String} AND trace_id IN {traceIds:Array(String)}
  GROUP BY trace_id`;

type Listed = TraceColumns & { sort_key: string };
/** A row as `rowsByStart` reads it, with ClickHouse's text of its version. */
type Versioned = Listed & { version: string };
const versionOf = (r: { trace_id: string; version: string }) => `${r.trace_id}/${r.version}`;

@QueryHandler(ListTracesQuery)
export class ListTracesHandler implements IQueryHandler<ListTracesQuery, TracePage> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ projectId, filter, order, first, after }: ListTracesQuery): Promise<TracePage> {
    const keys = keyset(TRACE_SORT[order.field], 'trace_id', order, after);
    const rows =
      order.field === 'STARTED_AT'
        ? await this.byStart(projectId, filter, keys, first + 1)
        : await this.byFinal(projectId, filter, keys, first + 1);
    const edges = rows.slice(0, first).map((row) => ({
      cursor: encodeListCursor(order, row.sort_key, row.trace_id),
      node: toTraceView(row),
    }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  private async byFinal(projectId: string, filter: Filter, keys: Keyset, limit: number): Promise<Listed[]> {
    const { where, params } = compileFilter(projectId, filter, 'traces');
    return this.ch.query<Listed>(list(where, keys), { ...params, ...keys.params, limit });
  }

  /**
   * The first `limit` current traces in start order: rows are read in key order, and a row counts only
   * when it carries its trace's current version. Those form an exact prefix of the answer (a trace's
   * current row is always in `trace_list`), so reading further is needed only while the prefix is short.
   */
  private async byStart(projectId: string, filter: Filter, keys: Keyset, limit: number): Promise<Listed[]> {
    const { where, params } = compileFilter(projectId, filter, 'trace_list');
    for (let scan = limit * 2; ; scan *= 4) {
      const rows = await this.ch.query<Versioned>(rowsByStart(where, keys), {
        ...params,
        ...keys.params,
        scan,
      });
      const traceIds = [...new Set(rows.map((r) => r.trace_id))];
      const versions = traceIds.length
        ? await this.ch.query<{ trace_id: string; version: string }>(CURRENT_VERSIONS, {
            projectId,
            traceIds,
          })
        : [];
      const current = new Set(versions.map(versionOf));
      const seen = new Set<string>();
      const kept = rows.filter((r) => {
        if (!current.has(versionOf(r)) || seen.has(r.trace_id)) return false;
        seen.add(r.trace_id);
        return true;
      });
      if (kept.length >= limit || rows.length < scan) return kept.slice(0, limit);
    }
  }
}

/**
 * Folded from the archive, not read from `spans`: running spans are shown too, and nothing waits for
 * a merge. `trace_times` bounds the archive read to the months the trace's events happened in.
 */
@QueryHandler(GetTraceQuery)
export class GetTraceHandler implements IQueryHandler<GetTraceQuery, TraceDetail | null> {
  constructor(
    @Inject(ClickHouse) private readonly ch: ClickHouse,
    @Inject(EventArchive) private readonly archive: EventArchive,
  ) {}

  async execute({ projectId, traceId }: GetTraceQuery): Promise<TraceDetail | null> {
    const range = await traceTimes(this.ch, [{ projectId, traceId }]);
    if (!range) return null;
    const events = (await this.archive.eventsOfTrace(
      projectId,
      traceId,
      SPAN_EVENT_TYPES,
      range,
    )) as SpanEvent[];
    if (!events.length) return null;
    const bySpan = [...groupBy(events, (e) => e.spanId)];
    const rows = bySpan.map(([, spanEvents]) => foldSpan(spanEvents));
    const wholes = new Map(bySpan.map(([spanId, spanEvents]) => [spanId, wholeSpan(spanEvents)]));
    return { trace: toTraceView(rollUpTrace(rows)), spans: spanTree(rows, wholes) };
  }
}
