import {
  EventValidationError,
  INGEST_ITEMS,
  MAX_INGEST_ITEM_BYTES,
  type IngestItem,
  type IngestItemType,
  type IngestResponse,
  type IngestScoreBody,
  type IngestSpanBody,
  type ScoreRecorded,
  type ScoreValue,
  type SightlineEvent,
  type SpanRecorded,
} from '@sightline/schemas';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { assertNever } from '../common/assert-never';
import { reportedSpanCost, type PriceGeneration } from '../costs/span-costs';
import type { TraceAttributes } from './trace-attributes';

export type IngestSuccess = IngestResponse['successes'][number];
export type IngestFailure = IngestResponse['errors'][number];

/** A batch sorted out: what to append (one record an event), and every item's outcome. */
export interface SortedBatch<R> {
  readonly records: readonly R[];
  readonly successes: readonly IngestSuccess[];
  readonly errors: readonly IngestFailure[];
}

const checks = Object.fromEntries(
  Object.entries(INGEST_ITEMS).map(([type, schema]) => [type, TypeCompiler.Compile(schema as TSchema)]),
) as Record<IngestItemType, TypeCheck<TSchema>>;

class ItemError extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly code: string,
    message: string,
    readonly issues: IngestFailure['issues'] = [],
  ) {
    super(message);
  }
}

// ClickHouse's DateTime64 holds 1900–2299; a time outside the Unix era up to then is a client's bug.
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(2299, 11, 31);

/**
 * Every instant as ISO-8601 UTC with milliseconds, as the archive keeps it. Times are the client's:
 * a skewed clock is recorded as it says, but a time outside 1970–2299 is refused.
 */
function utc(value: string): string {
  const ms = Date.parse(value);
  if (ms < EARLIEST || ms > LATEST) {
    throw new ItemError(400, 'invalid_item', `the time ${value} is outside 1970–2299`);
  }
  return new Date(ms).toISOString();
}

function checked(raw: unknown): IngestItem {
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(checks, type)) {
    throw new ItemError(
      400,
      'unknown_item_type',
      `unknown item type ${JSON.stringify(type)}; expected one of ${Object.keys(checks).join(', ')}`,
    );
  }
  const check = checks[type as IngestItemType];
  if (check.Check(raw)) return raw as IngestItem;
  const issues = [...check.Errors(raw)].slice(0, 10).map((e) => ({ path: e.path, message: e.message }));
  throw new ItemError(400, 'invalid_item', `invalid ${type} item`, issues);
}

function spanData(body: IngestSpanBody, kind: SpanRecorded['data']['kind']): SpanRecorded['data'] {
  const {
    traceId: _t,
    spanId: _s,
    parentSpanId: _p,
    userId: _u,
    metadata,
    usage,
    cost: _c,
    ...fields
  } = body;
  const inputTokens = usage?.inputTokens ?? 0;
  const outputTokens = usage?.outputTokens ?? 0;
  return {
    ...fields,
    ...(kind ? { kind } : {}),
    ...(body.startedAt ? { startedAt: utc(body.startedAt) } : {}),
    ...(body.endedAt ? { endedAt: utc(body.endedAt) } : {}),
    ...(metadata
      ? { metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)])) }
      : {}),
    ...(usage
      ? {
          usage: {
            inputTokens,
            outputTokens,
            totalTokens: usage.totalTokens ?? inputTokens + outputTokens,
            cachedTokens: usage.cachedTokens ?? 0,
            reasoningTokens: usage.reasoningTokens ?? 0,
          },
        }
      : {}),
  };
}

function scoreData(body: IngestScoreBody, itemId: string): ScoreRecorded['data'] {
  const { value } = body;
  const dataType =
    body.dataType ??
    (typeof value === 'number' ? 'numeric' : typeof value === 'boolean' ? 'boolean' : 'categorical');
  const expected = { numeric: 'number', boolean: 'boolean', categorical: 'string' }[dataType];
  if (typeof value !== expected) {
    throw new ItemError(400, 'invalid_item', `a ${dataType} score needs a ${expected} value`, [
      { path: '/body/value', message: `expected ${expected}` },
    ]);
  }
  return {
    scoreId: body.scoreId ?? itemId,
    target: body.spanId ? 'span' : 'trace',
    name: body.name,
    // Checked above: the value is of its data type.
    score: { dataType, value } as ScoreValue,
    ...(body.comment !== undefined ? { comment: body.comment } : {}),
  };
}

/**
 * The event an item stands for, unvalidated; a generation span priced by `price` (see
 * `reportedSpanCost`). A span carries its trace's user and session where it states none
 * (`options.inherited`), and a generation the id of the API key that sent it.
 */
