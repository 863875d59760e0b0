import type { GenerationCompleted, GenerationFailed, GenerationRequested } from '@sightline/schemas';
import { assertNever } from '../common/assert-never';

export type GenerationEnded = GenerationCompleted | GenerationFailed;

/** A row of the `generations` table (ClickHouse column names). */
export interface GenerationRow {
  readonly project_id: string;
  readonly span_id: string;
  readonly trace_id: string;
  readonly parent_span_id: string;
  readonly source: string;
  readonly provider: string;
  readonly model: string;
  readonly status: 'completed' | 'failed';
  readonly started_at: string;
  readonly ended_at: string;
  readonly latency_ms: number;
  readonly ttft_ms: number | null;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly total_tokens: number;
  readonly cached_tokens: number;
  readonly reasoning_tokens: number;
  readonly cost_usd: number | null;
  readonly price_table_version: string;
  readonly stream: boolean;
  readonly input: string;
  readonly params: string;
  readonly output: string | null;
  readonly finish_reason: string;
  readonly error_class: string;
  readonly error_message: string;
  readonly provider_status: number | null;
  readonly user_id: string;
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
    requested_event_id: requested?.eventId ?? NO_EVENT,
  };
}

function outcomeColumns(ended: GenerationEnded) {
  const zeroUsage = {
    input_tokens: 0,
    output_tokens: 0,
    total_tokens: 0,
    cached_tokens: 0,
    reasoning_tokens: 0,
  };
  switch (ended.type) {
    case 'generation.completed': {
      const { usage, cost } = ended.data;
      return {
        status: 'completed' as const,
        ttft_ms: ended.data.timeToFirstTokenMs,
        input_tokens: usage.inputTokens,
        output_tokens: usage.outputTokens,
        total_tokens: usage.totalTokens,
        cached_tokens: usage.cachedTokens,
        reasoning_tokens: usage.reasoningTokens,
        cost_usd: cost?.totalUsd ?? null,
        price_table_version: cost?.priceTableVersion ?? '',
        output: ended.data.output.content,
        finish_reason: ended.data.finishReason,
        error_class: '',
        error_message: '',
        provider_status: null,
      };
    }
    case 'generation.failed':
      return {
        status: 'failed' as const,
        ttft_ms: null,
        ...zeroUsage,
        cost_usd: null,
        price_table_version: '',
        output: null,
        finish_reason: '',
        error_class: ended.data.errorClass,
        error_message: ended.data.message,
        provider_status: ended.data.providerStatus,
      };
    default:
      return assertNever(ended);
  }
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
    // The envelope's end user is the one deletions match on.
    user_id: ended.endUserId ?? requested?.data.user ?? '',
    ended_event_id: ended.eventId,
  };
}
