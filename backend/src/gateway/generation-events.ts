import {
  newEventId,
  type ChatMessage,
  type EventSource,
  type GenerationCompleted,
  type GenerationFailed,
  type GenerationRequested,
  type Usage,
} from '@sightline/schemas';
import type { ChatCompletionRequest, ChatMessageWire, ChatUsage } from '../providers/wire/chat-completions';
import type { GenerationTap } from './generation-tap';
import type { TraceContext } from './trace-context';

/** What every event of one generation shares. */
export interface GenerationSpan {
  readonly projectId: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  /** The app's end user: on every event, so their data can be erased. */
  readonly endUserId?: string;
  readonly source: EventSource;
  readonly startedAt: Date;
}

/** Stored ids are at most this long (the envelope's limit): a longer end-user id is stored truncated. */
export const MAX_STORED_ID = 256;

/** The end user of a call: the `x-sightline-user-id` header, else the body's `user`; truncated to {@link MAX_STORED_ID}. */
export function endUserOf(trace: TraceContext, request: ChatCompletionRequest): string | undefined {
  const user =
    trace.userId ?? (typeof request.user === 'string' && request.user !== '' ? request.user : undefined);
  return user?.slice(0, MAX_STORED_ID);
}

export interface FailedOutcome {
  readonly errorClass: string;
  readonly providerStatus: number | null;
  readonly message: string;
}

function envelope(span: GenerationSpan, occurredAt: Date) {
  return {
    eventId: newEventId(),
    occurredAt: occurredAt.toISOString(),
    projectId: span.projectId,
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    ...(span.endUserId ? { endUserId: span.endUserId } : {}),
    source: span.source,
  };
}

/** Fields recorded in their own columns; the rest of the request is its `params`. */
const OWN_FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'tools',
  'response_format',
  'user',
]);

function toMessage(m: ChatMessageWire): ChatMessage {
  return {
    role: m.role,
    content: (m.content ?? null) as ChatMessage['content'],
    ...(m.name !== undefined ? { name: m.name } : {}),
    ...(m.tool_call_id !== undefined ? { toolCallId: m.tool_call_id } : {}),
    ...(m.tool_calls !== undefined ? { toolCalls: [...m.tool_calls] } : {}),
  };
}

export function generationRequested(
  span: GenerationSpan,
  provider: string,
  request: ChatCompletionRequest,
  trace: TraceContext,
): GenerationRequested {
  const params: Record<string, unknown> = {};
  for (const key in request) if (!OWN_FIELDS.has(key) && request[key] !== null) params[key] = request[key];
  return {
    ...envelope(span, span.startedAt),
    type: 'generation.requested',
    version: 2,
    data: {
      provider,
      model: request.model,
      messages: request.messages.map(toMessage),
      params,
      ...(request.tools ? { tools: [...request.tools] } : {}),
      ...(request.response_format != null ? { responseFormat: request.response_format } : {}),
      stream: request.stream === true,
      ...(typeof request.user === 'string' ? { user: request.user } : {}),
      ...(trace.sessionId ? { sessionId: trace.sessionId } : {}),
      tags: [...trace.tags],
      metadata: { ...trace.metadata },
    },
  };
}

// Counts and durations are stored as UInt32: what a provider reports is rounded and clamped to fit.
const UINT32_MAX = 0xffff_ffff;
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value)
    ? Math.min(UINT32_MAX, Math.max(0, Math.round(value)))
    : 0;
const ms = count;

function storedUsage(usage: ChatUsage | null): Usage {
  return {
    inputTokens: count(usage?.prompt_tokens),
    outputTokens: count(usage?.completion_tokens),
    totalTokens: count(usage?.total_tokens ?? count(usage?.prompt_tokens) + count(usage?.completion_tokens)),
    cachedTokens: count(usage?.prompt_tokens_details?.cached_tokens),
    reasoningTokens: count(usage?.completion_tokens_details?.reasoning_tokens),
  };
}

export function generationCompleted(
  span: GenerationSpan,
  tap: GenerationTap,
  latencyMs: number,
  at: Date,
): GenerationCompleted {
  const first = tap.choices[0];
  const toolCalls = first?.toolCalls.map((c) => ({
    id: c.id,
    type: 'function',
    function: { name: c.name, arguments: c.arguments },
  }));
  return {
    ...envelope(span, at),
    type: 'generation.completed',
    version: 1,
    data: {
      output: { content: first?.content ?? null, ...(toolCalls?.length ? { toolCalls } : {}) },
      finishReason: first?.finishReason ?? 'unknown',
      usage: storedUsage(tap.usage),
      startedAt: span.startedAt.toISOString(),
      latencyMs: ms(latencyMs),
      timeToFirstTokenMs: tap.timeToFirstTokenMs === null ? null : ms(tap.timeToFirstTokenMs),
      cost: null,
    },
  };
}

export function generationFailed(
  span: GenerationSpan,
  outcome: FailedOutcome,
  latencyMs: number,
  at: Date,
): GenerationFailed {
  return {
    ...envelope(span, at),
    type: 'generation.failed',
    version: 1,
    data: {
      errorClass: outcome.errorClass,
      providerStatus: outcome.providerStatus,
      message: outcome.message,
      startedAt: span.startedAt.toISOString(),
      latencyMs: ms(latencyMs),
    },
  };
}
