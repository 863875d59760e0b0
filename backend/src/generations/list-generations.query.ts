import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ClickHouse } from '../clickhouse/clickhouse';
import { isoToChTime } from '../clickhouse/time';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { toGenerationView, type GenerationView, type ListedGeneration } from './generation.view';

export const MAX_PAGE_SIZE = 200;

export interface GenerationPage {
  edges: { cursor: string; node: GenerationView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Newest first, keyset-paginated on (started_at, span_id). */
export class ListGenerationsQuery extends Query<GenerationPage> {
  constructor(
    readonly projectId: string,
    readonly first: number,
    readonly after: { startedAt: string; spanId: string } | undefined,
  ) {
    super();
  }
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

export function encodeCursor(view: GenerationView): string {
  return Buffer.from(JSON.stringify([view.startedAt, view.spanId])).toString('base64url');
}

export function decodeCursor(cursor: string): { startedAt: string; spanId: string } {
  try {
    const [startedAt, spanId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof startedAt === 'string' && typeof spanId === 'string' && !Number.isNaN(Date.parse(startedAt))) {
      return { startedAt, spanId };
    }
  } catch {
    // fall through to the typed error
  }
  throw new InvalidCursorError('`after` is not a cursor this API returned');
}

/**
 * Ended generations, and requests with no end that are older than the bound: their process died
 * (a crash between the request and its end), so they are listed as interrupted rather than missing.
 * Derived at read time from the archive, so every instance and every rebuild agrees, and an end that
 * arrives late simply turns the row into a completed or failed one.
 */
const SELECT = `
  SELECT * FROM (
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
           tool_calls, finish_reason, error_message, stream, cache_hit, session_id, tags, metadata
    FROM generations
    WHERE project_id = {projectId:String}
    UNION ALL
    SELECT span_id, project_id, trace_id, toString(source), JSONExtractString(data, 'provider'),
           JSONExtractString(data, 'model'), '', 'interrupted', occurred_at, NULL, NULL, NULL, NULL, 0, 0, 0,
           'unknown', '', NULL, '0', '0', '0', '0', '0', '0', '0', '0', '', [],
           JSONExtractRaw(data, 'messages'), NULL, '[]', '[]', '', '',
           toBool(JSONExtractBool(data, 'stream')), false, JSONExtractString(data, 'sessionId'),
           JSONExtract(data, 'tags', 'Array(String)'), JSONExtract(data, 'metadata', 'Map(String, String)')
    FROM events
    WHERE project_id = {projectId:String}
      AND type = 'generation.requested'
      AND occurred_at < {interruptedBefore:DateTime64(3, 'UTC')}
      AND span_id NOT IN (SELECT span_id FROM generations WHERE project_id = {projectId:String})
  )
  WHERE {afterSpanId:String} = '' OR (started_at, span_id) < ({afterStartedAt:DateTime64(3, 'UTC')}, {afterSpanId:String})
  ORDER BY started_at DESC, span_id DESC
  LIMIT {limit:UInt32}`;

@QueryHandler(ListGenerationsQuery)
export class ListGenerationsHandler implements IQueryHandler<ListGenerationsQuery, GenerationPage> {
  constructor(
    @Inject(ClickHouse) private readonly ch: ClickHouse,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: Pick<AppConfig, 'interruptedAfterMs'>,
  ) {}

  async execute({ projectId, first, after }: ListGenerationsQuery): Promise<GenerationPage> {
    const interruptedBefore = new Date(this.clock.now().getTime() - this.config.interruptedAfterMs);
    const rows = await this.ch.query<ListedGeneration>(SELECT, {
      projectId,
      interruptedBefore: isoToChTime(interruptedBefore.toISOString()),
      afterStartedAt: after ? isoToChTime(after.startedAt) : '1970-01-01 00:00:00.000',
      afterSpanId: after?.spanId ?? '',
      limit: first + 1,
    });
    const edges = rows
      .slice(0, first)
      .map(toGenerationView)
      .map((node) => ({ cursor: encodeCursor(node), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }
}
