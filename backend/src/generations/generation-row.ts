import type {
  GenerationCancelled,
  GenerationCompleted,
  GenerationCostData,
  GenerationFailed,
  GenerationRequested,
  Output,
  RecordedUsage,
} from '@sightline/schemas';
import { assertNever } from '../common/assert-never';

export type GenerationEnded = GenerationCompleted | GenerationFailed | GenerationCancelled;

export type UsageSource = RecordedUsage['source'];

/** A row of the `generations` table (ClickHouse column names). */
export interface GenerationRow {
  readonly project_id: string;
  readonly span_id: string;
  readonly trace_id: string;
  readonly parent_span_id: string;
  readonly source: string;
  readonly provider: string;
  readonly model: string;
  /** The model name on the provider's wire that answered; '' when not recorded. */
  readonly served_model: string;
  readonly status: 'completed' | 'failed' | 'cancelled';
  readonly started_at: string;
  readonly ended_at: string;
  readonly latency_ms: number;
  readonly ttft_ms: number | null;
  /** Output tokens / (latency − TTFT) in seconds; null when not computable. */
  readonly output_tokens_per_second: number | null;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly total_tokens: number;
  readonly cached_tokens: number;
  readonly cache_write_tokens: number;
  readonly reasoning_tokens: number;
  readonly usage_source: UsageSource;
  /** The tokenizer of estimated counts (`o200k_base`, `approximation`); '' when reported. */
  readonly usage_tokenizer: string;
  /** Exact decimal USD; null when not priced at all (recorded before pricing). */
  readonly cost_usd: string | null;
  readonly cost_input_usd: string;
  readonly cost_output_usd: string;
  readonly cost_cached_input_usd: string;
  readonly cost_cache_write_usd: string;
  readonly cost_reasoning_usd: string;
  readonly cost_audio_usd: string;
  readonly cost_image_usd: string;
  readonly cost_request_fee_usd: string;
  readonly price_table_version: string;
  readonly cost_flags: readonly string[];
  readonly stream: boolean;
  /** Answered from the gateway's response cache. */
  readonly cache_hit: boolean;
  readonly input: string;
  readonly params: string;
  /** The first choice's text. */
  readonly output: string | null;
  /** JSON `[{index, content, refusal?, reasoning?, finishReason}]`. */
  readonly choices: string;
  /** JSON `[{choice, id, name, arguments}]`. */
  readonly tool_calls: string;
  readonly tool_names: readonly string[];
  readonly finish_reason: string;
  readonly error_class: string;
  readonly error_message: string;
  readonly provider_status: number | null;
  readonly user_id: string;
  /** The API key that sent it; '' when none did. */
  readonly api_key_id: string;
  readonly session_id: string;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly replay_of: string;
  readonly requested_event_id: string;
  readonly ended_event_id: string;
}

const NO_EVENT = '00000000-0000-0000-0000-000000000000';

function requestColumns(requested: GenerationRequested | undefined) {
  const d = requested?.data;
  return {
    provider: d?.provider ?? '',
    model: d?.model ?? '',
    stream: d?.stream ?? false,
    input: JSON.stringify(d?.messages ?? []),
    params: JSON.stringify(d?.params ?? {}),
    session_id: d?.sessionId ?? '',
    tags: d?.tags ?? [],
    metadata: d?.metadata ?? {},
    replay_of: d?.replayOf ?? '',
    api_key_id: d?.apiKeyId ?? '',
    requested_event_id: requested?.eventId ?? NO_EVENT,
  };
}

/** The answer's columns: what was produced (all of it, or as far as it got), and its usage. */
function answerColumns(output: Output | null, usage: RecordedUsage | null, ttftMs: number | null) {
  const choices = output?.choices ?? [];
  const toolCalls = choices.flatMap((c) => c.toolCalls.map((call) => ({ choice: c.index, ...call })));
  return {
    ttft_ms: ttftMs,
    input_tokens: usage?.inputTokens ?? 0,
    output_tokens: usage?.outputTokens ?? 0,
    total_tokens: usage?.totalTokens ?? 0,
    cached_tokens: usage?.cachedTokens ?? 0,
    cache_write_tokens: usage?.cacheWriteTokens ?? 0,
    reasoning_tokens: usage?.reasoningTokens ?? 0,
    usage_source: usage?.source ?? ('unknown' as const),
    usage_tokenizer: usage?.tokenizer ?? '',
    output: choices.find((c) => c.index === 0)?.content ?? null,
    choices: JSON.stringify(choices.map(({ toolCalls: _calls, ...choice }) => choice)),
    tool_calls: JSON.stringify(toolCalls),
    tool_names: [...new Set(toolCalls.map((c) => c.name))],
  };
}

