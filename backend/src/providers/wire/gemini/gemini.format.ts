import type { WireFormat } from '../wire-format';
import { chatToGemini } from './request-from-chat';
import { geminiToChat } from './request-to-chat';
import { completionToGemini, geminiToCompletion } from './response';
import { GeminiStreamDecoder, GeminiStreamEncoder } from './stream';

/**
 * Google's Gemini API (`generateContent` / `streamGenerateContent?alt=sse`) ↔ the hub. Gemini has
 * no tool-call ids: see `syntheticCallId` for how calls and results are matched.
 */
export const gemini: WireFormat = {
  id: 'gemini',
  toChatRequest: geminiToChat,
  fromChatRequest: chatToGemini,
  toChatCompletion: geminiToCompletion,
  fromChatCompletion: completionToGemini,
  streamDecoder: () => new GeminiStreamDecoder(),
  streamEncoder: () => new GeminiStreamEncoder(),
};
