import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ClickHouse } from '../clickhouse/clickhouse';
import { isoToChTime } from '../clickhouse/time';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { Filter } from '../analytics/filter';
import { compileFilter } from '../analytics/filter-sql';
import {
  encodeListCursor,
  keyset,
  type Keyset,
  type ListOrder,
  type SortColumn,
} from '../analytics/list-order';
import { toGenerationView, type GenerationView, type ListedGeneration } from './generation.view';

export const MAX_PAGE_SIZE = 200;

export interface GenerationPage {
  edges: { cursor: string; node: GenerationView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export type GenerationOrderField =
  'STARTED_AT' | 'LATENCY_MS' | 'COST' | 'TOTAL_TOKENS' | 'TIME_TO_FIRST_TOKEN_MS';

/** The sort fields of `generations(orderBy:)` over the listed columns: fixed SQL; nulls sort as 0. */
const GENERATION_SORT: Readonly<Record<GenerationOrderField, SortColumn>> = {
  STARTED_AT: { expr: 'started_at', type: "DateTime64(3, 'UTC')" },
  LATENCY_MS: { expr: 'toFloat64(ifNull(latency_ms, 0))', type: 'Float64' },
  COST: { expr: "toFloat64(ifNull(cost_usd, '0'))", type: 'Float64' },
  TOTAL_TOKENS: { expr: 'toFloat64(total_tokens)', type: 'Float64' },
  TIME_TO_FIRST_TOKEN_MS: { expr: 'toFloat64(ifNull(ttft_ms, 0))', type: 'Float64' },
};

/** Generations `filter` matches, in `order`, keyset-paginated on (sort value, trace id, span id). */
export class ListGenerationsQuery extends Query<GenerationPage> {
  constructor(
    readonly projectId: string,
    readonly first: number,
    /** The previous page's `endCursor`. */
    readonly after: string | undefined,
    readonly filter: Filter = {},
    readonly order: ListOrder<GenerationOrderField> = { field: 'STARTED_AT', direction: 'DESC' },
  ) {
    super();
  }
}

/** Interrupted requests have no row of their own to filter on: they are listed under time and status filters only. */
function listsInterrupted(filter: Filter): boolean {
  const { from: _from, to: _to, statuses, ...rest } = filter;
  const others = Object.values(rest).some((v) => v !== null && v !== undefined);
  return !others && (!statuses || statuses.includes('INTERRUPTED'));
}

/**
 * Ended generations, and requests with no end that are older than the bound: their process died
 * (a crash between the request and its end), so they are listed as interrupted rather than missing.
 * Derived at read time from the archive, so every instance and every rebuild agrees, and an end that
 * arrives late simply turns the row into a completed or failed one.
 */
export const ENDED = `
    SELECT span_id, project_id, trace_id, toString(source) AS source, toString(provider) AS provider,
           toString(model) AS model, served_model, toString(status) AS status, started_at,
           toNullable(ended_at) AS ended_at, toNullable(latency_ms) AS latency_ms, ttft_ms, output_tokens_per_second,
           input_tokens,
           output_tokens, total_tokens, toString(usage_source) AS usage_source, toString(usage_tokenizer) AS usage_tokenizer,
           toString(cost_usd) AS cost_usd, toString(cost_input_usd) AS cost_input_usd,
           toString(cost_output_usd) AS cost_output_usd, toString(cost_cached_input_usd) AS cost_cached_input_usd,
           toString(cost_cache_write_usd) AS cost_cache_write_usd, toString(cost_reasoning_usd) AS cost_reasoning_usd,
           toString(cost_audio_usd) AS cost_audio_usd, toString(cost_image_usd) AS cost_image_usd,
           toString(cost_request_fee_usd) AS cost_request_fee_usd, price_table_version,
           arrayMap(f -> toString(f), cost_flags) AS cost_flags, input, output, choices,
           tool_calls, finish_reason, error_message, stream, cache_hit, session_id, tags, metadata, replay_of
    FROM generations`;
const INTERRUPTED = `
    SELECT span_id, project_id, trace_id, toString(source), JSONExtractString(data, 'provider'),
           JSONExtractString(data, 'model'), '', 'interrupted', occurred_at, NULL, NULL, NULL, NULL, 0, 0, 0,
           'unknown', '', NULL, '0', '0', '0', '0', '0', '0', '0', '0', '', [],
           JSONExtractRaw(data, 'messages'), NULL, '[]', '[]', '', '',
           toBool(JSONExtractBool(data, 'stream')), false, JSONExtractString(data, 'sessionId'),
           JSONExtract(data, 'tags', 'Array(String)'), JSONExtract(data, 'metadata', 'Map(String, String)'),
           JSONExtractString(data, 'replayOf')
    FROM events
    WHERE project_id = {projectId:String}
      AND type = 'generation.requested'
      AND occurred_at < {interruptedBefore:DateTime64(3, 'UTC')}
      AND occurred_at >= {since:DateTime64(3, 'UTC')} AND occurred_at < {until:DateTime64(3, 'UTC')}
      AND (trace_id, span_id) NOT IN (SELECT trace_id, span_id FROM generations WHERE project_id = {projectId:String})`;

// Without interrupted rows the page reads `generations` alone, newest first along its sort key, and
// stops at the page's end (a search or a filter does not scan the month).
const select = (where: string, keys: Keyset, interrupted: boolean) => `
  SELECT *, ${keys.sortKey} AS sort_key FROM (
    ${ENDED} WHERE ${where}${interrupted ? ` UNION ALL ${INTERRUPTED}` : ''}
  )
  WHERE ${keys.after}
  ORDER BY ${keys.orderBy}
  LIMIT {limit:UInt32}`;

/** How many generations `filter` matches: the rows `ListGenerationsQuery` pages through (interrupted ones included). */
export class CountGenerationsQuery extends Query<number> {
  constructor(
    readonly projectId: string,
    readonly filter: Filter = {},
  ) {
    super();
  }
}

/** The bounds of the interrupted rows' archive read. */
function interruptedParams(projectId: string, filter: Filter, interruptedBefore: Date) {
  return {
    projectId,
    interruptedBefore: isoToChTime(interruptedBefore.toISOString()),
    since: isoToChTime(filter.from ?? '1970-01-01T00:00:00Z'),
    until: isoToChTime(filter.to ?? '2299-01-01T00:00:00Z'),
  };
}

@QueryHandler(CountGenerationsQuery)
export class CountGenerationsHandler implements IQueryHandler<CountGenerationsQuery, number> {
  constructor(
    @Inject(ClickHouse) private readonly ch: ClickHouse,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: Pick<AppConfig, 'interruptedAfterMs'>,
  ) {}

  async execute({ projectId, filter }: CountGenerationsQuery): Promise<number> {
    const interruptedBefore = new Date(this.clock.now().getTime() - this.config.interruptedAfterMs);
    const { where, params } = compileFilter(projectId, filter, 'generations');
    const interrupted = listsInterrupted(filter);
    const [row] = await this.ch.query<{ n: string }>(
      `SELECT count() AS n FROM (${ENDED} WHERE ${where}${interrupted ? ` UNION ALL ${INTERRUPTED}` : ''})`,
      { ...params, ...interruptedParams(projectId, filter, interruptedBefore) },
    );
    return Number(row?.n ?? 0);
  }
}

@QueryHandler(ListGenerationsQuery)
export class ListGenerationsHandler implements IQueryHandler<ListGenerationsQuery, GenerationPage> {
  constructor(
    @Inject(ClickHouse) private readonly ch: ClickHouse,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: Pick<AppConfig, 'interruptedAfterMs'>,
  ) {}

  async execute({ projectId, filter, order, first, after }: ListGenerationsQuery): Promise<GenerationPage> {
    const interruptedBefore = new Date(this.clock.now().getTime() - this.config.interruptedAfterMs);
    const { where, params } = compileFilter(projectId, filter, 'generations');
    // A span id is unique only within its trace (ingest lets every trace name its call "llm").
    const keys = keyset(GENERATION_SORT[order.field], ['trace_id', 'span_id'], order, after);
    const interrupted = listsInterrupted(filter);
    const rows = await this.ch.query<ListedGeneration & { sort_key: string }>(
      select(where, keys, interrupted),
      {
        ...params,
        ...keys.params,
        ...interruptedParams(projectId, filter, interruptedBefore),
        limit: first + 1,
      },
    );
    const edges = rows.slice(0, first).map((row) => ({
      cursor: encodeListCursor(order, row.sort_key, [row.trace_id, row.span_id]),
      node: toGenerationView(row),
    }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }
}