function eventOf<R>(item: IngestItem, options: Inherited<R>): SightlineEvent {
  const { projectId, now, price } = options;
  const eventId = item.id.toLowerCase();
  const common = { eventId, projectId, traceId: item.body.traceId, source: 'ingest' as const };
  switch (item.type) {
    case 'span':
    case 'generation': {
      const stated = item.body as IngestSpanBody;
      const { userId, sessionId } = options.inherited?.(stated) ?? stated;
      const body = { ...stated, ...(sessionId ? { sessionId } : {}) };
      const occurredAt = utc(item.timestamp ?? body.endedAt ?? body.startedAt ?? now.toISOString());
      const kind = item.type === 'generation' ? 'generation' : body.kind;
      const data = spanData(body, kind);
      const cost = reportedSpanCost(data, occurredAt, price, body.cost);
      const apiKeyId = kind === 'generation' ? options.apiKeyId : undefined;
      return {
        ...common,
        spanId: body.spanId,
        ...(body.parentSpanId ? { parentSpanId: body.parentSpanId } : {}),
        ...(userId ? { endUserId: userId } : {}),
        occurredAt,
        type: 'span.recorded',
        version: 2,
        data: { ...data, ...(cost ? { cost } : {}), ...(apiKeyId ? { apiKeyId } : {}) },
      };
    }
    case 'score': {
      const data = scoreData(item.body, eventId);
      return {
        ...common,
        spanId: item.body.spanId ?? data.scoreId,
        occurredAt: utc(item.timestamp ?? now.toISOString()),
        type: 'score.recorded',
        version: 2,
        data,
      };
    }
    default:
      return assertNever(item);
  }
}

/** How a batch is sorted: for which project, at what time, and how an event becomes its record. */
export interface SortOptions<R> {
  readonly projectId: string;
  readonly now: Date;
  /** Prices a generation span's usage (its cost recorded with the event). */
  readonly price: PriceGeneration;
  /** The event validated (the one check an event gets) and encoded; throws EventValidationError. */
  readonly encode: (event: SightlineEvent) => R;
  /** The body's size: when it is within an item's cap, no item can be over it, and none is measured. */
  readonly bodyBytes: number;
  /** The public id of the API key that sent the batch: recorded on its generations. */
  readonly apiKeyId?: string;
  /**
   * What a span carries of its trace's user and session (its own values first), given every valid
   * span of the batch (see `traceAttributesOf`); absent: what it states itself.
   */
  readonly attributes?: (spans: readonly IngestSpanBody[]) => (span: IngestSpanBody) => TraceAttributes;
}

interface Inherited<R> extends SortOptions<R> {
  readonly inherited?: (span: IngestSpanBody) => TraceAttributes;
}

function tooLarge(raw: unknown, bodyBytes: number): boolean {
  return (
    bodyBytes > MAX_INGEST_ITEM_BYTES && Buffer.byteLength(JSON.stringify(raw) ?? '') > MAX_INGEST_ITEM_BYTES
  );
}

function checkedItem(raw: unknown, bodyBytes: number): IngestItem {
  if (tooLarge(raw, bodyBytes)) {
    throw new ItemError(413, 'item_too_large', `the item is larger than ${MAX_INGEST_ITEM_BYTES} bytes`);
  }
  return checked(raw);
}

function validRecord<R>(item: IngestItem, options: Inherited<R>): { eventId: string; record: R } {
  try {
    const event = eventOf(item, options);
    return { eventId: event.eventId, record: options.encode(event) };
  } catch (error) {
    if (error instanceof EventValidationError) {
      throw new ItemError(400, 'invalid_item', error.reason, [...error.issues]);
    }
    throw error;
  }
}

const idOf = (raw: unknown): string | null => {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
};

/**
 * Each item checked on its own (a bad item fails alone, with why) and turned into its event for
 * the project (generation spans priced, spans completed with their trace's user and session), then
 * its record. An id repeated in the batch is appended once; its repeats answer 200.
 */
export function sortBatch<R>(items: readonly unknown[], options: SortOptions<R>): SortedBatch<R> {
  const records = new Map<string, R>();
  const successes: IngestSuccess[] = [];
  const errors: IngestFailure[] = [];
  const checkedItems = items.map((raw) => {
    try {
      return checkedItem(raw, options.bodyBytes);
    } catch (error) {
      if (!(error instanceof ItemError)) throw error;
      return error;
    }
  });
  const spans = checkedItems.flatMap((item) =>
    item instanceof ItemError || item.type === 'score' ? [] : [item.body as IngestSpanBody],
  );
  const inherited = options.attributes?.(spans);
  items.forEach((raw, index) => {
    const id = idOf(raw);
    const item = checkedItems[index];
    try {
      if (item instanceof ItemError) throw item;
      const { eventId, record } = validRecord(item, { ...options, inherited });
      const repeat = records.has(eventId);
      if (!repeat) records.set(eventId, record);
      successes.push({ index, id, status: repeat ? 200 : 201 });
    } catch (error) {
      if (!(error instanceof ItemError)) throw error;
      errors.push({
        index,
        id,
        status: error.status,
        code: error.code,
        message: error.message,
        issues: [...error.issues],
      });
    }
  });
  return { records: [...records.values()], successes, errors };
}
