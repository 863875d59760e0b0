import {
  Type,
  type TSchema,
  type TObject,
  type TLiteral,
  type TString,
  type TOptional,
  type TUnion,
} from '@sinclair/typebox';

/** Where an event was produced. */
export const EVENT_SOURCES = [
  'gateway',
  'playground',
  'replay',
  'ingest',
  'otlp',
  'evaluator',
  'api',
] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export const Id = (description: string): TString =>
  Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$', description });

const Source = Type.Union(EVENT_SOURCES.map((s) => Type.Literal(s)));

type EnvelopeSchema<T extends string, V extends number, D extends TSchema> = TObject<{
  eventId: TString;
  type: TLiteral<T>;
  version: TLiteral<V>;
  occurredAt: TString;
  projectId: TString;
  traceId: TString;
  spanId: TString;
  parentSpanId: TOptional<TString>;
  endUserId: TOptional<TString>;
  source: TUnion<TLiteral<EventSource>[]>;
  data: D;
}>;

/**
 * Every event is this envelope around a typed body. The schema is plain JSON Schema
 * (TypeBox), so the same definition gives validation, the TypeScript type and the
 * published `*.schema.json` file.
 */
export function envelope<T extends string, V extends number, D extends TSchema>(
  type: T,
  version: V,
  data: D,
): EnvelopeSchema<T, V, D> {
  return Type.Object(
    {
      eventId: Type.String({ format: 'uuid', description: 'UUIDv7; also the idempotency key' }),
      type: Type.Literal(type),
      version: Type.Literal(version),
      occurredAt: Type.String({ format: 'date-time' }),
      projectId: Id('project the event belongs to'),
      traceId: Id('trace id; the event-log key'),
      spanId: Id('span id'),
      parentSpanId: Type.Optional(Id('parent span id')),
      // On every event of a generation, so deleting an end user's data can drop them one by one.
      endUserId: Type.Optional(
        Type.String({ minLength: 1, maxLength: 256, description: 'the end user of the app' }),
      ),
      source: Source,
      data,
    },
    { $id: `${type}.v${version}`, additionalProperties: false },
  ) as EnvelopeSchema<T, V, D>;
}
