import type { ChatCompletionRequest, ChatContentPart } from '../../providers/wire/chat-completions';

/**
 * Tokens counted per image: Anthropic sizes an image at about width × height / 750 tokens and
 * scales images down to about 1.15 megapixels, so 1,600 is the bound for any image.
 */
export const IMAGE_TOKENS = 1_600;
/** Per message: its role and the separators around it, as chat templates add them. */
const MESSAGE_TOKENS = 4;

/**
 * An estimate of a request's input tokens for a model whose provider cannot count them: the
 * messages' text, tool calls and tool definitions through `count` (a BPE tokenizer), plus the
 * per-message and per-image allowances above. Not the provider's own count: callers are told so.
 */
export function estimateInputTokens(request: ChatCompletionRequest, count: (text: string) => number): number {
  let total = 0;
  for (const message of request.messages) {
    total += MESSAGE_TOKENS;
    const content = message.content;
    if (typeof content === 'string') total += count(content);
    else for (const part of content ?? []) total += partTokens(part, count);
    for (const call of message.tool_calls ?? []) total += count(call.function.name + call.function.arguments);
  }
  if (request.tools?.length) total += count(JSON.stringify(request.tools));
  return total;
}

function partTokens(part: ChatContentPart, count: (text: string) => number): number {
  if (typeof part.text === 'string') return count(part.text);
  if (part.type === 'image_url' || part.type === 'image') return IMAGE_TOKENS;
  return count(JSON.stringify(part));
}
