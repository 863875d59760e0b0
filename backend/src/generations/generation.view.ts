import { chTimeToIso } from '../clickhouse/time';
import type { GenerationRow } from './generation-row';

/** The GraphQL `Generation` (see schemas/graphql/schema.graphql). */
export interface GenerationView {
  id: string;
  projectId: string;
  traceId: string;
  spanId: string;
  source: string;
  provider: string;
  model: string;
  status: 'COMPLETED' | 'FAILED';
  startedAt: string;
  endedAt: string;
  latencyMs: number;
  timeToFirstTokenMs: number | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  input: string;
  output: string | null;
  finishReason: string | null;
  errorMessage: string | null;
  streamed: boolean;
}

const iso = (time: string): string => (time.includes('T') ? time : chTimeToIso(time));

/** Works for rows built in memory (live) and rows read back from ClickHouse alike. */
export function toGenerationView(row: GenerationRow): GenerationView {
  return {
    id: row.span_id,
    projectId: row.project_id,
    traceId: row.trace_id,
    spanId: row.span_id,
    source: row.source,
    provider: row.provider,
    model: row.model,
    status: row.status === 'completed' ? 'COMPLETED' : 'FAILED',
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    latencyMs: Number(row.latency_ms),
    timeToFirstTokenMs: row.ttft_ms === null ? null : Number(row.ttft_ms),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    input: row.input,
    output: row.output,
    finishReason: row.finish_reason || null,
    errorMessage: row.error_message || null,
    streamed: Boolean(row.stream),
  };
}
