import { Type, type Static } from '@sinclair/typebox';
import { envelope, Id } from '../envelope';
import { GenerationCostData, Usage } from './generation';

/** What a span did. `span` is the generic kind (e.g. an OpenTelemetry span with no GenAI attributes). */
export const SPAN_KINDS = [
  'span',
  'generation',
  'agent',
  'tool',
  'retrieval',
  'embedding',
  'chain',
  'guardrail',
  'event',
] as const;
export type SpanKind = (typeof SPAN_KINDS)[number];

/** OpenTelemetry's span status codes. */
export const SPAN_STATUSES = ['unset', 'ok', 'error'] as const;
export type SpanStatus = (typeof SPAN_STATUSES)[number];

export const SPAN_LEVELS = ['debug', 'default', 'warning', 'error'] as const;

const Text = (maxLength: number) => Type.String({ maxLength });
const Time = Type.String({ format: 'date-time' });
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** The fields of a span report, as v1 had them. */
const SpanV1Data = {
  kind: Type.Optional(literals(SPAN_KINDS)),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  startedAt: Type.Optional(Time),
  endedAt: Type.Optional(Time),
  status: Type.Optional(literals(SPAN_STATUSES)),
  statusMessage: Type.Optional(Text(4096)),
  level: Type.Optional(literals(SPAN_LEVELS)),
  input: Type.Optional(Type.Unknown()),
  output: Type.Optional(Type.Unknown()),
  sessionId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 64 })),
  metadata: Type.Optional(Type.Record(Type.String({ maxLength: 256 }), Type.String({ maxLength: 4096 }))),
  /** The caller's release, app version and deployment environment. */
  release: Type.Optional(Text(256)),
  version: Type.Optional(Text(256)),
  environment: Type.Optional(Text(64)),
  /** Generations and embeddings: the model, who served it, the parameters and token counts. */
  model: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  provider: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  modelParameters: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  usage: Type.Optional(Usage),
};

/** v1: no cost. */
export const SpanRecordedV1 = envelope('span.recorded', 1, Type.Object(SpanV1Data));
export type SpanRecordedV1 = Static<typeof SpanRecordedV1>;

/**
 * What is known of a span, whole or in part: a span reported when it starts and again when it ends
 * is two events, merged by the read model in time order (a later event's fields win, tags add up,
 * metadata merges), whatever order they arrive in. A span reported once, complete, is one event.
 * Every field is optional so an end can travel without its start; input and output keep any JSON.
 *
 * v2: a generation span reported with its model and usage carries its cost, priced when it was
 * ingested (or the caller's own, flagged `caller_supplied`); absent when the span could not be priced
 * (no model or no usage in this event) and on events upcast from v1. `apiKeyId` was added later
 * (optional, so every v2 event before it stays valid).
 */
export const SpanRecorded = envelope(
  'span.recorded',
  2,
  Type.Object({
    ...SpanV1Data,
    cost: Type.Optional(GenerationCostData),
    /**
     * Ingested generations: the public id of the API key that sent it (never the secret), as a
     * gateway call's `generation.requested` has it; set by Sightline, never by the client.
     */
    apiKeyId: Type.Optional(Id('public key id')),
  }),
);
export type SpanRecorded = Static<typeof SpanRecorded>;

export const SCORE_DATA_TYPES = ['numeric', 'categorical', 'boolean'] as const;

const ScoreTarget = {
  scoreId: Id('the score id, unique in the project'),
  target: literals(['trace', 'span'] as const),
  name: Type.String({ minLength: 1, maxLength: 256 }),
};

/** v1 spread one value over `value` and `stringValue` by convention; read through the v2 upcaster. */
export const ScoreRecordedV1 = envelope(
  'score.recorded',
  1,
  Type.Object({
    ...ScoreTarget,
    dataType: literals(SCORE_DATA_TYPES),
    /** numeric: the number; boolean: 1 or 0; categorical: null. */
    value: Type.Union([Type.Number(), Type.Null()]),
    /** categorical: the category; boolean: 'true' or 'false'; numeric: ''. */
    stringValue: Text(1024),
    comment: Type.Optional(Text(4096)),
  }),
);
export type ScoreRecordedV1 = Static<typeof ScoreRecordedV1>;

/** One score value and its type: a numeric score without a number cannot be written (v1 allowed it). */
export const ScoreValue = Type.Union([
  Type.Object({ dataType: Type.Literal('numeric'), value: Type.Number() }),
  Type.Object({ dataType: Type.Literal('categorical'), value: Text(1024) }),
  Type.Object({ dataType: Type.Literal('boolean'), value: Type.Boolean() }),
]);
export type ScoreValue = Static<typeof ScoreValue>;

/**
 * A score of a trace (envelope `spanId` = the score's id) or of one span of it (envelope `spanId` =
 * that span). Recording a score id again replaces its value.
 */
export const ScoreRecorded = envelope(
  'score.recorded',
  2,
  Type.Object({ ...ScoreTarget, score: ScoreValue, comment: Type.Optional(Text(4096)) }),
);
export type ScoreRecorded = Static<typeof ScoreRecorded>;
