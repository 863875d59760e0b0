import type { WireFormat } from '../wire-format';
import { chatRequestToResponses } from './request-from-chat';
import { responsesToChatRequest } from './request-to-chat';
import { chatCompletionToResponse, responseToChatCompletion } from './response';
import { ResponsesStreamDecoder } from './stream-decoder';
import { ResponsesStreamEncoder } from './stream-encoder';

/** OpenAI's Responses API (`POST /v1/responses`) ↔ the hub (Chat Completions). */
export const openAiResponsesFormat: WireFormat = {
  id: 'openai-responses',
  toChatRequest: responsesToChatRequest,
  fromChatRequest: chatRequestToResponses,
  toChatCompletion: responseToChatCompletion,
  fromChatCompletion: chatCompletionToResponse,
  streamDecoder: () => new ResponsesStreamDecoder(),
  streamEncoder: () => new ResponsesStreamEncoder(),
};
