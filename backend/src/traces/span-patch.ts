import type { GenerationCostData, SightlineEvent, SpanRecorded } from '@sightline/schemas';
import { assertNever } from '../common/assert-never';

/** What one event says about its span: the fields of `span.recorded`, and a generation's cost. */
export type SpanPatch = Omit<SpanRecorded['data'], 'cost'> & { readonly cost?: GenerationCostData | null };

/** The events that describe spans: spans reported by callers, and generations recorded by the gateway. */
export type SpanEvent = Extract<
  SightlineEvent,
  { type: 'span.recorded' | `generation.${'requested' | 'completed' | 'failed' | 'cancelled'}` }
>;

export const SPAN_EVENT_TYPES: readonly SpanEvent['type'][] = [
  'span.recorded',
  'generation.requested',
  'generation.completed',
  'generation.failed',
  'generation.cancelled',
];

export function isSpanEvent(event: SightlineEvent): event is SpanEvent {
  return (SPAN_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** A gateway or playground generation's events as patches of a `generation` span. */
export function patchOf(event: SpanEvent): SpanPatch {
  switch (event.type) {
    case 'span.recorded':
      return event.data;
    case 'generation.requested': {
      const d = event.data;
      return {
        kind: 'generation',
        name: d.model,
        startedAt: event.occurredAt,
        input: d.messages,
        model: d.model,
        provider: d.provider,
        modelParameters: d.params,
        ...(d.sessionId !== undefined ? { sessionId: d.sessionId } : {}),
        tags: d.tags,
        metadata: d.metadata,
      };
    }
    case 'generation.completed': {
      const { usage, startedAt, output, servedBy, cost } = event.data;
      return {
        kind: 'generation',
        startedAt,
        endedAt: event.occurredAt,
        status: 'ok',
        output,
        usage: withoutSource(usage),
        cost,
        ...(servedBy ? { provider: servedBy.provider } : {}),
      };
    }
    case 'generation.failed':
    case 'generation.cancelled': {
      const { usage, startedAt, output, servedBy, cost } = event.data;
      const failed = event.type === 'generation.failed';
      return {
        kind: 'generation',
        startedAt,
        endedAt: event.occurredAt,
        // A caller going away is not the model's error.
        status: failed ? 'error' : 'unset',
        level: failed ? 'error' : 'warning',
        statusMessage: failed
          ? `${event.data.errorClass}: ${event.data.message}`
          : `cancelled: ${event.data.reason}`,
        ...(output ? { output } : {}),
        ...(usage ? { usage: withoutSource(usage) } : {}),
        cost,
        ...(servedBy ? { provider: servedBy.provider } : {}),
      };
    }
    default:
      return assertNever(event);
  }
}

function withoutSource<U extends { source: unknown }>(usage: U): Omit<U, 'source'> {
  const { source: _source, ...counts } = usage;
  return counts;
}

/** `later` over `earlier`: set fields win, tags add up, metadata merges. */
export function mergePatches(earlier: SpanPatch, later: SpanPatch): SpanPatch {
  const merged: Record<string, unknown> = { ...earlier };
  for (const [key, value] of Object.entries(later)) {
    if (value !== undefined) merged[key] = value;
  }
  if (earlier.tags || later.tags)
    merged.tags = [...new Set([...(earlier.tags ?? []), ...(later.tags ?? [])])];
  if (earlier.metadata || later.metadata) merged.metadata = { ...earlier.metadata, ...later.metadata };
  return merged as SpanPatch;
}
