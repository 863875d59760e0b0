import { InvalidInputError } from '../../common/errors';
import type { ChatCompletionRequest } from '../../providers/wire/chat-completions';
import { openAiResponsesFormat } from '../../providers/wire/openai-responses/openai-responses.format';
import { responsesStreamError } from '../../providers/wire/openai-responses/stream-encoder';
import type { WireFormat } from '../../providers/wire/wire-format';
import type { GatewayEndpoint } from '../gateway-pipeline';
import { openAiError, type OpenAiErrorBody } from '../openai-errors';
import type { ResponsesTransports } from './responses-transports';

/**
 * What an OpenAI-only Responses feature (`previous_response_id`, `store: true`, built-in tools…)
 * could not be translated into: held until the target is known, since a provider serving the
 * Responses API itself takes the call unchanged.
 */
const untranslatable = new WeakMap<ChatCompletionRequest, InvalidInputError>();

/**
 * The Responses translator, lenient on the way in: a body the hub cannot express gives a hub view
 * for recording only (model, input as text), and the refusal waits for {@link responsesEndpoint}'s
 * transport choice. Malformed bodies are refused at once.
 */
const lenientResponses: WireFormat = {
  ...openAiResponsesFormat,
  toChatRequest(body: unknown): ChatCompletionRequest {
    try {
      return openAiResponsesFormat.toChatRequest(body);
    } catch (error) {
      if (!(error instanceof InvalidInputError) || error.reason !== 'unsupported_feature') throw error;
      const { model, input, stream } = body as { model: string; input?: unknown; stream?: unknown };
      const content = typeof input === 'string' ? input : JSON.stringify(input ?? null);
      const request: ChatCompletionRequest = {
        model,
        stream: stream === true,
        messages: [{ role: 'user', content }],
      };
      untranslatable.set(request, error);
      return request;
    }
  },
};

/**
 * `POST /v1/responses`: OpenAI's and Azure's models get the caller's bytes on their own Responses
 * API; any other provider is reached through the translator, and an OpenAI-only feature is then a
 * 400 naming it. Errors in OpenAI's shape; mid-stream, a Responses `error` event.
 */
export function responsesEndpoint(transports: ResponsesTransports): GatewayEndpoint {
  return {
    format: lenientResponses,
    error: openAiError,
    streamError: (answer, sequence) => {
      const { message, code, param } = (answer.body as OpenAiErrorBody).error;
      return responsesStreamError(sequence, message, code, param);
    },
    transport: (target, request) => {
      const own = transports.get(target.adapter.id);
      if (own) return own;
      const refusal = untranslatable.get(request);
      if (refusal) throw refusal;
      return undefined;
    },
  };
}
