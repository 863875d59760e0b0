import type {
  ChatCompletionRequest,
  ChatContentPart,
  ChatMessageWire,
  ChatTool,
  ChatToolCall,
} from '../chat-completions';
import type {
  AnthropicBlock,
  AnthropicMessageParam,
  AnthropicThinkingConfig,
  AnthropicTool,
  AnthropicToolChoice,
} from './anthropic-types';
import { invalid, isObject, malformed } from './errors';

/** Thinking budgets (tokens) at or above which a budget reads as that `reasoning_effort`. */
const EFFORT_OF_BUDGET: readonly (readonly [number, string])[] = [
  [16_384, 'high'],
  [4_096, 'medium'],
  [0, 'low'],
];

/** Fields translated below; any other top-level field rides along under its own name. */
const TRANSLATED = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'stream',
  'stop_sequences',
  'temperature',
  'top_p',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'metadata',
  'service_tier',
  // A caching hint: Chat Completions providers cache prompts on their own.
  'cache_control',
]);

/**
 * An Anthropic `POST /v1/messages` body → the hub request. `cache_control` hints are dropped (Chat
 * Completions providers cache prompts on their own); `thinking` becomes `reasoning_effort` (budget
 * buckets above, `output_config.effort` when given). Fields, blocks and tools with no Chat
 * Completions form (`top_k`, `container`, documents, server tools...) ride along in their Anthropic
 * shape: a same-format call loses nothing, an Anthropic provider gets them back, and the formats
 * that cannot carry them refuse them by name.
 */
export function anthropicToChat(body: unknown): ChatCompletionRequest {
  if (!isObject(body)) throw invalid('body', 'expected a JSON object');
  const { model, max_tokens, messages, system, tools, tool_choice, thinking, output_config, metadata } = body;
  if (typeof model !== 'string' || model === '') throw malformed('model', model, 'a non-empty string');
  if (typeof max_tokens !== 'number' || !Number.isInteger(max_tokens) || max_tokens < 1) {
    throw malformed('max_tokens', max_tokens, 'a positive integer');
  }
  if (!Array.isArray(messages)) throw malformed('messages', messages, 'an array of messages');
  const chatMessages: ChatMessageWire[] = [...systemMessages(system)];
  messages.forEach((message, i) => chatMessages.push(...fromMessage(message, `messages.${i}`)));
  const parallel = isObject(tool_choice) ? tool_choice.disable_parallel_tool_use !== true : undefined;
  const effort = reasoningEffort(thinking, output_config);
  const format = responseFormat(output_config);
  const extra = Object.entries(body).filter(([key, value]) => !TRANSLATED.has(key) && value !== undefined);
  return {
    ...Object.fromEntries(extra),
    model,
    messages: chatMessages,
    max_tokens,
    ...(body.stream === true ? { stream: true, stream_options: { include_usage: true } } : {}),
    ...copy(body, 'temperature', 'top_p'),
    ...(Array.isArray(body.stop_sequences) ? { stop: body.stop_sequences as string[] } : {}),
    ...(Array.isArray(tools) && tools.length > 0 ? { tools: tools.map(fromTool) } : {}),
    ...(isObject(tool_choice) ? { tool_choice: fromToolChoice(tool_choice as never) } : {}),
    ...(parallel === false ? { parallel_tool_calls: false } : {}),
    ...(format ? { response_format: format } : {}),
    ...(effort ? { reasoning_effort: effort } : {}),
    ...(isObject(metadata) && typeof metadata.user_id === 'string' ? { user: metadata.user_id } : {}),
    ...(body.service_tier === 'auto' ? { service_tier: 'auto' } : {}),
    ...(body.service_tier === 'standard_only' ? { service_tier: 'default' } : {}),
  };
}

function copy(body: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (body[key] !== undefined && body[key] !== null) out[key] = body[key];
  return out;
}

function systemMessages(system: unknown): ChatMessageWire[] {
  if (system === undefined || system === null) return [];
  if (typeof system === 'string') return [{ role: 'system', content: system }];
  if (!Array.isArray(system)) throw invalid('system', 'expected a string or an array of text blocks');
  return [{ role: 'system', content: textOf(system as AnthropicBlock[], 'system') }];
}

/** The text of a system prompt's blocks (text only, as Anthropic requires), joined with blank lines. */
function textOf(blocks: readonly AnthropicBlock[], at: string): string {
  return blocks
    .map((block, j) => {
      if (block.type !== 'text') throw invalid(`${at}.${j}.type`, "Input should be 'text'");
      return block.text;
    })
    .join('\n\n');
}

/** One Anthropic turn → hub messages: tool results become `tool` messages placed first, as Chat Completions wants. */
function fromMessage(message: unknown, at: string): ChatMessageWire[] {
  if (!isObject(message)) throw invalid(at, 'expected an object');
  const { role, content } = message as unknown as AnthropicMessageParam;
  if (role !== 'user' && role !== 'assistant' && role !== 'system') {
    throw invalid(`${at}.role`, "Input should be 'user' or 'assistant'");
  }
  if (typeof content === 'string') return [{ role, content }];
  if (!Array.isArray(content)) throw invalid(`${at}.content`, 'expected a string or an array of blocks');
  if (role === 'system') return [{ role, content: textOf(content, `${at}.content`) }];
  return role === 'assistant' ? [fromAssistant(content)] : fromUser(content);
}

