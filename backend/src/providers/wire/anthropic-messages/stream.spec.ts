import { ProviderError } from '../../../common/errors';
import { SseParser } from '../sse';
import type { ChatCompletionChunk } from '../chat-completions';
import type { WireEvent } from '../wire-format';
import { anthropicMessagesFormat as format } from './anthropic-messages.format';
import { JSON_OBJECT_TOOL } from './request-from-chat';

const ev = (data: { type: string; [k: string]: unknown }): WireEvent => ({ event: data.type, data });

/** Thinking, text, then two parallel tool calls whose inputs arrive in fragments, as Anthropic streams them. */
const anthropicEvents: WireEvent[] = [
  ev({
    type: 'message_start',
    message: {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 25,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 500,
        output_tokens: 1,
      },
    },
  }),
  ev({ type: 'ping' }),
  ev({
    type: 'content_block_start',
    index: 0,
    content_block: { type: 'thinking', thinking: '', signature: '' },
  }),
  ev({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Two ' } }),
  ev({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'cities.' } }),
  ev({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-abc' } }),
  ev({ type: 'content_block_stop', index: 0 }),
  ev({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
  ev({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Checking' } }),
  ev({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: ' both.' } }),
  ev({ type: 'content_block_stop', index: 1 }),
  ev({
    type: 'content_block_start',
    index: 2,
    content_block: { type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} },
  }),
  ev({ type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '' } }),
  ev({
    type: 'content_block_delta',
    index: 2,
    delta: { type: 'input_json_delta', partial_json: '{"city": ' },
  }),
  ev({
    type: 'content_block_delta',
    index: 2,
    delta: { type: 'input_json_delta', partial_json: '"Paris"}' },
  }),
  ev({ type: 'content_block_stop', index: 2 }),
  ev({
    type: 'content_block_start',
    index: 3,
    content_block: { type: 'tool_use', id: 'toolu_2', name: 'weather', input: {} },
  }),
  ev({
    type: 'content_block_delta',
    index: 3,
    delta: { type: 'input_json_delta', partial_json: '{"city": "Rome"}' },
  }),
  ev({ type: 'content_block_stop', index: 3 }),
  ev({
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 89 },
  }),
  ev({ type: 'message_stop' }),
];

interface Assembled {
  content: string;
  reasoning: string;
  signature: string;
  toolCalls: { id?: string; name?: string; arguments: string }[];
  finish: (string | null)[];
  usage: unknown;
}

/** What a Chat Completions client assembles from the chunks. */
function assemble(chunks: readonly ChatCompletionChunk[]): Assembled {
  const out: Assembled = {
    content: '',
    reasoning: '',
    signature: '',
    toolCalls: [],
    finish: [],
    usage: null,
  };
  for (const chunk of chunks) {
    if (chunk.usage) out.usage = chunk.usage;
    for (const choice of chunk.choices) {
      const d = choice.delta;
      out.content += d.content ?? '';
      out.reasoning += d.reasoning_content ?? '';
      out.signature += typeof d.reasoning_signature === 'string' ? d.reasoning_signature : '';
      for (const call of d.tool_calls ?? []) {
        const slot = (out.toolCalls[call.index] ??= { arguments: '' });
        if (call.id) slot.id = call.id;
        if (call.function?.name) slot.name = call.function.name;
        slot.arguments += call.function?.arguments ?? '';
      }
      if (choice.finish_reason) out.finish.push(choice.finish_reason);
    }
  }
  return out;
}

function decode(events: readonly WireEvent[]): ChatCompletionChunk[] {
  const decoder = format.streamDecoder();
  return [...events.flatMap((e) => decoder.push(e)), ...decoder.end()];
}

/** The encoder's text, read back as an SSE client would. */
function parseSse(text: string): WireEvent[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()].map((e) => ({ event: e.event, data: JSON.parse(e.data) }));
}

describe('Anthropic Messages streams → hub chunks', () => {
  it('decodes thinking, text, parallel tool calls, the finish reason and usage', () => {
    const chunks = decode(anthropicEvents);
    expect(chunks[0]).toEqual({
      id: 'msg_01',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'claude-sonnet-4-5',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    expect(assemble(chunks)).toEqual({
      content: 'Checking both.',
      reasoning: 'Two cities.',
      signature: 'sig-abc',
      toolCalls: [
        { id: 'toolu_1', name: 'weather', arguments: '{"city": "Paris"}' },
        { id: 'toolu_2', name: 'weather', arguments: '{"city": "Rome"}' },
      ],
      finish: ['tool_calls'],
      usage: {
        prompt_tokens: 525,
        completion_tokens: 89,
        total_tokens: 614,
        prompt_tokens_details: { cached_tokens: 500, cache_creation_tokens: 0 },
      },
    });
    // The usage chunk comes last, with no choices, as OpenAI sends it.
    expect(chunks.at(-1)?.choices).toEqual([]);
    // The first fragment of each tool call carries its id and name, the later ones arguments only.
    const toolDeltas = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(toolDeltas[0]).toEqual({
      index: 0,
      id: 'toolu_1',
      type: 'function',
      function: { name: 'weather', arguments: '' },
    });
    expect(toolDeltas[1]).toEqual({ index: 0, function: { arguments: '{"city": ' } });
  });

  it('throws the error event as a ProviderError with its type and message', () => {
    const decoder = format.streamDecoder();
    decoder.push(anthropicEvents[0]);
    const overloaded = ev({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(() => decoder.push(overloaded)).toThrow(
      expect.objectContaining({ message: 'Overloaded', providerStatus: 529 }) as ProviderError,
    );
  });

  it('ignores pings and events it does not know (Anthropic may add some)', () => {
    const decoder = format.streamDecoder();
    expect(decoder.push(ev({ type: 'ping' }))).toEqual([]);
    expect(decoder.push(ev({ type: 'future_event', x: 1 }))).toEqual([]);
  });

  it("streams JSON mode's forced tool input as content, finishing with stop", () => {
    const chunks = decode([
      anthropicEvents[0],
      ev({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_9', name: JSON_OBJECT_TOOL, input: {} },
      }),
      ev({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"a":' },
      }),
      ev({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '1}' } }),
      ev({ type: 'content_block_stop', index: 0 }),
      ev({
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { output_tokens: 5 },
      }),
      ev({ type: 'message_stop' }),
    ]);
    expect(assemble(chunks)).toMatchObject({ content: '{"a":1}', toolCalls: [], finish: ['stop'] });
  });
});

describe('hub chunks → Anthropic Messages stream', () => {
  const openAiChunks: ChatCompletionChunk[] = [
    { role: 'assistant', content: '' },
    { content: 'Checking' },
    { content: ' both.' },
    {
      tool_calls: [
        { index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } },
      ],
    },
    { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
    { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
    {
      tool_calls: [
        { index: 1, id: 'call_b', type: 'function', function: { name: 'weather', arguments: '{}' } },
      ],
    },
  ].map((delta) => ({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk' as const,
    created: 1,
    model: 'gpt-4o',
    choices: [{ index: 0, delta: delta as ChatCompletionChunk['choices'][0]['delta'], finish_reason: null }],
  }));
  const finish: ChatCompletionChunk = {
    ...openAiChunks[0],
    choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }],
  };
  const usage: ChatCompletionChunk = {
    ...openAiChunks[0],
    choices: [],
    usage: {
      prompt_tokens: 30,
      completion_tokens: 12,
      total_tokens: 42,
      prompt_tokens_details: { cached_tokens: 10 },
    },
  };

  function encode(chunks: readonly ChatCompletionChunk[]): string {
    const encoder = format.streamEncoder();
    return chunks.map((c) => encoder.push(c)).join('') + encoder.end();
  }

  it('frames the full event sequence: start, ping, one block per text run and tool call, delta with usage, stop', () => {
    const events = parseSse(encode([...openAiChunks, finish, usage]));
    const shape = events.map((e) => {
      const data = e.data as { type: string; index?: number; delta?: { type?: string } };
      expect(data.type).toBe(e.event);
      return [e.event, data.index, data.delta?.type].filter((x) => x !== undefined).join(' ');
    });
    expect(shape).toEqual([
      'message_start',
      'ping',
      'content_block_start 0',
      'content_block_delta 0 text_delta',
      'content_block_delta 0 text_delta',
      'content_block_stop 0',
      'content_block_start 1',
      'content_block_delta 1 input_json_delta',
      'content_block_delta 1 input_json_delta',
      'content_block_stop 1',
      'content_block_start 2',
      'content_block_delta 2 input_json_delta',
      'content_block_stop 2',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0].data).toMatchObject({ message: { id: 'msg_chatcmpl-1', model: 'gpt-4o', content: [] } });
    expect(events[10].data).toEqual({
      type: 'content_block_start',
      index: 2,
      content_block: { type: 'tool_use', id: 'call_b', name: 'weather', input: {} },
    });
    expect(events.at(-2)?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: {
        input_tokens: 20,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 10,
        output_tokens: 12,
      },
    });
  });

  it('round-trips: what the encoder writes decodes to the same content, tool calls and usage', () => {
    const original = assemble([...openAiChunks, finish, usage]);
    const again = assemble(decode(parseSse(encode([...openAiChunks, finish, usage]))));
    expect(again).toEqual({
      ...original,
      usage: {
        ...usage.usage,
        total_tokens: 42,
        prompt_tokens_details: { cached_tokens: 10, cache_creation_tokens: 0 },
      },
    });
  });

  it('round-trips an Anthropic stream with thinking (signature included) through the hub', () => {
    const events = parseSse(encode(decode(anthropicEvents)));
    const again = assemble(decode(events));
    expect(again).toEqual(assemble(decode(anthropicEvents)));
    expect(
      events.find((e) => (e.data as { content_block?: { type: string } }).content_block?.type === 'thinking'),
    ).toBeDefined();
  });

  it('still opens and closes the message when the stream had no chunk', () => {
    const events = parseSse(format.streamEncoder().end());
    expect(events.map((e) => e.event)).toEqual(['message_start', 'ping', 'message_delta', 'message_stop']);
  });
});
