import { Type, type Static } from '@sinclair/typebox';
import { envelope, Id } from '../envelope';

const NonNegInt = Type.Integer({ minimum: 0 });
// Counts and durations land in ClickHouse UInt32 columns: a larger number would not be stored as sent.
const Count = Type.Integer({ minimum: 0, maximum: 0xffff_ffff });
const Metadata = Type.Record(Type.String({ maxLength: 256 }), Type.String({ maxLength: 4096 }));

export const ChatMessage = Type.Object({
  role: Type.Union([
    Type.Literal('system'),
    Type.Literal('developer'),
    Type.Literal('user'),
    Type.Literal('assistant'),
    Type.Literal('tool'),
  ]),
  // A string, null (assistant turn with tool calls only) or content parts (text, images...).
  content: Type.Union([Type.String(), Type.Null(), Type.Array(Type.Unknown())]),
  name: Type.Optional(Type.String()),
  toolCallId: Type.Optional(Type.String()),
  toolCalls: Type.Optional(Type.Array(Type.Unknown())),
});
export type ChatMessage = Static<typeof ChatMessage>;

/** v1 kept sampling parameters flat in `data`; read-only now, upcast to v2 on read. */
export const GenerationRequestedV1 = envelope(
  'generation.requested',
  1,
  Type.Object({
    provider: Type.String(),
    model: Type.String(),
    messages: Type.Array(ChatMessage),
    temperature: Type.Optional(Type.Number()),
    maxTokens: Type.Optional(NonNegInt),
    stream: Type.Boolean(),
  }),
);
export type GenerationRequestedV1 = Static<typeof GenerationRequestedV1>;

/** Everything needed to replay the request. Secrets never appear here. */
export const GenerationRequested = envelope(
  'generation.requested',
  2,
  Type.Object({
    provider: Type.String({ minLength: 1 }),
    model: Type.String({ minLength: 1 }),
    messages: Type.Array(ChatMessage),
    params: Type.Record(Type.String(), Type.Unknown(), {
      description: 'sampling parameters as sent: temperature, top_p, max_tokens, stop, seed...',
    }),
    tools: Type.Optional(Type.Array(Type.Unknown())),
    responseFormat: Type.Optional(Type.Unknown()),
    stream: Type.Boolean(),
    user: Type.Optional(Type.String()),
    sessionId: Type.Optional(Type.String()),
    tags: Type.Array(Type.String({ maxLength: 256 })),
    metadata: Metadata,
    replayOf: Type.Optional(Type.String({ description: 'span id of the generation this one replays' })),
    /** The public id of the API key that sent it (never the secret): its spend counts against key budgets. */
    apiKeyId: Type.Optional(Id('public key id')),
  }),
);
export type GenerationRequested = Static<typeof GenerationRequested>;

export const Usage = Type.Object({
  inputTokens: Count,
  outputTokens: Count,
  totalTokens: Count,
  cachedTokens: Count,
  reasoningTokens: Count,
  /**
   * What reported the counts (a provider, an OpenTelemetry span) gave one that is no whole number of
   * tokens in range (negative, fractional, not a number, above UInt32): recorded rounded and clamped,
   * and priced as suspicious usage.
   */
  outOfRange: Type.Optional(Type.Literal(true)),
});
export type Usage = Static<typeof Usage>;

/** v1 and v2 of `generation.completed` had room for a cost as a float; none was ever recorded. */
const CostV1 = Type.Union([
  // Decimal(18, 10) holds up to 10^8.
  Type.Object({ totalUsd: Type.Number({ minimum: 0, maximum: 1e8 }), priceTableVersion: Type.String() }),
  Type.Null(),
]);

/** An exact USD amount: a decimal string with 9 decimals (nano-dollars), below 10^8 (ClickHouse Decimal(18, 10)). */
export const UsdAmount = Type.String({ pattern: '^[0-9]{1,8}\\.[0-9]{9}$' });

export const CostFlag = Type.Union([
  Type.Literal('unpriced'),
  Type.Literal('suspicious_usage'),
  Type.Literal('estimated_usage'),
  Type.Literal('approximate_tokens'),
  Type.Literal('caller_supplied'),
]);

/** What a generation cost, by part (the parts sum to the total), at the price `priceVersion` names. */
export const GenerationCostData = Type.Object({
  totalUsd: UsdAmount,
  /** Absent on costs upcast from v2 events (which only had a total). */
  breakdown: Type.Optional(
    Type.Object({
      input: UsdAmount,
      output: UsdAmount,
      cachedInput: UsdAmount,
      cacheWrite: UsdAmount,
      reasoning: UsdAmount,
      audio: UsdAmount,
      image: UsdAmount,
      requestFee: UsdAmount,
    }),
  ),
  /**
   * `catalog:<table version>`, `custom:<id>`, `project-model:<id>`, `cache_hit`, `not_billed` (a call
   * that broke before the provider produced or reported anything), `caller` (a cost the caller sent
   * with an ingested span), or `none` (unpriced).
   */
  priceVersion: Type.String({ maxLength: 256 }),
  /** `unpriced` and `suspicious_usage` mean the total is not to be read as a price: see the flags' docs. */
  flags: Type.Array(CostFlag),
});
export type GenerationCostData = Static<typeof GenerationCostData>;

