import type { WireFormat } from '../wire-format';
import { chatToAnthropic } from './request-from-chat';
import { anthropicToChat } from './request-to-chat';
import { anthropicToCompletion, completionToAnthropic } from './response';
import { AnthropicStreamDecoder } from './stream-decoder';
import { AnthropicStreamEncoder } from './stream-encoder';

/**
 * Anthropic Messages (`POST /v1/messages`) ↔ the hub. Choices made where the formats differ:
 * - JSON-schema output ↔ `output_config.format` (Anthropic's structured output, answered as text);
 *   JSON mode (no schema) → a forced call of the `sightline_json_object` tool, read back as text.
 * - `max_tokens` is required by Anthropic: `DEFAULT_MAX_TOKENS` (4,096) when the hub has none.
 * - `thinking` ↔ `reasoning_effort` (budget buckets); thinking blocks ↔ `reasoning_content`, the
 *   signed blocks kept as `thinking_blocks` on the hub message (`reasoning_signature` in stream
 *   deltas) so that a later turn can send them back.
 * - Usage: hub `prompt_tokens` = input + cache read + cache creation tokens; `cached_tokens` = cache
 *   read, `cache_creation_tokens` = cache creation (in `prompt_tokens_details`).
 * - Tool results' `is_error` rides on the hub tool message; `cache_control` hints are dropped.
 * - What Anthropic cannot do (`n > 1`, `logprobs`, audio, `seed`, penalties...) → `unsupported_feature`.
 */
export const anthropicMessagesFormat: WireFormat = {
  id: 'anthropic-messages',
  toChatRequest: anthropicToChat,
  fromChatRequest: chatToAnthropic,
  toChatCompletion: anthropicToCompletion,
  fromChatCompletion: completionToAnthropic,
  streamDecoder: () => new AnthropicStreamDecoder(),
  streamEncoder: () => new AnthropicStreamEncoder(),
};