const ZERO_USD = '0.000000000';

/** The cost columns; a cost upcast from v2 has no breakdown (its parts read zero). */
export function costColumns(cost: GenerationCostData | null) {
  const b = cost?.breakdown;
  return {
    cost_usd: cost?.totalUsd ?? null,
    cost_input_usd: b?.input ?? ZERO_USD,
    cost_output_usd: b?.output ?? ZERO_USD,
    cost_cached_input_usd: b?.cachedInput ?? ZERO_USD,
    cost_cache_write_usd: b?.cacheWrite ?? ZERO_USD,
    cost_reasoning_usd: b?.reasoning ?? ZERO_USD,
    cost_audio_usd: b?.audio ?? ZERO_USD,
    cost_image_usd: b?.image ?? ZERO_USD,
    cost_request_fee_usd: b?.requestFee ?? ZERO_USD,
    price_table_version: cost?.priceVersion ?? '',
    cost_flags: cost?.flags ?? [],
  };
}

function outcomeColumns(ended: GenerationEnded) {
  const noError = { error_class: '', error_message: '', provider_status: null };
  switch (ended.type) {
    case 'generation.completed': {
      const { usage, cost, output, timeToFirstTokenMs } = ended.data;
      return {
        status: 'completed' as const,
        cache_hit: ended.data.cacheHit === true,
        ...answerColumns(output, usage, timeToFirstTokenMs),
        ...costColumns(cost),
        finish_reason: ended.data.finishReason,
        ...noError,
      };
    }
    case 'generation.failed':
      return {
        status: 'failed' as const,
        cache_hit: false,
        ...answerColumns(ended.data.output, ended.data.usage, ended.data.timeToFirstTokenMs),
        ...costColumns(ended.data.cost),
        finish_reason: '',
        error_class: ended.data.errorClass,
        error_message: ended.data.message,
        provider_status: ended.data.providerStatus,
      };
    case 'generation.cancelled':
      return {
        status: 'cancelled' as const,
        cache_hit: false,
        ...answerColumns(ended.data.output, ended.data.usage, ended.data.timeToFirstTokenMs),
        ...costColumns(ended.data.cost),
        finish_reason: '',
        ...noError,
        error_class: ended.data.reason,
      };
    default:
      return assertNever(ended);
  }
}

/**
 * How fast the answer streamed once it started: output tokens over the time after the first token,
 * per second. Null without a first token, with no time after it, or with no token count.
 */
export function outputTokensPerSecond(
  usage: RecordedUsage | null,
  latencyMs: number,
  ttftMs: number | null,
): number | null {
  if (ttftMs === null || latencyMs <= ttftMs || !usage || usage.source === 'unknown') return null;
  return (usage.outputTokens * 1000) / (latencyMs - ttftMs);
}

/**
 * The immutable row of one generation, from its request and its end. The request may be
 * missing (e.g. it was dead-lettered): the outcome is still recorded, with empty request columns.
 */
export function toGenerationRow(
  requested: GenerationRequested | undefined,
  ended: GenerationEnded,
): GenerationRow {
  return {
    project_id: ended.projectId,
    span_id: ended.spanId,
    trace_id: ended.traceId,
    parent_span_id: ended.parentSpanId ?? '',
    source: ended.source,
    started_at: ended.data.startedAt,
    ended_at: ended.occurredAt,
    latency_ms: ended.data.latencyMs,
    ...requestColumns(requested),
    ...outcomeColumns(ended),
    output_tokens_per_second: outputTokensPerSecond(
      ended.data.usage,
      ended.data.latencyMs,
      ended.data.timeToFirstTokenMs,
    ),
    provider: ended.data.servedBy?.provider ?? requested?.data.provider ?? '',
    served_model: ended.data.servedBy?.model ?? '',
    // The envelope's end user is the one deletions match on.
    user_id: ended.endUserId ?? requested?.data.user ?? '',
    ended_event_id: ended.eventId,
  };
}