/** v1: the first choice's text and tool calls as the provider sent them (streamed ones as raw fragments). */
export const GenerationCompletedV1 = envelope(
  'generation.completed',
  1,
  Type.Object({
    output: Type.Object({
      content: Type.Union([Type.String(), Type.Null()]),
      toolCalls: Type.Optional(Type.Array(Type.Unknown())),
    }),
    finishReason: Type.String(),
    usage: Usage,
    startedAt: Type.String({ format: 'date-time' }),
    latencyMs: Count,
    timeToFirstTokenMs: Type.Union([Count, Type.Null()]),
    cost: CostV1,
  }),
);
export type GenerationCompletedV1 = Static<typeof GenerationCompletedV1>;

/** A whole tool call (streamed fragments joined); `arguments` is JSON text as the model wrote it. */
export const ToolCall = Type.Object({ id: Type.String(), name: Type.String(), arguments: Type.String() });
export type ToolCall = Static<typeof ToolCall>;

/** One choice of the answer (`n` > 1 gives several), or as far as it got before the call broke. */
export const OutputChoice = Type.Object({
  index: Count,
  content: Type.Union([Type.String(), Type.Null()]),
  refusal: Type.Optional(Type.String()),
  reasoning: Type.Optional(Type.String({ description: 'reasoning text the provider returned' })),
  toolCalls: Type.Array(ToolCall),
  finishReason: Type.Union([Type.String(), Type.Null()]),
});
export type OutputChoice = Static<typeof OutputChoice>;

export const Output = Type.Object({ choices: Type.Array(OutputChoice) });
export type Output = Static<typeof Output>;

/**
 * Token counts and where they come from: `reported` by the provider, `estimated` by Sightline when the
 * provider reported none (counted with `tokenizer`), `unknown` when nothing could be counted (zeros).
 * The optional parts are counted inside their totals (cache writes, audio and image inside
 * `inputTokens`; audio and image output inside `outputTokens`), absent when not reported.
 */
export const RecordedUsage = Type.Object({
  ...Usage.properties,
  cacheWriteTokens: Type.Optional(Count),
  audioInputTokens: Type.Optional(Count),
  audioOutputTokens: Type.Optional(Count),
  imageInputTokens: Type.Optional(Count),
  imageOutputTokens: Type.Optional(Count),
  source: Type.Union([Type.Literal('reported'), Type.Literal('estimated'), Type.Literal('unknown')]),
  /** For estimated counts: the encoding used (`o200k_base`...), or `approximation` when none fits the model. */
  tokenizer: Type.Optional(Type.String({ maxLength: 64 })),
});
export type RecordedUsage = Static<typeof RecordedUsage>;

/** The provider and the model name on its wire that actually answered (after fallbacks). */
export const ServedBy = Type.Object({
  provider: Type.String({ minLength: 1 }),
  model: Type.String({ minLength: 1 }),
});
export type ServedBy = Static<typeof ServedBy>;

/** v2: no cost was computed (`cost` always null). */
export const GenerationCompletedV2 = envelope(
  'generation.completed',
  2,
  Type.Object({
    /** Absent on events upcast from v1. */
    servedBy: Type.Optional(ServedBy),
    /** Answered from the gateway's response cache: no provider was called (absent = false). */
    cacheHit: Type.Optional(Type.Boolean()),
    output: Output,
    /** The first choice's. */
    finishReason: Type.String(),
    usage: RecordedUsage,
    startedAt: Type.String({ format: 'date-time' }),
    latencyMs: Count,
    timeToFirstTokenMs: Type.Union([Count, Type.Null()]),
    cost: CostV1,
  }),
);
export type GenerationCompletedV2 = Static<typeof GenerationCompletedV2>;

export const GenerationCompleted = envelope(
  'generation.completed',
  3,
  Type.Object({
    /** Absent on events upcast from v1. */
    servedBy: Type.Optional(ServedBy),
    /** Answered from the gateway's response cache: no provider was called (absent = false). */
    cacheHit: Type.Optional(Type.Boolean()),
    output: Output,
    /** The first choice's. */
    finishReason: Type.String(),
    usage: RecordedUsage,
    startedAt: Type.String({ format: 'date-time' }),
    latencyMs: Count,
    timeToFirstTokenMs: Type.Union([Count, Type.Null()]),
    /** Priced when it ended, at the price in force at `startedAt`; null only on events upcast from v2. */
    cost: Type.Union([GenerationCostData, Type.Null()]),
  }),
);
export type GenerationCompleted = Static<typeof GenerationCompleted>;

