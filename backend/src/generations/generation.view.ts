import { chTimeToIso } from '../clickhouse/time';
import { decimalUsd } from '../costs/usd-text';
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

interface CostBreakdownView {
  input: string;
  output: string;
  cachedInput: string;
  cacheWrite: string;
  reasoning: string;
  audio: string;
  image: string;
  requestFee: string;
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
  status: 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'INTERRUPTED' | 'IN_FLIGHT';
  startedAt: string;
  endedAt: string | null;
  latencyMs: number | null;
  timeToFirstTokenMs: number | null;
  outputTokensPerSecond: number | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  usageSource: 'REPORTED' | 'ESTIMATED' | 'UNKNOWN';
  usageTokenizer: string | null;
  cost: string | null;
  costBreakdown: CostBreakdownView | null;
  priceVersion: string | null;
  costFlags: string[];
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
  /** The generation this one replays (its span id); null for an ordinary call. */
  replayOf: string | null;
}

type CostColumn =
  | 'cost_usd'
  | 'cost_input_usd'
  | 'cost_output_usd'
  | 'cost_cached_input_usd'
  | 'cost_cache_write_usd'
  | 'cost_reasoning_usd'
  | 'cost_audio_usd'
  | 'cost_image_usd'
  | 'cost_request_fee_usd'
  | 'price_table_version'
  | 'cost_flags';

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
  | 'usage_tokenizer'
  | CostColumn
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
  | 'replay_of'
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

/** A total with no price behind it is null, not zero. */
function costOf(row: ListedColumns) {
  const priced = row.cost_usd !== null && !row.cost_flags.includes('unpriced');
  const parts = [
    row.cost_input_usd,
    row.cost_output_usd,
    row.cost_cached_input_usd,
    row.cost_cache_write_usd,
    row.cost_reasoning_usd,
    row.cost_audio_usd,
    row.cost_image_usd,
    row.cost_request_fee_usd,
  ].map(decimalUsd);
  return {
    cost: priced ? decimalUsd(String(row.cost_usd)) : null,
    costBreakdown: priced
      ? {
          input: parts[0],
          output: parts[1],
          cachedInput: parts[2],
          cacheWrite: parts[3],
          reasoning: parts[4],
          audio: parts[5],
          image: parts[6],
          requestFee: parts[7],
        }
      : null,
    // `none` is how an unpriced cost is recorded: not a price.
    priceVersion: priced ? row.price_table_version || null : null,
    costFlags: row.cost_flags.map((flag) => flag.toUpperCase()),
  };
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
    usageTokenizer: row.usage_tokenizer || null,
    ...costOf(row),
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
    replayOf: row.replay_of || null,
  };
}
