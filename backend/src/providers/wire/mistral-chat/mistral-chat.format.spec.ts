import { InvalidInputError } from '../../../common/errors';
import type { ChatCompletionRequest } from '../chat-completions';
import { mistralChat, mistralToolCallId } from './mistral-chat.format';

describe('Mistral chat ↔ hub', () => {
  it('renames seed and max tokens, makes tool-call ids Mistral-valid on both sides, drops labels', () => {
    const hub: ChatCompletionRequest = {
      model: 'mistral-large-latest',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_abc123XYZ', type: 'function', function: { name: 'weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_abc123XYZ', content: 'sunny' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'D681PevKs', type: 'function', function: { name: 'weather', arguments: '{}' } }],
        },
      ],
      seed: 7,
      max_completion_tokens: 64,
      tool_choice: 'required',
      stream: true,
      stream_options: { include_usage: true },
      user: 'u-1',
    };
    const body = mistralChat.fromChatRequest(hub) as Record<string, unknown>;
    const id = mistralToolCallId('call_abc123XYZ');
    expect(id).toMatch(/^[A-Za-z0-9]{9}$/);
    expect(body).toEqual({
      model: 'mistral-large-latest',
      stream: true,
      tool_choice: 'required',
      random_seed: 7,
      max_tokens: 64,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id, type: 'function', function: { name: 'weather', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: id, content: 'sunny' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'D681PevKs', type: 'function', function: { name: 'weather', arguments: '{}' } }],
        },
      ],
    });
  });

  it.each([
    ['logprobs', true],
    ['reasoning_effort', 'high'],
    ['audio', { voice: 'x' }],
  ])('refuses %s as unsupported_feature', (field, value) => {
    const request = { model: 'm', messages: [{ role: 'user' as const, content: 'x' }], [field]: value };
    expect(() => mistralChat.fromChatRequest(request)).toThrow(InvalidInputError);
    try {
      mistralChat.fromChatRequest(request);
    } catch (error) {
      expect((error as InvalidInputError).reason).toBe('unsupported_feature');
      expect((error as InvalidInputError).param).toBe(field);
    }
  });

  it('reads an answer with thinking chunks, object arguments and model_length', () => {
    const completion = mistralChat.toChatCompletion({
      id: 'cmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'magistral-medium-latest',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: [{ type: 'text', text: 'Hmm.' }] },
              { type: 'text', text: 'Sunny.' },
            ],
            tool_calls: [{ id: 'D681PevKs', function: { name: 'weather', arguments: { city: 'Oslo' } } }],
          },
          finish_reason: 'model_length',
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
    expect(completion.choices[0]).toEqual({
      index: 0,
      finish_reason: 'length',
      message: {
        role: 'assistant',
        content: 'Sunny.',
        reasoning_content: 'Hmm.',
        tool_calls: [
          { id: 'D681PevKs', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
    });
    expect(completion.usage).toEqual({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
  });

  it('splits the usage of the last streamed chunk into a hub usage chunk', () => {
    const decoder = mistralChat.streamDecoder();
    const head = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'mistral-small-latest' };
    const first = decoder.push({
      event: 'message',
      data: {
        ...head,
        choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }],
      },
    });
    const last = decoder.push({
      event: 'message',
      data: {
        ...head,
        choices: [{ index: 0, delta: { content: '' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 },
      },
    });
    expect(first).toEqual([
      { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }] },
    ]);
    expect(last).toEqual([
      { ...head, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'stop' }] },
      { ...head, choices: [], usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 } },
    ]);
    expect(decoder.push({ event: 'message', data: '[DONE]' })).toEqual([]);
  });

  it('keeps a Mistral-valid id and maps the same foreign id to the same value', () => {
    expect(mistralToolCallId('abcDEF123')).toBe('abcDEF123');
    expect(mistralToolCallId('toolu_01XYZ')).toBe(mistralToolCallId('toolu_01XYZ'));
    expect(mistralToolCallId('toolu_01XYZ')).not.toBe(mistralToolCallId('toolu_01XYA'));
  });
});
