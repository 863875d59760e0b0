import type { OutputChoice } from '@sightline/schemas';
import { InvalidInputError } from '../common/errors';
import type { RecordedToolSpan } from '../playground/recorded-tool-spans';
import type { Body } from './replay-request';

/**
 * `body` continued past the tool calls the recorded answer (`choice`) asked for: the assistant's
 * message with them, then one `tool` message per call with the output of the tool span that
 * answered it — matched by call id, else by tool name (`weather`, `execute_tool weather`) in order,
 * also when the span names an id the answer does not have.
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
  // Ids first over all calls, so that a span never answers another call than the one it names;
  // then by tool name in order, also for spans naming other ids (an SDK's own numbering).
  const byId = new Map(
    calls.map((call) => [call.id, take((s) => !!s.toolCallId && s.toolCallId === call.id)]),
  );
  const answered = calls.map((call) => ({
    call,
    span: byId.get(call.id) ?? take((s) => s.name === call.name || s.name.endsWith(` ${call.name}`)),
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
