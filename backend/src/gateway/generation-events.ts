import {
  newEventId,
  type ChatMessage,
  type EventSource,
  type GenerationCancelled,
  type GenerationCompleted,
  type GenerationCostData,
  type GenerationFailed,
  type GenerationProgressed,
  type GenerationRequested,
  type Output,
  type RecordedUsage,
  type ServedBy,
} from '@sightline/schemas';
import { estimateUsage } from '../costs/tokenizers';
import type { ChatCompletionRequest, ChatMessageWire, ChatUsage } from '../providers/wire/chat-completions';
import type { GenerationTap, RecordedChoice } from './generation-tap';
import type { Progress } from './progress-coalescer';
import type { TraceContext } from './trace-context';

/** What every event of one generation shares. */
export interface GenerationSpan {
  readonly projectId: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  /** The app's end user: on every event, so their data can be erased. */
  readonly endUserId?: string;
  /** The public id of the API key that sent the call (recorded on the request). */
  readonly apiKeyId?: string;
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

/**
 * One event of the generation: the envelope, then `type`, `version` and `data`, in one literal. The
 * same keys in the same order as `{ ...envelope, type, version, data }`, which adds keys to a spread
 * copy: V8's slow path on Node 20, about 4 µs an event against 0.05 µs.
 */
function event<T extends string, V extends number, D>(
  span: GenerationSpan,
  occurredAt: Date,
  type: T,
  version: V,
  data: D,
) {
  return {
    eventId: newEventId(),
    occurredAt: occurredAt.toISOString(),
    projectId: span.projectId,
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    ...(span.endUserId ? { endUserId: span.endUserId } : {}),
    source: span.source,
    type,
    version,
    data,
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
  return event(span, span.startedAt, 'generation.requested', 2, {
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
    ...(span.apiKeyId ? { apiKeyId: span.apiKeyId } : {}),
    ...(trace.replayOf ? { replayOf: trace.replayOf } : {}),
  });
}

// Counts and durations are stored as UInt32: what a provider reports is rounded and clamped to fit.
const UINT32_MAX = 0xffff_ffff;
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value)
    ? Math.min(UINT32_MAX, Math.max(0, Math.round(value)))
    : 0;
const ms = count;
/** A count a provider reported that `count` had to change: not a whole number of tokens in range. */
const outOfRange = (value: unknown): boolean =>
  value != null &&
  !(typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= UINT32_MAX);

/** Parts some providers report inside the totals: only those above zero are recorded. */
function parts(usage: ChatUsage): Partial<RecordedUsage> {
  const write = count(usage.prompt_tokens_details?.cache_creation_tokens);
  const audioIn = count(usage.prompt_tokens_details?.audio_tokens);
  const audioOut = count(usage.completion_tokens_details?.audio_tokens);
  return {
    ...(write > 0 ? { cacheWriteTokens: write } : {}),
    ...(audioIn > 0 ? { audioInputTokens: audioIn } : {}),
    ...(audioOut > 0 ? { audioOutputTokens: audioOut } : {}),
  };
}

function reported(usage: ChatUsage): RecordedUsage {
  const input = count(usage.prompt_tokens);
  const output = count(usage.completion_tokens);
  return {
    inputTokens: input,
    outputTokens: output,
    totalTokens: usage.total_tokens === undefined ? count(input + output) : count(usage.total_tokens),
    cachedTokens: count(usage.prompt_tokens_details?.cached_tokens),
    reasoningTokens: count(usage.completion_tokens_details?.reasoning_tokens),
    ...parts(usage),
    source: 'reported',
    ...(reportedOutOfRange(usage) ? { outOfRange: true as const } : {}),
  };
}

/** Whether any count of the provider's usage was out of range (recorded clamped, never silently). */
function reportedOutOfRange(usage: ChatUsage): boolean {
  const { prompt_tokens_details: input, completion_tokens_details: output } = usage;
  return [
    usage.prompt_tokens,
    usage.completion_tokens,
    usage.total_tokens,
    input?.cached_tokens,
    input?.cache_creation_tokens,
    input?.audio_tokens,
    output?.reasoning_tokens,
    output?.audio_tokens,
  ].some(outOfRange);
}

/**
 * Output tokens of a stream in progress, about 4 characters a token (OpenAI's rule of thumb): a live
 * figure, cheap enough to redo every 100 ms. The recorded end counts with the model's tokenizer.
 */
const outputCharsEstimate = (choices: readonly RecordedChoice[]): number =>
  count(Math.ceil(outputTexts(choices).reduce((n, text) => n + (text?.length ?? 0), 0) / 4));

/** Every text of the answer, for counting its tokens. */
function outputTexts(choices: readonly RecordedChoice[]): (string | null | undefined)[] {
  return choices.flatMap((c) => [
    c.content,
    c.refusal,
    c.reasoning,
    ...c.toolCalls.flatMap((t) => [t.name, t.arguments]),
  ]);
}

/** What a call produced, as recorded: its choices, its usage (reported, else estimated), who served it. */
export interface Answer {
  readonly servedBy: ServedBy;
  readonly output: Output;
  readonly usage: RecordedUsage;
  readonly timeToFirstTokenMs: number | null;
}

/** The answer tapped so far for `request`; `output` empty when nothing arrived. */
export function answerOf(tap: GenerationTap, request: ChatCompletionRequest, servedBy: ServedBy): Answer {
  const choices = tap.choices;
  const usage = tap.usage
    ? reported(tap.usage)
    : estimateUsage(servedBy.provider, servedBy.model, request, outputTexts(choices));
  const firstToken = tap.timeToFirstTokenMs;
  return {
    servedBy,
    output: { choices: choices.map((c) => ({ ...c, index: count(c.index), toolCalls: [...c.toolCalls] })) },
    usage,
    timeToFirstTokenMs: firstToken === null ? null : ms(firstToken),
  };
}

/** A stream's progress: the new text, and the output tokens so far (reported mid-stream, else estimated). */
export function generationProgressed(
  span: GenerationSpan,
  progress: Progress,
  tap: GenerationTap,
  choices: readonly RecordedChoice[],
  at: Date,
): GenerationProgressed {
  const reportedTokens = tap.usage?.completion_tokens;
  const firstToken = tap.timeToFirstTokenMs;
  return event(span, at, 'generation.progressed', 1, {
    seq: progress.seq,
    elapsedMs: ms(progress.elapsedMs),
    timeToFirstTokenMs: firstToken === null ? null : ms(firstToken),
    ...(typeof reportedTokens === 'number'
      ? { outputTokens: count(reportedTokens), outputTokensSource: 'reported' as const }
      : { outputTokens: outputCharsEstimate(choices), outputTokensSource: 'estimated' as const }),
    choices: [...progress.choices],
  });
}

/** Whether a broken call produced anything (output, or usage the provider reported). */
export const produced = (answer: Answer): boolean =>
  answer.output.choices.length > 0 || answer.usage.source === 'reported';

/** A broken call's partial answer: null output and usage when nothing at all arrived. */
function partial(answer: Answer | undefined) {
  const some = answer && produced(answer);
  return {
    ...(answer ? { servedBy: answer.servedBy } : {}),
    output: some ? answer.output : null,
    usage: some ? answer.usage : null,
    timeToFirstTokenMs: answer?.timeToFirstTokenMs ?? null,
  };
}

export function generationCompleted(
  span: GenerationSpan,
  answer: Answer,
  latencyMs: number,
  at: Date,
  cost: GenerationCostData,
  /** Answered from the response cache. */
  cacheHit = false,
): GenerationCompleted {
  return event(span, at, 'generation.completed', 3, {
    servedBy: answer.servedBy,
    ...(cacheHit ? { cacheHit } : {}),
    output: answer.output,
    finishReason: answer.output.choices.find((c) => c.index === 0)?.finishReason ?? 'unknown',
    usage: answer.usage,
    startedAt: span.startedAt.toISOString(),
    latencyMs: ms(latencyMs),
    timeToFirstTokenMs: answer.timeToFirstTokenMs,
    cost,
  });
}

/**
 * The provider failed; `answer` is what arrived before (a stream that broke), if anything; `cost`
 * what that was billed (see `GenerationRecording.brokenCost`).
 */
export function generationFailed(
  span: GenerationSpan,
  outcome: FailedOutcome,
  answer: Answer | undefined,
  latencyMs: number,
  at: Date,
  cost: GenerationCostData,
): GenerationFailed {
  return event(span, at, 'generation.failed', 3, {
    errorClass: outcome.errorClass,
    providerStatus: outcome.providerStatus,
    message: outcome.message,
    startedAt: span.startedAt.toISOString(),
    latencyMs: ms(latencyMs),
    ...partial(answer),
    cost,
  });
}

/** The caller went away; `answer` is what arrived before. */
export function generationCancelled(
  span: GenerationSpan,
  answer: Answer | undefined,
  latencyMs: number,
  at: Date,
  cost: GenerationCostData,
): GenerationCancelled {
  return event(span, at, 'generation.cancelled', 2, {
    reason: 'client_disconnected',
    startedAt: span.startedAt.toISOString(),
    latencyMs: ms(latencyMs),
    ...partial(answer),
    cost,
  });
}
