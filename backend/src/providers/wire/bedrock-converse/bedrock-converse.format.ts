import type { WireFormat } from '../wire-format';
import { fromBedrockRequest, toBedrockRequest } from './bedrock-request';
import { toBedrockCompletion, toHubCompletion } from './bedrock-response';
import { BedrockStreamDecoder, BedrockStreamEncoder } from './bedrock-stream';

/** AWS Bedrock Converse / ConverseStream ↔ the hub (OpenAI Chat Completions). */
export const bedrockConverseFormat: WireFormat = {
  id: 'bedrock-converse',
  toChatRequest: fromBedrockRequest,
  fromChatRequest: toBedrockRequest,
  toChatCompletion: toHubCompletion,
  fromChatCompletion: toBedrockCompletion,
  streamDecoder: () => new BedrockStreamDecoder(),
  streamEncoder: () => new BedrockStreamEncoder(),
};
