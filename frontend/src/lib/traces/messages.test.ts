import { describe, expect, it } from 'vitest';
import { parseRecorded, toMessages } from './messages';

describe('recorded input and output as chat messages', () => {
  it('reads OpenAI chat messages: text, image parts, tool calls and tool results', () => {
    const messages = toMessages({
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'look', arguments: '{"q":1}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: '{"seen":"a cat"}' },
      ],
      temperature: 0.3,
    });
    expect(messages).toEqual([
      { role: 'system', name: undefined, parts: [{ type: 'text', text: 'Be brief.' }] },
      {
        role: 'user',
        name: undefined,
        parts: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', url: 'data:image/png;base64,AAAA' },
        ],
      },
      {
        role: 'assistant',
        name: undefined,
        parts: [{ type: 'tool_call', id: 'c1', name: 'look', arguments: '{"q":1}' }],
      },
      {
        role: 'tool',
        name: undefined,
        parts: [{ type: 'tool_result', id: 'c1', content: '{"seen":"a cat"}' }],
      },
    ]);
  });

  it('reads OpenTelemetry GenAI messages with parts', () => {
    const messages = toMessages([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 't', name: 'weather', arguments: { city: 'Lyon' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 't', response: { sunny: true } }] },
      { role: 'user', parts: [{ type: 'uri', modality: 'image', uri: 'https://example.test/a.png' }] },
    ]);
    expect(messages?.map((m) => m.parts[0])).toEqual([
      { type: 'tool_call', id: 't', name: 'weather', arguments: '{\n  "city": "Lyon"\n}' },
      { type: 'tool_result', id: 't', content: '{\n  "sunny": true\n}' },
      { type: 'image', url: 'https://example.test/a.png' },
    ]);
  });

  it('reads Anthropic content blocks, an OpenAI response and a bare string as the default role', () => {
    expect(
      toMessages([
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'tu', name: 'search', input: { q: 'x' } },
      ])?.[0],
    ).toEqual({
      role: 'assistant',
      parts: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_call', id: 'tu', name: 'search', arguments: '{\n  "q": "x"\n}' },
      ],
    });
    expect(toMessages({ choices: [{ message: { role: 'assistant', content: 'Hi' } }] })?.[0].parts).toEqual([
      { type: 'text', text: 'Hi' },
    ]);
    expect(toMessages('plain answer')).toEqual([
      { role: 'assistant', parts: [{ type: 'text', text: 'plain answer' }] },
    ]);
  });

  it("reads the gateway's recorded answer: one assistant message a choice, with text, tool calls and refusal", () => {
    const messages = toMessages({
      choices: [
        { index: 0, content: 'Sunny.', toolCalls: [], finishReason: 'stop' },
        {
          index: 1,
          content: null,
          toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Lyon"}' }],
          finishReason: 'tool_calls',
        },
        { index: 2, content: '', refusal: 'I cannot help with that.', toolCalls: [], finishReason: 'stop' },
      ],
    });
    expect(messages).toEqual([
      { role: 'assistant', parts: [{ type: 'text', text: 'Sunny.' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'c1', name: 'weather', arguments: '{"city":"Lyon"}' }],
      },
      { role: 'assistant', parts: [{ type: 'refusal', text: 'I cannot help with that.' }] },
    ]);
  });

  it('reads an OpenAI chat completion refusal as a refusal', () => {
    const messages = toMessages({
      choices: [
        { index: 0, message: { role: 'assistant', content: null, refusal: 'No.' }, finish_reason: 'stop' },
      ],
    });
    expect(messages?.[0].parts).toEqual([{ type: 'refusal', text: 'No.' }]);
  });

  it('reads an OpenAI Responses output as one assistant turn, leaving out empty reasoning', () => {
    const messages = toMessages({
      object: 'response',
      output: [
        { type: 'reasoning', id: 'r', summary: [] },
        {
          type: 'message',
          role: 'assistant',
          content: [
            { type: 'output_text', text: 'Here you go.', annotations: [] },
            { type: 'refusal', refusal: 'Not that part.' },
          ],
        },
        { type: 'function_call', call_id: 'call_1', name: 'add', arguments: '{"a":1}' },
      ],
    });
    expect(messages).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'text', text: 'Here you go.' },
          { type: 'refusal', text: 'Not that part.' },
          { type: 'tool_call', id: 'call_1', name: 'add', arguments: '{"a":1}' },
        ],
      },
    ]);
  });

  it('reads OpenTelemetry GenAI output messages and an Anthropic message', () => {
    expect(
      toMessages([
        { role: 'assistant', parts: [{ type: 'text', content: 'otel answer' }], finish_reason: 'stop' },
      ]),
    ).toEqual([{ role: 'assistant', name: undefined, parts: [{ type: 'text', text: 'otel answer' }] }]);
    expect(
      toMessages({
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'tu', name: 'find', input: { q: 'x' } }],
        stop_reason: 'tool_use',
      })?.[0].parts,
    ).toEqual([{ type: 'tool_call', id: 'tu', name: 'find', arguments: '{\n  "q": "x"\n}' }]);
  });

  it('keeps a system prompt given beside the messages', () => {
    const messages = toMessages({ system: 'You are terse.', messages: [{ role: 'user', content: 'hi' }] });
    expect(messages?.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('is null for JSON that is not chat-shaped', () => {
    expect(toMessages({ goal: 'a weekend in Lyon' })).toBeNull();
    expect(toMessages([1, 2, 3])).toBeNull();
    expect(toMessages(42)).toBeNull();
    expect(toMessages([])).toBeNull();
    expect(toMessages({ choices: [{ index: 0, logprobs: null }] })).toBeNull();
    expect(toMessages({ output: [1, 2] })).toBeNull();
  });

  it('parses recorded JSON text, keeping text that is not JSON as is', () => {
    expect(parseRecorded('{"a":1}')).toEqual({ a: 1 });
    expect(parseRecorded('not json')).toBe('not json');
    expect(parseRecorded(null)).toBeUndefined();
  });
});
