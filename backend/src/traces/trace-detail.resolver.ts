import { Inject } from '@nestjs/common';
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso, isoToChTime } from '../clickhouse/time';
import type { TraceDetail } from './trace-queries';

interface StoredScore {
  score_id: string;
  span_id: string;
  name: string;
  data_type: 'numeric' | 'categorical' | 'boolean';
  value: number | null;
  string_value: string;
  comment: string;
  source: string;
  recorded_at: string;
}

interface StoredGeneration {
  span_id: string;
  ttft_ms: number | null;
  output_tokens_per_second: number | null;
  stream: boolean | number;
  params: string;
  replay_of: string;
}

/**
 * The trace detail's scores and generation facts, read when asked for (the parent was authorized
 * by `trace(id)`; its project scopes both reads). Both read along their table's sorting key.
 */
@Resolver('TraceDetail')
export class TraceDetailResolver {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  @ResolveField('scores')
  async scores(@Parent() detail: TraceDetail) {
    const rows = await this.ch.query<StoredScore>(
      `SELECT score_id, span_id, name, data_type, value, string_value, comment, source,
              toString(recorded_at) AS recorded_at
       FROM scores FINAL
       WHERE project_id = {projectId:String} AND trace_id = {traceId:String}
       ORDER BY recorded_at DESC, score_id`,
      { projectId: detail.trace.projectId, traceId: detail.trace.id },
    );
    return rows.map((r) => ({
      id: r.score_id,
      traceId: detail.trace.id,
      spanId: r.span_id || null,
      name: r.name,
      dataType: r.data_type.toUpperCase(),
      value: r.value === null ? null : Number(r.value),
      stringValue: r.string_value,
      comment: r.comment || null,
      source: r.source,
      recordedAt: chTimeToIso(r.recorded_at),
    }));
  }

  @ResolveField('generations')
  async generations(@Parent() detail: TraceDetail) {
    const spans = detail.spans.filter((s) => s.kind === 'GENERATION' && s.endedAt);
    if (spans.length === 0) return [];
    const starts = spans.map((s) => Date.parse(s.startedAt));
    const rows = await this.ch.query<StoredGeneration>(
      `SELECT span_id, ttft_ms, output_tokens_per_second, stream, params, replay_of
       FROM generations
       WHERE project_id = {projectId:String}
         AND started_at BETWEEN {from:DateTime64(3, 'UTC')} AND {to:DateTime64(3, 'UTC')}
         AND span_id IN {spanIds:Array(String)} AND trace_id = {traceId:String}
       LIMIT 1 BY span_id`,
      {
        projectId: detail.trace.projectId,
        traceId: detail.trace.id,
        spanIds: spans.map((s) => s.id),
        from: isoToChTime(new Date(Math.min(...starts)).toISOString()),
        to: isoToChTime(new Date(Math.max(...starts)).toISOString()),
      },
    );
    return rows.map((r) => ({
      spanId: r.span_id,
      timeToFirstTokenMs: r.ttft_ms === null ? null : Number(r.ttft_ms),
      outputTokensPerSecond: r.output_tokens_per_second === null ? null : Number(r.output_tokens_per_second),
      streamed: Boolean(r.stream),
      params: r.params || '{}',
      replayOf: r.replay_of || null,
    }));
  }
}
