import { InvalidInputError, ProviderError } from '../../../common/errors';
import type { ChatCompletion, ChatCompletionChunk } from '../chat-completions';
import { openAiChat } from './openai-chat.format';

const chunk = (content: string): ChatCompletionChunk => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4o',
  choices: [{ index: 0, delta: { content }, finish_reason: null, logprobs: { content: [] } }],
  x_unknown: 1,
});

describe('openai-chat wire format', () => {
  it('given a request, is the hub request itself, unknown fields and n > 1 included', () => {
    const body = { model: 'gpt-4o', n: 3, messages: [{ role: 'user', content: 'hi' }], x_future: { a: 1 } };
    expect(openAiChat.toChatRequest(body)).toBe(body);
    expect(openAiChat.fromChatRequest(openAiChat.toChatRequest(body))).toBe(body);
  });

  it.each([
    ['not an object', [], null],
    ['no model', { messages: [{ role: 'user', content: 'x' }] }, 'model'],
    ['no messages', { model: 'm', messages: [] }, 'messages'],
    ['an unknown role', { model: 'm', messages: [{ role: 'robot', content: 'x' }] }, 'messages.0.role'],
    [
      'a temperature out of range',
      { model: 'm', messages: [{ role: 'user' }], temperature: 3 },
      'temperature',
    ],
  ])('refuses %s, naming the field', (_name, body, param) => {
    expect(() => openAiChat.toChatRequest(body)).toThrow(InvalidInputError);
    try {
      openAiChat.toChatRequest(body);
    } catch (error) {
      expect((error as InvalidInputError).param).toBe(param);
    }
  });

  it('given an answer, is the hub answer itself; one without choices is refused', () => {
    const answer = {
      id: 'x',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [],
      service_tier: 'flex',
    };
    expect(openAiChat.toChatCompletion(answer)).toBe(answer);
    expect(openAiChat.fromChatCompletion(answer as ChatCompletion)).toBe(answer);
    expect(() => openAiChat.toChatCompletion({ id: 'x' })).toThrow(InvalidInputError);
  });

  it('round-trips a stream: encoder output decodes to the same chunks, [DONE] to none', () => {
    const encoder = openAiChat.streamEncoder();
    const decoder = openAiChat.streamDecoder();
    const chunks = [chunk('Hel'), chunk('lo')];
    const text = chunks.map((c) => encoder.push(c)).join('') + encoder.end();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const events = text
      .split('\n\n')
      .filter(Boolean)
      .map((e) => e.slice('data: '.length));
    const decoded = events.flatMap((data) =>
      decoder.push({ event: 'message', data: data === '[DONE]' ? data : JSON.parse(data) }),
    );
    expect(decoded).toEqual(chunks);
    expect(decoder.end()).toEqual([]);
  });

  it('turns an error event into the provider’s error, its body kept for a same-format caller', () => {
    const data = { error: { message: 'overloaded', type: 'server_error', param: null, code: null } };
    const decoder = openAiChat.streamDecoder();
    let error: unknown;
    try {
      decoder.push({ event: 'message', data });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      message: 'overloaded',
      errorClass: 'provider_error',
      providerBody: { format: 'openai-chat', text: JSON.stringify(data) },
    });
  });
});
