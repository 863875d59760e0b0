import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Id } from './envelope';
import { Usage } from './events/generation';
import { SCORE_DATA_TYPES, SpanRecorded } from './events/trace';

/** At most this many items in one `POST /api/ingest` batch. */
export const MAX_INGEST_ITEMS = 1000;
/** At most this many bytes of JSON in one item (its input and output included). */
export const MAX_INGEST_ITEM_BYTES = 1024 * 1024;
/** At most this many bytes in one request body. */
export const MAX_INGEST_BODY_BYTES = 16 * 1024 * 1024;

const ItemHeader = {
  id: Type.String({
    format: 'uuid',
    description: 'the event id: a UUID (v7 preferred); the idempotency key',
  }),
  timestamp: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'when it happened; default: the end, else the start, else now',
    }),
  ),
};

const {
  metadata: _metadata,
  usage: _usage,
  cost: _cost,
  apiKeyId: _apiKeyId,
  ...spanFields
} = SpanRecorded.properties.data.properties;

/** A span as a client reports it: ids, then the fields of `span.recorded`; every count of usage optional. */
export const IngestSpanBody = Type.Object(
  {
    traceId: Id('the trace id'),
    spanId: Id('the span id, unique in its trace'),
    parentSpanId: Type.Optional(Id('the parent span; absent for a root')),
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "the app's end user" })),
    ...spanFields,
    metadata: Type.Optional(
      Type.Record(
        Type.String({ maxLength: 256 }),
        Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
        {
          description: 'values kept as strings',
        },
      ),
    ),
    usage: Type.Optional(
      Type.Partial(Usage, { description: 'missing counts are 0; totalTokens defaults to input + output' }),
    ),
    cost: Type.Optional(
      Type.Union(
        [
          Type.String({ pattern: '^[0-9]{1,8}(\\.[0-9]{1,9})?$' }),
          Type.Number({ minimum: 0, exclusiveMaximum: 100_000_000 }),
        ],
        {
          description:
            "the span's cost in USD as the caller computed it (a decimal string is kept exactly, a number is rounded to the nano-dollar); it wins over Sightline's price and is flagged caller_supplied. Without it, a generation reporting its model and usage is priced from the catalog at its start",
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type IngestSpanBody = Static<typeof IngestSpanBody>;

const { kind: _kind, ...generationFields } = IngestSpanBody.properties;

/** A generation: a span of kind `generation`. */
export const IngestGenerationBody = Type.Object(generationFields, { additionalProperties: false });

export const IngestScoreBody = Type.Object(
  {
    traceId: Id('the scored trace'),
    spanId: Type.Optional(Id('the scored span; absent: the whole trace')),
    scoreId: Type.Optional(Id('default: the item id; recording a score id again replaces it')),
    name: Type.String({ minLength: 1, maxLength: 256 }),
    value: Type.Union([Type.Number(), Type.String({ maxLength: 1024 }), Type.Boolean()]),
    dataType: Type.Optional(
      Type.Union(
        SCORE_DATA_TYPES.map((t) => Type.Literal(t)),
        {
          description: 'default: numeric for a number, boolean for a boolean, categorical for a string',
        },
      ),
    ),
    comment: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  { additionalProperties: false },
);
export type IngestScoreBody = Static<typeof IngestScoreBody>;

const item = <T extends string, B extends TSchema>(type: T, body: B) =>
  Type.Object({ ...ItemHeader, type: Type.Literal(type), body }, { additionalProperties: false });

/** One item of a batch, checked on its own: a bad item fails alone. */
export const INGEST_ITEMS = {
  span: item('span', IngestSpanBody),
  generation: item('generation', IngestGenerationBody),
  score: item('score', IngestScoreBody),
} as const;
export type IngestItemType = keyof typeof INGEST_ITEMS;
export type IngestItem = Static<(typeof INGEST_ITEMS)[IngestItemType]>;

/** `POST /api/ingest`'s body. */
export const IngestBatch = Type.Object(
  {
    batch: Type.Array(Type.Union(Object.values(INGEST_ITEMS)), { minItems: 1, maxItems: MAX_INGEST_ITEMS }),
  },
  {
    $id: 'ingest-batch',
    description: `POST /api/ingest: spans, generations and scores; at most ${MAX_INGEST_ITEMS} items, ${MAX_INGEST_ITEM_BYTES} bytes an item, ${MAX_INGEST_BODY_BYTES} bytes a body. Answered 207 with every item's outcome.`,
  },
);

const Outcome = { index: Type.Integer({ minimum: 0 }), id: Type.Union([Type.String(), Type.Null()]) };

/** `POST /api/ingest`'s answer (HTTP 207): what was accepted, what was not and why. */
export const IngestResponse = Type.Object(
  {
    successes: Type.Array(
      Type.Object({
        ...Outcome,
        status: Type.Union([Type.Literal(201), Type.Literal(200)], {
          description: '201 accepted; 200 a repeat of an id earlier in the batch',
        }),
      }),
    ),
    errors: Type.Array(
      Type.Object({
        ...Outcome,
        status: Type.Union([Type.Literal(400), Type.Literal(413)]),
        code: Type.String({ description: 'invalid_item, unknown_item_type, item_too_large' }),
        message: Type.String(),
        issues: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
      }),
    ),
  },
  { $id: 'ingest-response' },
);
export type IngestResponse = Static<typeof IngestResponse>;
