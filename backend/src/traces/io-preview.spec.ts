import { ioPreviewText } from './io-preview';

/** given a recorded input or output → then its list preview. */
const input = (value: unknown) => ioPreviewText(value, 'input');
const output = (value: unknown) => ioPreviewText(value, 'output');

describe('ioPreviewText: an input', () => {
  it('is the last user message with text, not the system prompt, a tool result or the JSON', () => {
    const chat = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Lyon?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c', function: { name: 'w', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c', content: 'sunny' },
    ];
    expect(input(chat)).toBe('Weather in Lyon?');
    expect(input({ model: 'm', messages: [...chat, { role: 'user', content: 'And Paris?' }] })).toBe(
      'And Paris?',
    );
  });

  it('reads content parts, Anthropic tool results, OTel parts and a Responses input', () => {
    const anthropic = [
      { role: 'user', content: [{ type: 'text', text: 'Find cats' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'find', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'a cat' }] },
    ];
    expect(input(anthropic)).toBe('Find cats');
    expect(input([{ role: 'user', parts: [{ type: 'text', content: 'otel question' }] }])).toBe(
      'otel question',
    );
    expect(input({ input: [{ role: 'user', content: [{ type: 'input_text', text: 'responses' }] }] })).toBe(
      'responses',
    );
  });

  it('is the last message with text when no user message has any', () => {
    expect(input([{ role: 'system', content: 'Only a system prompt' }])).toBe('Only a system prompt');
  });

  it('keeps a string as it is, shows other JSON as JSON text, and nothing as nothing', () => {
    expect(input('plain')).toBe('plain');
    expect(input({ query: 'weather' })).toBe('{"query":"weather"}');
    expect(input([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }])).toBe(
      '[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]',
    );
    expect(input(null)).toBe('');
    expect(input(undefined)).toBe('');
  });

  it('leaves the recorded value as it was', () => {
    const chat = [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'second' },
    ];
    input(chat);
    expect(chat.map((m) => m.content)).toEqual(['first', 'second']);
  });
});

describe('ioPreviewText: an output', () => {
  it("is the gateway's recorded answer text, else its refusal, else its tool calls", () => {
    const choice = { index: 0, content: null, toolCalls: [], finishReason: 'stop' };
    expect(output({ choices: [{ ...choice, content: 'Sunny, 21 °C.' }] })).toBe('Sunny, 21 °C.');
    expect(output({ choices: [{ ...choice, refusal: 'I cannot help with that.' }] })).toBe(
      'I cannot help with that.',
    );
    const calls = [
      { id: 'a', name: 'weather', arguments: '{"city":"Lyon"}' },
      { id: 'b', name: 'clock', arguments: '{}' },
    ];
    expect(output({ choices: [{ ...choice, toolCalls: calls }] })).toBe(
      'tool call: weather({"city":"Lyon"}); tool call: clock({})',
    );
  });

  it('cuts long tool arguments', () => {
    const long = JSON.stringify({ text: 'x'.repeat(200) });
    const preview = output({ choices: [{ content: null, toolCalls: [{ name: 'echo', arguments: long }] }] });
    expect(preview).toBe(`tool call: echo(${long.slice(0, 59)}…)`);
  });

  it('reads an OpenAI chat completion (the first choice)', () => {
    expect(
      output({
        choices: [
          { index: 0, message: { role: 'assistant', content: 'first', refusal: null } },
          { index: 1, message: { role: 'assistant', content: 'second' } },
        ],
      }),
    ).toBe('first');
    expect(
      output({
        choices: [
          {
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'c', type: 'function', function: { name: 'look', arguments: '{"q":1}' } }],
            },
          },
        ],
      }),
    ).toBe('tool call: look({"q":1})');
  });

  it('reads an Anthropic message, its bare content blocks, and a tool use', () => {
    const content = [
      { type: 'thinking', thinking: 'hmm' },
      { type: 'text', text: 'Hello' },
    ];
    expect(output({ id: 'msg', type: 'message', role: 'assistant', content })).toBe('Hello');
    expect(output(content)).toBe('Hello');
    expect(output([{ type: 'tool_use', id: 't', name: 'find', input: { q: 'cats' } }])).toBe(
      'tool call: find({"q":"cats"})',
    );
  });

  it('reads an OpenAI Responses output: message text, refusal and function calls', () => {
    const message = (part: object) => ({ type: 'message', role: 'assistant', content: [part] });
    expect(
      output({
        output: [{ type: 'reasoning', summary: [] }, message({ type: 'output_text', text: 'Done.' })],
      }),
    ).toBe('Done.');
    expect(output({ output: [message({ type: 'refusal', refusal: 'No.' })] })).toBe('No.');
    expect(
      output({ output: [{ type: 'function_call', call_id: 'c', name: 'add', arguments: '{"a":1}' }] }),
    ).toBe('tool call: add({"a":1})');
  });

  it('reads OpenTelemetry GenAI output messages', () => {
    expect(
      output([
        { role: 'assistant', parts: [{ type: 'text', content: 'otel answer' }], finish_reason: 'stop' },
      ]),
    ).toBe('otel answer');
    expect(
      output([
        { role: 'assistant', parts: [{ type: 'tool_call', id: 't', name: 'w', arguments: { c: 1 } }] },
      ]),
    ).toBe('tool call: w({"c":1})');
  });

  it('keeps a string as it is and shows other JSON as JSON text', () => {
    expect(output('plain answer')).toBe('plain answer');
    expect(output({ hits: 3 })).toBe('{"hits":3}');
    expect(output({ choices: [] })).toBe('{"choices":[]}');
  });
});
