import { InvalidInputError, ProviderError } from '../../../common/errors';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '../chat-completions';
import type { StreamDecoder, StreamEncoder, WireEvent, WireFormat } from '../wire-format';
import { checkChatRequest } from './openai-chat.request';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** OpenAI's stream end marker: `data: [DONE]`. */
export const DONE = '[DONE]';

/**
 * An error sent inside a stream (`data: {"error":{...}}`, as OpenAI and compatible servers do) is
 * the provider's error: thrown with its body, so a same-format caller can get it unchanged.
 */
function streamError(data: Record<string, unknown>): ProviderError {
  const error = data.error;
  const message =
    isObject(error) && typeof error.message === 'string' ? error.message : JSON.stringify(error);
  return new ProviderError(
    message,
    null,
    'provider_error',
    {},
    { format: 'openai-chat', text: JSON.stringify(data) },
  );
}

class Decoder implements StreamDecoder {
  push({ data }: WireEvent): ChatCompletionChunk[] {
    if (data === DONE) return [];
    if (!isObject(data)) throw new InvalidInputError('A stream event is not a JSON object.', 'invalid_body');
    if (data.error !== undefined && data.error !== null) throw streamError(data);
    return [data as unknown as ChatCompletionChunk];
  }

  end(): ChatCompletionChunk[] {
    return [];
  }
}

class Encoder implements StreamEncoder {
  push(chunk: ChatCompletionChunk): string {
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  end(): string {
    return `data: ${DONE}\n\n`;
  }
}

/**
 * OpenAI Chat Completions, the hub format itself: translation is the identity (nothing is copied),
 * requests are checked (`checkChatRequest`) and answers must at least carry `choices`.
 */
export const openAiChat: WireFormat = {
  id: 'openai-chat',
  toChatRequest: checkChatRequest,
  fromChatRequest: (request: ChatCompletionRequest) => request,
  toChatCompletion(body: unknown): ChatCompletion {
    if (!isObject(body) || !Array.isArray(body.choices)) {
      throw new InvalidInputError(
        'A chat completion must be an object with `choices`.',
        'invalid_body',
        'choices',
      );
    }
    return body as unknown as ChatCompletion;
  },
  fromChatCompletion: (completion: ChatCompletion) => completion,
  streamDecoder: () => new Decoder(),
  streamEncoder: () => new Encoder(),
};
