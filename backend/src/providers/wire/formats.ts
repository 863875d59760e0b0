import { anthropicMessagesFormat } from './anthropic-messages/anthropic-messages.format';
import { bedrockConverseFormat } from './bedrock-converse/bedrock-converse.format';
import { cohereChatFormat } from './cohere-chat/cohere-chat.format';
import { gemini } from './gemini/gemini.format';
import { mistralChat } from './mistral-chat/mistral-chat.format';
import { openAiChat } from './openai-chat/openai-chat.format';
import { openAiResponsesFormat } from './openai-responses/openai-responses.format';
import type { WireFormat, WireFormatId } from './wire-format';

/** Every wire format the gateway speaks, by id (one line per format). */
const FORMATS: Partial<Record<WireFormatId, WireFormat>> = {
  'openai-chat': openAiChat,
  'anthropic-messages': anthropicMessagesFormat,
  'bedrock-converse': bedrockConverseFormat,
  'cohere-chat': cohereChatFormat,
  gemini,
  'openai-responses': openAiResponsesFormat,
  'mistral-chat': mistralChat,
};

/** The translator of `id`; throws when no format of that id is registered (a wiring bug). */
export function wireFormat(id: WireFormatId): WireFormat {
  const format = FORMATS[id];
  if (!format) throw new Error(`No wire format '${id}' is registered in providers/wire/formats.ts`);
  return format;
}
