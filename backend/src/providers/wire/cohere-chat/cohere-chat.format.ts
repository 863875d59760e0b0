import type { WireFormat } from '../wire-format';
import { fromCohereRequest, toCohereRequest } from './cohere-request';
import { toCohereCompletion, toHubCompletion } from './cohere-response';
import { CohereStreamDecoder, CohereStreamEncoder } from './cohere-stream';

/** Cohere Chat API v2 ↔ the hub (OpenAI Chat Completions). */
export const cohereChatFormat: WireFormat = {
  id: 'cohere-chat',
  toChatRequest: fromCohereRequest,
  fromChatRequest: toCohereRequest,
  toChatCompletion: toHubCompletion,
  fromChatCompletion: toCohereCompletion,
  streamDecoder: () => new CohereStreamDecoder(),
  streamEncoder: () => new CohereStreamEncoder(),
};