function fromUser(blocks: readonly AnthropicBlock[]): ChatMessageWire[] {
  const toolMessages: ChatMessageWire[] = [];
  const parts: ChatContentPart[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_result') {
      const content =
        typeof block.content === 'string' ? block.content : joined((block.content ?? []).map(toPart));
      toolMessages.push({
        role: 'tool',
        tool_call_id: block.tool_use_id,
        content,
        ...(block.is_error === true ? { is_error: true } : {}),
      });
    } else parts.push(toPart(block));
  }
  return parts.length === 0 ? toolMessages : [...toolMessages, { role: 'user', content: joined(parts) }];
}

/** Text-only parts as one string (blank lines between), as most callers send them; else the parts. */
function joined(parts: ChatContentPart[]): string | ChatContentPart[] {
  return parts.every((p) => p.type === 'text') ? parts.map((p) => p.text).join('\n\n') : parts;
}

/**
 * A user block → a hub content part: text, images as `image_url` (data URL or URL). Blocks with no
 * Chat Completions form (documents, file images, search results...) keep their Anthropic shape:
 * an Anthropic provider gets them back as they were, other formats refuse them by name.
 */
function toPart(block: AnthropicBlock): ChatContentPart {
  if (block.type === 'text') return { type: 'text', text: block.text };
  if (block.type === 'image') {
    const { source } = block;
    if (
      source.type === 'base64' &&
      typeof source.data === 'string' &&
      typeof source.media_type === 'string'
    ) {
      return { type: 'image_url', image_url: { url: `data:${source.media_type};base64,${source.data}` } };
    }
    if (source.type === 'url' && typeof source.url === 'string') {
      return { type: 'image_url', image_url: { url: source.url } };
    }
  }
  return block as unknown as ChatContentPart;
}

/**
 * Assistant blocks: text → content, tool_use → tool_calls, thinking → reasoning_content (blocks
 * kept for their signatures). Server-tool blocks keep their Anthropic shape as content parts.
 */
function fromAssistant(blocks: readonly AnthropicBlock[]): ChatMessageWire {
  const parts: ChatContentPart[] = [];
  const toolCalls: ChatToolCall[] = [];
  const thinking: AnthropicBlock[] = [];
  for (const block of blocks) {
    if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    } else if (block.type === 'thinking' || block.type === 'redacted_thinking') thinking.push(block);
    else parts.push(toPart(block));
  }
  const reasoning = thinking.flatMap((b) => (b.type === 'thinking' ? [b.thinking] : [])).join('');
  const content = joined(parts);
  return {
    role: 'assistant',
    content: content === '' && parts.length === 0 ? null : content,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    ...(thinking.length > 0 ? { reasoning_content: reasoning, thinking_blocks: thinking } : {}),
  };
}

/** A client tool → a function tool; Anthropic's server tools (`web_search_20250305`...) keep their shape. */
function fromTool(tool: AnthropicTool, i: number): ChatTool {
  if (!isObject(tool)) throw invalid(`tools.${i}`, 'expected an object');
  if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom')
    return tool as unknown as ChatTool;
  if (typeof tool.name !== 'string') throw malformed(`tools.${i}.name`, tool.name, 'a string');
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.input_schema ?? { type: 'object', properties: {} },
      ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
    },
  };
}

function fromToolChoice(choice: AnthropicToolChoice): unknown {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
    default:
      throw invalid('tool_choice.type', "Input should be 'auto', 'any', 'tool' or 'none'");
  }
}

/** `output_config.effort` when given, else the thinking budget's bucket; `adaptive` thinking reads as medium. */
function reasoningEffort(thinking: unknown, outputConfig: unknown): string | undefined {
  const effort = isObject(outputConfig) ? outputConfig.effort : undefined;
  if (typeof effort === 'string') return effort === 'max' || effort === 'xhigh' ? 'high' : effort;
  if (!isObject(thinking)) return undefined;
  const config = thinking as AnthropicThinkingConfig;
  if (config.type === 'disabled') return undefined;
  const budget = typeof config.budget_tokens === 'number' ? config.budget_tokens : 4_096;
  return EFFORT_OF_BUDGET.find(([floor]) => budget >= floor)?.[1];
}

function responseFormat(outputConfig: unknown): ChatCompletionRequest['response_format'] {
  if (!isObject(outputConfig) || !isObject(outputConfig.format)) return undefined;
  const { type, schema } = outputConfig.format;
  if (type !== 'json_schema' || !isObject(schema)) {
    throw invalid('output_config.format', "expected { type: 'json_schema', schema }");
  }
  return { type: 'json_schema', json_schema: { name: 'output', schema, strict: true } };
}
