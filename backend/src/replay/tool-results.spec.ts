import type { SightlineEvent } from '@sightline/schemas';
import { toolSpansOf, type RecordedToolSpan } from '../playground/recorded-tool-spans';
import { withRecordedToolResults } from './tool-results';

const body = { model: 'mock-1', messages: [{ role: 'user', content: 'Weather in Lyon and Paris?' }] };
const choice = {
  index: 0,
  content: null,
  finishReason: 'tool_calls',
  toolCalls: [
    { id: 'call_1', name: 'weather', arguments: '{"city":"Lyon"}' },
    { id: 'call_2', name: 'weather', arguments: '{"city":"Paris"}' },
  ],
};
const span = (s: Partial<RecordedToolSpan>): RecordedToolSpan => ({
  spanId: 's',
  name: 'weather',
  toolCallId: undefined,
  output: null,
  ...s,
});

describe('recorded tool results', () => {
  it('continues the request with the answer’s tool calls and the outputs matched by call id, else by name', () => {
    const out = withRecordedToolResults(body, choice, [
      span({ spanId: 'a', name: 'execute_tool weather', output: { temp: 21 } }),
      span({ spanId: 'b', toolCallId: 'call_1', output: 'sunny, 18°C' }),
    ]);
    expect(out.messages).toEqual([
      body.messages[0],
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Lyon"}' } },
          { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny, 18°C' },
      { role: 'tool', tool_call_id: 'call_2', content: '{"temp":21}' },
    ]);
  });

  it('falls back to the tool name in order when the spans name ids the answer does not have', () => {
    const out = withRecordedToolResults(body, choice, [
      span({ spanId: 'a', toolCallId: 'sdk_1', output: 'Lyon: rain' }),
      span({ spanId: 'b', toolCallId: 'sdk_2', output: 'Paris: sun' }),
    ]);
    expect((out.messages as unknown[]).slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'call_1', content: 'Lyon: rain' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Paris: sun' },
    ]);
  });

  it('refuses when a call has no recorded result, naming it', () => {
    expect(() =>
      withRecordedToolResults(body, choice, [span({ toolCallId: 'call_1', output: 'x' })]),
    ).toThrow(
      expect.objectContaining({
        reason: 'tool_results_not_recorded',
        message: expect.stringContaining('call_2'),
      }),
    );
  });

  it('leaves a request whose answer asked for no tool calls as it is', () => {
    expect(withRecordedToolResults(body, { ...choice, toolCalls: [] }, [])).toBe(body);
    expect(withRecordedToolResults(body, undefined, [])).toBe(body);
  });

  it('merges the parts of a tool span in time order and keeps tool spans with an output', () => {
    const base = {
      projectId: 'p',
      traceId: 't',
      source: 'ingest',
      type: 'span.recorded',
      version: 2,
    } as const;
    const events = [
      {
        ...base,
        eventId: 'e2',
        spanId: 'tool',
        occurredAt: '2026-11-30T10:00:02Z',
        data: { output: { ok: true } },
      },
      {
        ...base,
        eventId: 'e1',
        spanId: 'tool',
        occurredAt: '2026-11-30T10:00:01Z',
        data: { kind: 'tool', name: 'lookup', metadata: { tool_call_id: 'call_9' } },
      },
      {
        ...base,
        eventId: 'e3',
        spanId: 'agent',
        occurredAt: '2026-11-30T10:00:00Z',
        data: { kind: 'agent', output: 1 },
      },
    ] as SightlineEvent[];
    expect(toolSpansOf(events)).toEqual([
      { spanId: 'tool', name: 'lookup', toolCallId: 'call_9', output: { ok: true } },
    ]);
  });
});
