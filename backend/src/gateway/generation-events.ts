import {
  newEventId,
  type EventSource,
  type GenerationCompleted,
  type GenerationFailed,
  type GenerationRequested,
  type Usage,
} from '@sightline/schemas';
import type { ChatRequest } from '../providers/provider';

/** What every event of one generation shares. */
export interface GenerationSpan {
  readonly projectId: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  /** The app's end user (`user` in the request): on every event, so their data can be erased. */
  readonly endUserId?: string;
  readonly source: EventSource;
  readonly provider: string;
  readonly startedAt: Date;
}

export interface CompletedOutcome {
  readonly content: string | null;
  readonly toolCalls?: readonly unknown[];
  readonly finishReason: string;
  readonly usage: Usage;
  readonly latencyMs: number;
  readonly timeToFirstTokenMs: number | null;
}

export interface FailedOutcome {
  readonly errorClass: string;
  readonly providerStatus: number | null;
  readonly message: string;
  readonly latencyMs: number;
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

export function generationRequested(
  span: GenerationSpan,
  request: ChatRequest,
  stream: boolean,
): GenerationRequested {
  return {
    ...envelope(span, span.startedAt),
    type: 'generation.requested',
    version: 2,
    data: {
      provider: span.provider,
      model: request.model,
      messages: [...request.messages],
      params: { ...request.params },
      ...(request.tools ? { tools: [...request.tools] } : {}),
      ...(request.responseFormat !== undefined ? { responseFormat: request.responseFormat } : {}),
      stream,
      ...(request.user !== undefined ? { user: request.user } : {}),
      tags: [],
      metadata: {},
    },
  };
}

// Counts and durations are stored as UInt32: what a provider reports is rounded and clamped to fit.
const UINT32_MAX = 0xffff_ffff;
const count = (value: number): number =>
  Number.isFinite(value) ? Math.min(UINT32_MAX, Math.max(0, Math.round(value))) : 0;
const ms = count;

function storedUsage(usage: Usage): Usage {
  return {
    inputTokens: count(usage.inputTokens),
    outputTokens: count(usage.outputTokens),
    totalTokens: count(usage.totalTokens),
    cachedTokens: count(usage.cachedTokens),
    reasoningTokens: count(usage.reasoningTokens),
  };
}

export function generationCompleted(
  span: GenerationSpan,
  outcome: CompletedOutcome,
  at: Date,
): GenerationCompleted {
  return {
    ...envelope(span, at),
    type: 'generation.completed',
    version: 1,
    data: {
      output: {
        content: outcome.content,
        ...(outcome.toolCalls ? { toolCalls: [...outcome.toolCalls] } : {}),
      },
      finishReason: outcome.finishReason,
      usage: storedUsage(outcome.usage),
      startedAt: span.startedAt.toISOString(),
      latencyMs: ms(outcome.latencyMs),
      timeToFirstTokenMs: outcome.timeToFirstTokenMs === null ? null : ms(outcome.timeToFirstTokenMs),
      cost: null,
    },
  };
}

export function generationFailed(span: GenerationSpan, outcome: FailedOutcome, at: Date): GenerationFailed {
  return {
    ...envelope(span, at),
    type: 'generation.failed',
    version: 1,
    data: {
      errorClass: outcome.errorClass,
      providerStatus: outcome.providerStatus,
      message: outcome.message,
      startedAt: span.startedAt.toISOString(),
      latencyMs: ms(outcome.latencyMs),
    },
  };
}
