import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { EventArchive } from '../archive/event-archive';
import { ClickHouse } from '../clickhouse/clickhouse';
import { isoToChTime } from '../clickhouse/time';
import type { TraceCursor } from './trace-cursor';
import { encodeTraceCursor } from './trace-cursor';
import { groupBy } from './group-by';
import { SPAN_EVENT_TYPES, type SpanEvent } from './span-patch';
import { wholeSpan, type SpanRow } from './span-row';
import type { TraceRow } from './trace-row';
import { spanTree, toTraceView, type SpanView, type Stored, type TraceView } from './trace.view';

export const MAX_TRACES_PAGE = 200;

export interface TracePage {
  edges: { cursor: string; node: TraceView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface TraceDetail {
  trace: TraceView;
  spans: SpanView[];
}

/** Traces of a project started in [from, to), newest first, keyset-paginated on (started_at, trace_id). */
export class ListTracesQuery extends Query<TracePage> {
  constructor(
    readonly projectId: string,
    readonly from: Date,
    readonly to: Date,
    readonly first: number,
    readonly after: TraceCursor | undefined,
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

const TRACE_COLUMNS = `trace_id, project_id, root_span_id, name, started_at, ended_at, latency_ms, span_count,
  generation_count, error_count, input_tokens, output_tokens, total_tokens, input_preview, output_preview,
  user_id, session_id, tags, release, app_version, environment`;

type StoredTrace = Stored<Omit<TraceRow, 'event_count'>>;

// FINAL: the newest rollup of each trace, before any merge. WHERE runs after FINAL's merge (ClickHouse
// keeps non-key filters out of PREWHERE under FINAL), so an older rollup never matches in its place.
const LIST = `
  SELECT ${TRACE_COLUMNS} FROM traces FINAL
  WHERE project_id = {projectId:String}
    AND started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
    AND ({afterTraceId:String} = ''
         OR (started_at, trace_id) < ({afterStartedAt:DateTime64(3, 'UTC')}, {afterTraceId:String}))
  ORDER BY started_at DESC, trace_id DESC
  LIMIT {limit:UInt32}`;

@QueryHandler(ListTracesQuery)
export class ListTracesHandler implements IQueryHandler<ListTracesQuery, TracePage> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ projectId, from, to, first, after }: ListTracesQuery): Promise<TracePage> {
    const rows = await this.ch.query<StoredTrace>(LIST, {
      projectId,
      from: isoToChTime(from.toISOString()),
      to: isoToChTime(to.toISOString()),
      afterStartedAt: after ? isoToChTime(after.startedAt) : '1970-01-01 00:00:00.000',
      afterTraceId: after?.traceId ?? '',
      limit: first + 1,
    });
    const edges = rows.slice(0, first).map((row) => {
      const node = toTraceView(row);
      return { cursor: encodeTraceCursor(node), node };
    });
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}

@QueryHandler(GetTraceQuery)
export class GetTraceHandler implements IQueryHandler<GetTraceQuery, TraceDetail | null> {
  constructor(
    @Inject(ClickHouse) private readonly ch: ClickHouse,
    @Inject(EventArchive) private readonly archive: EventArchive,
  ) {}

  async execute({ projectId, traceId }: GetTraceQuery): Promise<TraceDetail | null> {
    const ids = { projectId, traceId };
    const [trace] = await this.ch.query<StoredTrace>(
      `SELECT ${TRACE_COLUMNS} FROM traces FINAL
       WHERE project_id = {projectId:String} AND trace_id = {traceId:String}`,
      ids,
    );
    if (!trace) return null;
    const [rows, events] = await Promise.all([
      this.ch.query<Stored<SpanRow>>(
        `SELECT * EXCEPT (status), toString(status) AS status FROM spans FINAL
         WHERE project_id = {projectId:String} AND trace_id = {traceId:String}`,
        ids,
      ),
      this.archive.eventsOfTrace(projectId, traceId, SPAN_EVENT_TYPES) as Promise<SpanEvent[]>,
    ]);
    const bySpan = groupBy(events, (e) => e.spanId);
    const wholes = new Map([...bySpan].map(([spanId, spanEvents]) => [spanId, wholeSpan(spanEvents)]));
    return { trace: toTraceView(trace), spans: spanTree(rows, wholes) };
  }
}
