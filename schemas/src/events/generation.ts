import { Type, type Static } from '@sinclair/typebox';
import { envelope } from '../envelope';

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
  }),
);
export type GenerationRequested = Static<typeof GenerationRequested>;

export const Usage = Type.Object({
  inputTokens: Count,
  outputTokens: Count,
  totalTokens: Count,
  cachedTokens: Count,
  reasoningTokens: Count,
});
export type Usage = Static<typeof Usage>;

export const GenerationCompleted = envelope(
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
    cost: Type.Union([
      // Decimal(18, 10) holds up to 10^8.
      Type.Object({ totalUsd: Type.Number({ minimum: 0, maximum: 1e8 }), priceTableVersion: Type.String() }),
      Type.Null(),
    ]),
  }),
);
export type GenerationCompleted = Static<typeof GenerationCompleted>;

export const GenerationFailed = envelope(
  'generation.failed',
  1,
  Type.Object({
    errorClass: Type.String({ description: 'stable class, e.g. provider_error, timeout, client_aborted' }),
    providerStatus: Type.Union([Type.Integer({ minimum: 0, maximum: 0xffff }), Type.Null()]),
    message: Type.String(),
    startedAt: Type.String({ format: 'date-time' }),
    latencyMs: Count,
  }),
);
export type GenerationFailed = Static<typeof GenerationFailed>;
