import type { SightlineEvent, SpanRecorded } from '@sightline/schemas';

/** A tool span of a trace as recorded: what the tool was called with and what it returned. */
export interface RecordedToolSpan {
  readonly spanId: string;
  readonly name: string;
  /** The call it answered, when the span says (metadata `tool_call_id`, `gen_ai.tool.call.id`...). */
  readonly toolCallId: string | undefined;
  readonly output: unknown;
}

const CALL_ID_KEYS = ['tool_call_id', 'toolCallId', 'gen_ai.tool.call.id', 'tool.call.id'];

/** The tool spans of a trace's `span.recorded` events, parts merged in time order (a later field wins). */
export function toolSpansOf(events: readonly SightlineEvent[]): RecordedToolSpan[] {
  const merged = new Map<string, SpanRecorded['data']>();
  const ordered = events
    .filter((e): e is SpanRecorded => e.type === 'span.recorded')
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  for (const e of ordered)
    merged.set(e.spanId, {
      ...merged.get(e.spanId),
      ...e.data,
      metadata: { ...merged.get(e.spanId)?.metadata, ...e.data.metadata },
    });
  return [...merged]
    .filter(([, span]) => span.kind === 'tool' && span.output !== undefined)
    .sort(([, a], [, b]) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''))
    .map(([spanId, span]) => ({
      spanId,
      name: span.name ?? '',
      toolCallId: callIdOf(span),
      output: span.output,
    }));
}

function callIdOf(span: SpanRecorded['data']): string | undefined {
  for (const key of CALL_ID_KEYS) if (span.metadata?.[key]) return span.metadata[key];
  const input = span.input as Record<string, unknown> | undefined;
  const fromInput = input && typeof input === 'object' ? (input.tool_call_id ?? input.toolCallId) : undefined;
  return typeof fromInput === 'string' ? fromInput : undefined;
}