const FailedV1Data = {
  errorClass: Type.String({
    description: 'stable class, e.g. provider_error, timeout, provider_unreachable',
  }),
  providerStatus: Type.Union([Type.Integer({ minimum: 0, maximum: 0xffff }), Type.Null()]),
  message: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  latencyMs: Count,
};

export const GenerationFailedV1 = envelope('generation.failed', 1, Type.Object(FailedV1Data));
export type GenerationFailedV1 = Static<typeof GenerationFailedV1>;

/** What a call that broke off had produced: the output and usage so far (null when nothing arrived). */
const Partial = {
  servedBy: Type.Optional(ServedBy),
  output: Type.Union([Output, Type.Null()]),
  usage: Type.Union([RecordedUsage, Type.Null()]),
  timeToFirstTokenMs: Type.Union([Count, Type.Null()]),
};

/** v2: a broken call's partial answer, not priced. */
export const GenerationFailedV2 = envelope(
  'generation.failed',
  2,
  Type.Object({ ...FailedV1Data, ...Partial }),
);
export type GenerationFailedV2 = Static<typeof GenerationFailedV2>;

/**
 * What a call that did not complete cost: priced from its partial usage like a completed one when
 * the provider produced or reported anything (it bills what it processed), `not_billed` (zero) when
 * nothing arrived; null only on events upcast from before pricing.
 */
const BrokenCost = { cost: Type.Union([GenerationCostData, Type.Null()]) };

/** The provider failed (before answering, or mid-stream with a partial answer). */
export const GenerationFailed = envelope(
  'generation.failed',
  3,
  Type.Object({ ...FailedV1Data, ...Partial, ...BrokenCost }),
);
export type GenerationFailed = Static<typeof GenerationFailed>;

const CancelledV1Data = {
  reason: Type.String({ description: 'e.g. client_disconnected' }),
  startedAt: Type.String({ format: 'date-time' }),
  latencyMs: Count,
  ...Partial,
};

/** v1: not priced. */
export const GenerationCancelledV1 = envelope('generation.cancelled', 1, Type.Object(CancelledV1Data));
export type GenerationCancelledV1 = Static<typeof GenerationCancelledV1>;

/** The caller went away before the answer ended: the upstream call was cancelled. */
export const GenerationCancelled = envelope(
  'generation.cancelled',
  2,
  Type.Object({ ...CancelledV1Data, ...BrokenCost }),
);
export type GenerationCancelled = Static<typeof GenerationCancelled>;

/** New text of one tool call since the previous progress event. */
const ToolCallDelta = Type.Object({
  /** The call's place among its choice's tool calls (0, 1, ... in arrival order). */
  position: Count,
  /** Sent once, with the call's first fragment. */
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  arguments: Type.Optional(Type.String()),
});

/** New text of one choice since the previous progress event; an absent field has nothing new. */
export const ChoiceDelta = Type.Object({
  index: Count,
  content: Type.Optional(Type.String()),
  refusal: Type.Optional(Type.String()),
  reasoning: Type.Optional(Type.String()),
  toolCalls: Type.Optional(Type.Array(ToolCallDelta)),
});
export type ChoiceDelta = Static<typeof ChoiceDelta>;

/**
 * An in-flight streamed generation's output grew: only the text new since the previous progress
 * event of the span (`seq` counts them from 1), coalesced by the gateway to at most one event per
 * 100 ms. Transient: appended to the live topic (`sightline.llm-live`, kept one hour), never to the
 * LLM topic, so it is neither archived nor projected into ClickHouse — the generation's end event
 * carries the whole output. Text is held back to a word boundary so a secret never straddles two
 * events (each is redacted alone). Non-streamed calls emit none, and no event follows the last
 * chunk: the end event supersedes whatever was not sent yet.
 */
export const GenerationProgressed = envelope(
  'generation.progressed',
  1,
  Type.Object({
    seq: Type.Integer({ minimum: 1, maximum: 0xffff_ffff }),
    /** Milliseconds since the call started. */
    elapsedMs: Count,
    timeToFirstTokenMs: Type.Union([Count, Type.Null()]),
    /** Output tokens so far: reported by the provider mid-stream, else estimated (about 4 characters a token). */
    outputTokens: Count,
    outputTokensSource: Type.Union([Type.Literal('reported'), Type.Literal('estimated')]),
    choices: Type.Array(ChoiceDelta),
  }),
);
export type GenerationProgressed = Static<typeof GenerationProgressed>;
