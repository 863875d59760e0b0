import { ProviderError } from '../../../common/errors';
import type { ChatCompletion } from '../chat-completions';
import { anthropicMessagesFormat as format } from './anthropic-messages.format';
import { JSON_OBJECT_TOOL } from './request-from-chat';

const thinking = { type: 'thinking', thinking: 'Two cities.', signature: 'sig-abc' };

const anthropicMessage = {
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [
    thinking,
    { type: 'text', text: 'Checking both.' },
    { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
    { type: 'tool_use', id: 'toolu_2', name: 'weather', input: { city: 'Rome' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: {
    input_tokens: 20,
    cache_creation_input_tokens: 100,
    cache_read_input_tokens: 1000,
    output_tokens: 50,
    output_tokens_details: { thinking_tokens: 12 },
    service_tier: 'standard',
  },
};

const hubCompletion: ChatCompletion = {
  id: 'msg_01',
  object: 'chat.completion',
  created: 0,
  model: 'claude-sonnet-4-5',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Checking both.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
        ],
        reasoning_content: 'Two cities.',
        thinking_blocks: [thinking],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: {
    prompt_tokens: 1120,
    completion_tokens: 50,
    total_tokens: 1170,
    prompt_tokens_details: { cached_tokens: 1000, cache_creation_tokens: 100 },
    completion_tokens_details: { reasoning_tokens: 12 },
  },
  service_tier: 'standard',
};

describe('Anthropic Messages answers ↔ hub', () => {
  it('translates text, parallel tool calls, thinking and cache usage to the hub', () => {
    expect(format.toChatCompletion(anthropicMessage)).toEqual(hubCompletion);
  });

  it('gives back the message it came from (round trip, usage included)', () => {
    expect(format.fromChatCompletion(format.toChatCompletion(anthropicMessage))).toEqual({
      ...anthropicMessage,
      usage: {
        input_tokens: 20,
        cache_creation_input_tokens: 100,
        cache_read_input_tokens: 1000,
        output_tokens: 50,
      },
    });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['model_context_window_exceeded', 'length'],
    ['pause_turn', 'stop'],
  ])('maps stop reason %s to finish reason %s', (stop, finish) => {
    const message = { ...anthropicMessage, stop_reason: stop, content: [{ type: 'text', text: 'x' }] };
    expect(format.toChatCompletion(message).choices[0].finish_reason).toBe(finish);
  });

  it('keeps the stop sequence that was hit, both ways', () => {
    const message = { ...anthropicMessage, content: [], stop_reason: 'stop_sequence', stop_sequence: 'END' };
    const hub = format.toChatCompletion(message);
    expect(hub.choices[0]).toMatchObject({ finish_reason: 'stop', stop_sequence: 'END' });
    expect(format.fromChatCompletion(hub)).toMatchObject({
      stop_reason: 'stop_sequence',
      stop_sequence: 'END',
    });
  });

  it("reads JSON mode's forced tool call back as the message's JSON text", () => {
    const message = {
      ...anthropicMessage,
      content: [{ type: 'tool_use', id: 'toolu_9', name: JSON_OBJECT_TOOL, input: { answer: 4 } }],
    };
    expect(format.toChatCompletion(message).choices[0]).toMatchObject({
      message: { content: '{"answer":4}' },
      finish_reason: 'stop',
    });
  });

  it('translates an OpenAI answer for an Anthropic caller: refusal, length, no usage', () => {
    const openAi: ChatCompletion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, refusal: 'I cannot.' },
          finish_reason: 'stop',
        },
      ],
    };
    expect(format.fromChatCompletion(openAi)).toEqual({
      id: 'msg_chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4o',
      content: [{ type: 'text', text: 'I cannot.' }],
      stop_reason: 'refusal',
      stop_sequence: null,
      usage: {
        input_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 0,
      },
    });
    const cut = {
      ...openAi,
      choices: [{ index: 0, message: { role: 'assistant' as const, content: 'a' }, finish_reason: 'length' }],
    };
    expect(format.fromChatCompletion(cut)).toMatchObject({
      stop_reason: 'max_tokens',
      content: [{ type: 'text', text: 'a' }],
    });
  });

  it('reports tool arguments that are not a JSON object as a provider error', () => {
    const broken: ChatCompletion = {
      ...hubCompletion,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
    };
    expect(() => format.fromChatCompletion(broken)).toThrow(ProviderError);
  });

  it('refuses a body that is not a message', () => {
    expect(() =>
      format.toChatCompletion({ type: 'error', error: { type: 'api_error', message: 'x' } }),
    ).toThrow(ProviderError);
  });
});
