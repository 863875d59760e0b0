import type { OutputChoice, SightlineEvent, SpanRecorded } from '@sightline/schemas';
import { InvalidInputError } from '../common/errors';
import type { Body } from './replay-request';

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

/**
 * `body` continued past the tool calls the recorded answer (`choice`) asked for: the assistant's
 * message with them, then one `tool` message per call with the output of the tool span that
 * answered it — matched by call id, else by tool name (`weather`, `execute_tool weather`) in order.
 * Without tool calls in the answer, `body` as it is.
 * @throws InvalidInputError `tool_results_not_recorded` naming the calls no tool span answered.
 */
export function withRecordedToolResults(
  body: Body,
  choice: OutputChoice | undefined,
  spans: readonly RecordedToolSpan[],
): Body {
  const calls = choice?.toolCalls ?? [];
  if (!calls.length) return body;
  const unused = [...spans];
  const take = (match: (s: RecordedToolSpan) => boolean) => {
    const at = unused.findIndex(match);
    return at < 0 ? undefined : unused.splice(at, 1)[0];
  };
  const answered = calls.map((call) => ({
    call,
    span:
      take((s) => s.toolCallId === call.id) ??
      take((s) => !s.toolCallId && (s.name === call.name || s.name.endsWith(` ${call.name}`))),
  }));
  const missing = answered.filter((a) => !a.span).map((a) => `${a.call.name} (${a.call.id})`);
  if (missing.length)
    throw new InvalidInputError(
      `The trace has no recorded result of the tool call${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      'tool_results_not_recorded',
      'overrides.toolResults',
    );
  const assistant = {
    role: 'assistant',
    content: choice?.content ?? null,
    tool_calls: calls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.name, arguments: c.arguments },
    })),
  };
  const results = answered.map(({ call, span }) => ({
    role: 'tool',
    tool_call_id: call.id,
    content: typeof span!.output === 'string' ? span!.output : JSON.stringify(span!.output),
  }));
  return { ...body, messages: [...(body.messages as unknown[]), assistant, ...results] };
}
