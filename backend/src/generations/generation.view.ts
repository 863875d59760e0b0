import { chTimeToIso } from '../clickhouse/time';
import type { GenerationRow } from './generation-row';

interface ToolCallView {
  choiceIndex: number;
  id: string;
  name: string;
  arguments: string;
}

interface ChoiceView {
  index: number;
  content: string | null;
  refusal: string | null;
  reasoning: string | null;
  finishReason: string | null;
  toolCalls: ToolCallView[];
}

/** The GraphQL `Generation` (see schemas/graphql/schema.graphql). */
export interface GenerationView {
  id: string;
  projectId: string;
  traceId: string;
  spanId: string;
  source: string;
  provider: string;
  model: string;
  servedModel: string | null;
  status: 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'INTERRUPTED';
  startedAt: string;
  endedAt: string | null;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  outputTokensPerSecond: number | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  usageSource: 'REPORTED' | 'ESTIMATED' | 'UNKNOWN';
  input: string;
  output: string | null;
  choices: ChoiceView[];
  toolCalls: ToolCallView[];
  finishReason: string | null;
  errorMessage: string | null;
  streamed: boolean;
  cacheHit: boolean;
  sessionId: string | null;
  tags: string[];
  metadata: { key: string; value: string }[];
}

/** The columns a listing reads. */
export type ListedColumns = Pick<
  GenerationRow,
  | 'span_id'
  | 'project_id'
  | 'trace_id'
  | 'source'
  | 'provider'
  | 'model'
  | 'served_model'
  | 'started_at'
  | 'ttft_ms'
  | 'output_tokens_per_second'
  | 'input_tokens'
  | 'output_tokens'
  | 'total_tokens'
  | 'usage_source'
  | 'input'
  | 'output'
  | 'choices'
  | 'tool_calls'
  | 'finish_reason'
  | 'error_message'
  | 'stream'
  | 'cache_hit'
  | 'session_id'
  | 'tags'
  | 'metadata'
>;

/** A listed generation: an ended row, or a request whose end never arrived (no end, no latency). */
export type ListedGeneration =
  | (ListedColumns & Pick<GenerationRow, 'status' | 'ended_at' | 'latency_ms'>)
  | (ListedColumns & { readonly status: 'interrupted'; readonly ended_at: null; readonly latency_ms: null });

const STATUS = {
  completed: 'COMPLETED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
  interrupted: 'INTERRUPTED',
} as const;

const USAGE_SOURCE = { reported: 'REPORTED', estimated: 'ESTIMATED', unknown: 'UNKNOWN' } as const;

const iso = (time: string): string => (time.includes('T') ? time : chTimeToIso(time));

function parsed<T>(json: string): T[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

function choicesOf(row: ListedColumns): { choices: ChoiceView[]; toolCalls: ToolCallView[] } {
  const toolCalls = parsed<{ choice: number; id: string; name: string; arguments: string }>(
    row.tool_calls,
  ).map(({ choice, ...call }) => ({ choiceIndex: Number(choice), ...call }));
  const choices = parsed<{
    index: number;
    content: string | null;
    refusal?: string;
    reasoning?: string;
    finishReason: string | null;
  }>(row.choices).map((c) => ({
    index: Number(c.index),
    content: c.content,
    refusal: c.refusal ?? null,
    reasoning: c.reasoning ?? null,
    finishReason: c.finishReason,
    toolCalls: toolCalls.filter((t) => t.choiceIndex === Number(c.index)),
  }));
  return { choices, toolCalls };
}

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
    servedModel: row.served_model || null,
    status: STATUS[row.status],
    startedAt: iso(row.started_at),
    endedAt: row.ended_at === null ? null : iso(row.ended_at),
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    timeToFirstTokenMs: row.ttft_ms === null ? null : Number(row.ttft_ms),
    outputTokensPerSecond:
      row.output_tokens_per_second === null ? null : Number(row.output_tokens_per_second),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    usageSource: USAGE_SOURCE[row.usage_source],
    input: row.input,
    output: row.output,
    ...choicesOf(row),
    finishReason: row.finish_reason || null,
    errorMessage: row.error_message || null,
    streamed: Boolean(row.stream),
    cacheHit: Boolean(row.cache_hit),
    sessionId: row.session_id || null,
    tags: [...row.tags],
    metadata: Object.entries(row.metadata).map(([key, value]) => ({ key, value })),
  };
}
