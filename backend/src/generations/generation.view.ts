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
  status: 'COMPLETED' | 'FAILED' | 'INTERRUPTED';
  startedAt: string;
  endedAt: string | null;
  latencyMs: number | null;
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

/** A listed generation: an ended row, or a request whose end never arrived (no end, no latency). */
export type ListedGeneration =
  | GenerationRow
  | (Omit<GenerationRow, 'status' | 'ended_at' | 'latency_ms'> & {
      readonly status: 'interrupted';
      readonly ended_at: null;
      readonly latency_ms: null;
    });

const STATUS = { completed: 'COMPLETED', failed: 'FAILED', interrupted: 'INTERRUPTED' } as const;

const iso = (time: string): string => (time.includes('T') ? time : chTimeToIso(time));

/** Works for rows built in memory (live) and rows read back from ClickHouse alike. */
export function toGenerationView(row: ListedGeneration): GenerationView {
  return {
    id: row.span_id,
    projectId: row.project_id,
    traceId: row.trace_id,
    spanId: row.span_id,
    source: row.source,
    provider: row.provider,
    model: row.model,
    status: STATUS[row.status],
    startedAt: iso(row.started_at),
    endedAt: row.ended_at === null ? null : iso(row.ended_at),
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
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
