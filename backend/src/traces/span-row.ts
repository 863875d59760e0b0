import type { GenerationCostData } from '@sightline/schemas';
import { ioPreviewText } from './io-preview';
import { mergePatches, patchOf, type SpanEvent, type SpanPatch } from './span-patch';

/** Characters of input/output kept in list tables; the whole value stays in the `events` archive. */
export const PREVIEW_CHARS = 2000;

const UINT32_MAX = 0xffff_ffff;

/** A row of the `spans` table (ClickHouse column names; times ISO-8601). */
export interface SpanRow {
  readonly project_id: string;
  readonly trace_id: string;
  readonly span_id: string;
  readonly parent_span_id: string;
  readonly kind: string;
  readonly name: string;
  readonly source: string;
  readonly status: 'unset' | 'ok' | 'error';
  readonly status_message: string;
  readonly level: string;
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly latency_ms: number | null;
  readonly model: string;
  readonly provider: string;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly total_tokens: number;
  readonly cached_tokens: number;
  readonly reasoning_tokens: number;
  /** Exact decimal USD of a priced generation; null for other spans and while the price is unknown. */
  readonly cost_usd: string | null;
  /** The price the cost used (`catalog:…`, `custom:…`); '' when none. */
  readonly price_version: string;
  /** `unpriced`, `suspicious_usage`, `estimated_usage`, `approximate_tokens`. */
  readonly cost_flags: readonly string[];
  readonly input_preview: string;
  readonly output_preview: string;
  readonly user_id: string;
  readonly session_id: string;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly release: string;
  readonly app_version: string;
  readonly environment: string;
  /** Distinct events folded into the row: the row's version (the fullest wins). */
  readonly event_count: number;
}

/** The plain-text preview of an input or output (see `ioPreviewText`), cut to PREVIEW_CHARS. */
function preview(value: unknown, side: 'input' | 'output'): string {
  const text = ioPreviewText(value, side);
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

const byTimeThenId = (a: SpanEvent, b: SpanEvent): number =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.eventId < b.eventId ? -1 : 1;

/** Each event once (a retried delivery or a re-sent batch repeats ids), oldest first. */
export function distinctInOrder(events: readonly SpanEvent[]): SpanEvent[] {
  const byId = new Map(events.map((e) => [e.eventId, e]));
  return [...byId.values()].sort(byTimeThenId);
}

function latencyMs(startedAt: string, endedAt: string | undefined): number | null {
  if (endedAt === undefined) return null;
  const ms = Date.parse(endedAt) - Date.parse(startedAt);
  return Math.min(Math.max(ms, 0), UINT32_MAX);
}

/** An unpriced total is not a price: null, with the `unpriced` flag saying why. */
function costColumns(cost: GenerationCostData | null | undefined) {
  return {
    cost_usd: cost && !cost.flags.includes('unpriced') ? cost.totalUsd : null,
    price_version: cost?.priceVersion ?? '',
    cost_flags: cost?.flags ?? [],
  };
}

/** The last value an event set, in time order (envelope fields such as the parent or the end user). */
function lastSet(events: readonly SpanEvent[], pick: (e: SpanEvent) => string | undefined): string {
  return events.reduce((found, e) => pick(e) || found, '');
}

/**
 * The current row of one span from every event known of it, in any arrival order. Pure: the same
 * events (repeats included) give the same row. `events` must be non-empty and of one span.
 */
export function foldSpan(events: readonly SpanEvent[]): SpanRow {
  const ordered = distinctInOrder(events);
  const first = ordered[0];
  const span: SpanPatch = ordered.map(patchOf).reduce(mergePatches, {});
  const startedAt = span.startedAt ?? first.occurredAt;
  return {
    project_id: first.projectId,
    trace_id: first.traceId,
    span_id: first.spanId,
    parent_span_id: lastSet(ordered, (e) => e.parentSpanId),
    kind: span.kind ?? 'span',
    name: span.name ?? span.model ?? '',
    source: first.source,
    status: span.status ?? 'unset',
    status_message: span.statusMessage ?? '',
    level: span.level ?? (span.status === 'error' ? 'error' : 'default'),
    started_at: startedAt,
    ended_at: span.endedAt ?? null,
    latency_ms: latencyMs(startedAt, span.endedAt),
    model: span.model ?? '',
    provider: span.provider ?? '',
    input_tokens: span.usage?.inputTokens ?? 0,
    output_tokens: span.usage?.outputTokens ?? 0,
    total_tokens: span.usage?.totalTokens ?? 0,
    cached_tokens: span.usage?.cachedTokens ?? 0,
    reasoning_tokens: span.usage?.reasoningTokens ?? 0,
    ...costColumns(span.cost),
    input_preview: preview(span.input, 'input'),
    output_preview: preview(span.output, 'output'),
    user_id: lastSet(ordered, (e) => e.endUserId),
    session_id: span.sessionId ?? '',
    tags: span.tags ?? [],
    metadata: span.metadata ?? {},
    release: span.release ?? '',
    app_version: span.version ?? '',
    environment: span.environment ?? '',
    event_count: ordered.length,
  };
}

/** The whole span (input and output as recorded) from its events, for a trace's detail. */
export function wholeSpan(events: readonly SpanEvent[]): SpanPatch {
  return distinctInOrder(events).map(patchOf).reduce(mergePatches, {});
}
