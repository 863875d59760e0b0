import { InvalidInputError } from '../common/errors';

/**
 * OTLP trace requests, protobuf or JSON, read into one plain shape. Both encodings share the field
 * names (protobuf's generated objects and OTLP/JSON are lowerCamelCase); they differ in ids (bytes
 * vs hex strings) and 64-bit integers (protobufjs `Long` vs decimal strings or numbers).
 */

/** An attribute value as plain JSON: string, number, boolean, array, object (kvlist), or null. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | Attributes;
export interface Attributes {
  readonly [key: string]: AttributeValue;
}

export interface OtlpEvent {
  readonly name: string;
  readonly timeUnixNano: bigint;
  readonly attributes: Attributes;
}

/** One span with its resource's and scope's attributes. Ids are lower-case hex, '' when absent. */
export interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  /** OTel SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Attributes;
  readonly events: readonly OtlpEvent[];
  /** 0 unset, 1 ok, 2 error. */
  readonly status: { readonly code: number; readonly message: string };
  readonly resource: Attributes;
  readonly scope: { readonly name: string; readonly version: string };
}

/** A span that could not be read at all (not an object...): rejected on its own. */
export interface UnreadableSpan {
  readonly unreadable: string;
}

type Loose = Record<string, unknown> | null | undefined;

const asObject = (value: unknown): Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** protobufjs' Long (`{ low, high, unsigned }`), a decimal string, or a number, as a bigint; 0n otherwise. */
export function int64(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : 0n;
  if (typeof value === 'string') return /^-?\d+$/.test(value) ? BigInt(value) : 0n;
  const long = asObject(value);
  if (long && typeof long.low === 'number' && typeof long.high === 'number') {
    const n = (BigInt(long.high >>> 0) << 32n) | BigInt(long.low >>> 0);
    return long.unsigned || long.high >= 0 ? n : n - (1n << 64n);
  }
  return 0n;
}

/** Bytes (protobuf) or a hex string (OTLP/JSON) as lower-case hex; '' when absent. */
function hexId(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return typeof value === 'string' ? value.toLowerCase() : '';
}

/** An OTLP AnyValue as plain JSON. A 64-bit integer beyond 2^53 stays a decimal string. */
export function anyValue(value: unknown): AttributeValue {
  const v = asObject(value);
  if (!v) return null;
  if (v.stringValue != null) return text(v.stringValue);
  if (v.boolValue != null) return v.boolValue === true;
  if (v.intValue != null) {
    const n = int64(v.intValue);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(n)
      : String(n);
  }
  if (v.doubleValue != null) return Number(v.doubleValue);
  if (v.arrayValue != null) return list(asObject(v.arrayValue)?.values).map(anyValue);
  if (v.kvlistValue != null) return attributes(asObject(v.kvlistValue)?.values);
  if (v.bytesValue != null) {
    return v.bytesValue instanceof Uint8Array
      ? Buffer.from(v.bytesValue).toString('base64')
      : text(v.bytesValue);
  }
  return null;
}

/** A KeyValue list as an object; a repeated key keeps its last value. */
export function attributes(keyValues: unknown): Attributes {
  const out: Record<string, AttributeValue> = {};
  for (const kv of list(keyValues)) {
    const pair = asObject(kv);
    if (pair && typeof pair.key === 'string') out[pair.key] = anyValue(pair.value);
  }
  return out;
}

function readSpan(raw: unknown, resource: Attributes, scope: OtlpSpan['scope']): OtlpSpan | UnreadableSpan {
  const span = asObject(raw);
  if (!span) return { unreadable: 'a span must be an object' };
  const status = asObject(span.status);
  return {
    traceId: hexId(span.traceId),
    spanId: hexId(span.spanId),
    parentSpanId: hexId(span.parentSpanId),
    name: text(span.name),
    kind: Number(span.kind ?? 0) || 0,
    startTimeUnixNano: int64(span.startTimeUnixNano),
    endTimeUnixNano: int64(span.endTimeUnixNano),
    attributes: attributes(span.attributes),
    events: list(span.events).map((e) => {
      const event = asObject(e) ?? {};
      return {
        name: text(event.name),
        timeUnixNano: int64(event.timeUnixNano),
        attributes: attributes(event.attributes),
      };
    }),
    status: { code: Number(status?.code ?? 0) || 0, message: text(status?.message) },
    resource,
    scope,
  };
}

/**
 * Every span of an ExportTraceServiceRequest (as decoded from protobuf, or parsed from JSON), in
 * order. Throws InvalidInputError (400) only when `resourceSpans` is there but not a list.
 */
export function spansOf(request: unknown): (OtlpSpan | UnreadableSpan)[] {
  const resourceSpans = asObject(request)?.resourceSpans;
  if (resourceSpans !== undefined && resourceSpans !== null && !Array.isArray(resourceSpans)) {
    throw new InvalidInputError('resourceSpans must be an array', 'invalid_request');
  }
  return list(resourceSpans).flatMap((rs) => {
    const resource = attributes(asObject(asObject(rs)?.resource)?.attributes);
    return list(asObject(rs)?.scopeSpans).flatMap((ss) => {
      const s = asObject(asObject(ss)?.scope);
      const scope = { name: text(s?.name), version: text(s?.version) };
      return list(asObject(ss)?.spans).map((span) => readSpan(span, resource, scope));
    });
  });
}
