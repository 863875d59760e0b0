import { ProviderError } from '../../../common/errors';
import type { ChatCompletion, ChatToolCall } from '../chat-completions';
import type { AnthropicBlock, AnthropicMessage } from './anthropic-types';
import { isObject } from './errors';
import { JSON_OBJECT_TOOL } from './request-from-chat';
import { anthropicUsageOf, chatUsageOf, finishReasonOf, stopReasonOf } from './usage-and-stop';

/**
 * An Anthropic message → a hub completion. Text blocks join into `content`, `tool_use` blocks
 * become `tool_calls` (input serialised as the arguments text), thinking joins into
 * `reasoning_content` (the blocks, signatures included, kept as `thinking_blocks`); the JSON-mode
 * tool's call becomes the JSON text it carries. `created` is 0: Anthropic sends no timestamp.
 */
export function anthropicToCompletion(body: unknown): ChatCompletion {
  if (!isObject(body) || body.type !== 'message' || !Array.isArray(body.content)) {
    throw new ProviderError('Anthropic answered with a body that is not a message', 200, 'provider_error');
  }
  const message = body as unknown as AnthropicMessage;
  const texts: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  const thinking: AnthropicBlock[] = [];
  let json = false;
  for (const block of message.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'tool_use' && block.name === JSON_OBJECT_TOOL) {
      texts.push(JSON.stringify(block.input));
      json = true;
    } else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    } else if (block.type === 'thinking' || block.type === 'redacted_thinking') thinking.push(block);
  }
  const reasoning = thinking.flatMap((b) => (b.type === 'thinking' ? [b.thinking] : [])).join('');
  return {
    id: message.id,
    object: 'chat.completion',
    created: 0,
    model: message.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: texts.length > 0 ? texts.join('') : null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          ...(thinking.length > 0 ? { reasoning_content: reasoning, thinking_blocks: thinking } : {}),
        },
        finish_reason: json ? 'stop' : finishReasonOf(message.stop_reason),
        ...(message.stop_sequence ? { stop_sequence: message.stop_sequence } : {}),
      },
    ],
    usage: chatUsageOf(message.usage ?? {}),
    ...(typeof message.usage?.service_tier === 'string' ? { service_tier: message.usage.service_tier } : {}),
  };
}

/**
 * A hub completion → an Anthropic message, for an Anthropic caller of another provider's model.
 * Only the first choice: an Anthropic request cannot ask for more. Tool arguments that are not a
 * JSON object (the model wrote broken JSON) are a provider error, as Anthropic cannot carry them.
 */
export function completionToAnthropic(completion: ChatCompletion): AnthropicMessage {
  const choice = completion.choices[0];
  const message = choice?.message;
  const content: AnthropicBlock[] = [];
  if (Array.isArray(message?.thinking_blocks)) content.push(...(message.thinking_blocks as AnthropicBlock[]));
  else if (typeof message?.reasoning_content === 'string' && message.reasoning_content !== '') {
    content.push({ type: 'thinking', thinking: message.reasoning_content, signature: '' });
  }
  const text = typeof message?.content === 'string' ? message.content : '';
  if (text !== '') content.push({ type: 'text', text });
  if (typeof message?.refusal === 'string' && message.refusal !== '') {
    content.push({ type: 'text', text: message.refusal });
  }
  for (const call of message?.tool_calls ?? []) {
    content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolInput(call) });
  }
  const stopSequence = typeof choice?.stop_sequence === 'string' ? choice.stop_sequence : null;
  return {
    id: completion.id.startsWith('msg_') ? completion.id : `msg_${completion.id}`,
    type: 'message',
    role: 'assistant',
    model: completion.model,
    content,
    stop_reason: message?.refusal
      ? 'refusal'
      : (stopReasonOf(choice?.finish_reason, stopSequence) ?? 'end_turn'),
    stop_sequence: stopSequence,
    usage: anthropicUsageOf(completion.usage),
  };
}

function toolInput(call: ChatToolCall): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(call.function.arguments || '{}');
    if (isObject(value)) return value;
  } catch {
    // reported below
  }
  throw new ProviderError(
    `The model called '${call.function.name}' with arguments that are not a JSON object`,
    200,
    'provider_error',
  );
}
