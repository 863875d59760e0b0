import type { ChatCompletionRequest, ChatContentPart, ChatMessageWire, ChatTool } from '../chat-completions';
import type { AnthropicBlock, AnthropicRequest, AnthropicTool, AnthropicToolChoice } from './anthropic-types';
import { invalid, isObject, malformed, unsupported } from './errors';

const TARGET = 'Anthropic Messages';

/**
 * `max_tokens` when the hub request sets none: Anthropic requires one. 4,096 is the smallest
 * output limit among current Claude models, so it is valid for all of them; the gateway may set
 * the model's own limit from the catalog before translating.
 */
export const DEFAULT_MAX_TOKENS = 4_096;

/**
 * JSON mode (`response_format: { type: 'json_object' }`) has no schemaless Anthropic form, so it
 * becomes a forced call of this tool (any JSON object as input); the answer translators turn the
 * call back into the message's JSON text. JSON-schema output uses Anthropic's own structured
 * output (`output_config.format`), whose answer is already text.
 */
export const JSON_OBJECT_TOOL = 'sightline_json_object';

/** Thinking budgets (tokens) for `reasoning_effort`; capped below `max_tokens` as Anthropic requires. */
const BUDGET_OF_EFFORT: Readonly<Record<string, number>> = {
  minimal: 1_024,
  low: 1_024,
  medium: 4_096,
  high: 16_384,
};
const MIN_THINKING_BUDGET = 1_024;

/** Top-level fields that are Anthropic's own (arriving from an Anthropic caller): sent as they are. */
const ANTHROPIC_FIELDS = new Set([
  'top_k',
  'thinking',
  'container',
  'mcp_servers',
  'context_management',
  'inference_geo',
  'speed',
  'diagnostics',
  'cache_control',
]);

/** Hub fields translated below (or harmless: `stream_options`, since Anthropic streams always carry usage). */
const HANDLED = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'n',
  'stop',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'reasoning_effort',
  'user',
  'service_tier',
  'logprobs',
]);

/**
 * The hub request → an Anthropic `POST /v1/messages` body. System and developer messages are
 * hoisted into `system`; consecutive tool results join one user turn. Throws `unsupported_feature`
 * for what Anthropic cannot do: `n > 1`, `logprobs`, audio, `seed`, penalties, `logit_bias`,
 * message `name`s, non-image files, and any other field it does not know.
 */
export function chatToAnthropic(request: ChatCompletionRequest): AnthropicRequest {
  for (const [key, value] of Object.entries(request)) {
    if (value === undefined || value === null || HANDLED.has(key) || ANTHROPIC_FIELDS.has(key)) continue;
    if (isNoOp(key, value)) continue;
    throw unsupported(`The '${key}' parameter`, TARGET, key);
  }
  if (typeof request.n === 'number' && request.n > 1)
    throw unsupported('n > 1 (several choices)', TARGET, 'n');
  if (request.logprobs === true) throw unsupported('logprobs', TARGET, 'logprobs');
  const maxTokens = outputCap(request);
  const { system, messages } = translateMessages(request.messages);
  const tools = (request.tools ?? []).map(toTool);
  let toolChoice = toToolChoice(request.tool_choice);
  const format = request.response_format;
  let outputConfig: AnthropicRequest['output_config'];
  if (format?.type === 'json_schema') {
    const schema = format.json_schema?.schema;
    if (!isObject(schema))
      throw malformed('response_format.json_schema.schema', schema, 'a JSON schema object');
    outputConfig = { format: { type: 'json_schema', schema } };
  } else if (format?.type === 'json_object') {
    tools.push({
      name: JSON_OBJECT_TOOL,
      description: 'Answer with a JSON object.',
      input_schema: { type: 'object' },
    });
    toolChoice = tools.length === 1 ? { type: 'tool', name: JSON_OBJECT_TOOL } : { type: 'any' };
  } else if (format && format.type !== 'text') {
    throw unsupported(`response_format of type '${format.type}'`, TARGET, 'response_format.type');
  }
  if (request.parallel_tool_calls === false && toolChoice?.type !== 'none') {
    toolChoice = { ...(toolChoice ?? { type: 'auto' }), disable_parallel_tool_use: true };
  }
  return {
    model: request.model,
    max_tokens: maxTokens,
    messages,
    ...(system.length > 0 ? { system } : {}),
    ...(request.stream === true ? { stream: true } : {}),
    ...(typeof request.temperature === 'number' ? { temperature: request.temperature } : {}),
    ...(typeof request.top_p === 'number' ? { top_p: request.top_p } : {}),
    ...stopSequences(request.stop),
    ...(tools.length > 0 ? { tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...thinking(request.reasoning_effort, maxTokens),
    ...(outputConfig ? { output_config: outputConfig } : {}),
    ...(typeof request.user === 'string' ? { metadata: { user_id: request.user } } : {}),
    ...serviceTier(request.service_tier),
    ...Object.fromEntries(Object.entries(request).filter(([key]) => ANTHROPIC_FIELDS.has(key))),
  };
}

/** Values some clients always send that ask for nothing (zero penalties, text only, no storage). */
function isNoOp(key: string, value: unknown): boolean {
  switch (key) {
    case 'frequency_penalty':
    case 'presence_penalty':
      return value === 0;
    case 'store':
      return value === false;
    case 'modalities':
      return Array.isArray(value) && value.every((m) => m === 'text');
    case 'logit_bias':
      return isObject(value) && Object.keys(value).length === 0;
    default:
      return false;
  }
}

function outputCap(request: ChatCompletionRequest): number {
  const caps = [request.max_tokens, request.max_completion_tokens].filter(
    (v): v is number => typeof v === 'number',
  );
  return caps.length > 0 ? Math.min(...caps) : DEFAULT_MAX_TOKENS;
}

function stopSequences(stop: ChatCompletionRequest['stop']): Partial<AnthropicRequest> {
  if (stop === undefined || stop === null) return {};
  return { stop_sequences: typeof stop === 'string' ? [stop] : [...stop] };
}

function serviceTier(tier: unknown): Partial<AnthropicRequest> {
  if (tier === undefined || tier === null) return {};
  if (tier === 'auto') return { service_tier: 'auto' };
  if (tier === 'default') return { service_tier: 'standard_only' };
  throw unsupported(`service_tier '${String(tier)}'`, TARGET, 'service_tier');
}

function thinking(effort: unknown, maxTokens: number): Partial<AnthropicRequest> {
  if (effort === undefined || effort === null || effort === 'none') return {};
  const wanted = BUDGET_OF_EFFORT[String(effort)];
  if (wanted === undefined) throw invalid('reasoning_effort', `unknown value '${String(effort)}'`);
  const budget = Math.min(wanted, maxTokens - 1);
  if (budget < MIN_THINKING_BUDGET) {
    throw unsupported(
      `reasoning_effort with max_tokens ${maxTokens} (Anthropic thinking needs at least ${MIN_THINKING_BUDGET + 1})`,
      TARGET,
      'reasoning_effort',
    );
  }
  return { thinking: { type: 'enabled', budget_tokens: budget } };
}

interface Turn {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

function translateMessages(messages: readonly ChatMessageWire[]): {
  system: { type: 'text'; text: string }[];
  messages: Turn[];
} {
  const system: { type: 'text'; text: string }[] = [];
  const turns: Turn[] = [];
  /** Tool results and the user text after them share one user turn, results first. */
  const userTurn = (): Turn => {
    const last = turns.at(-1);
    if (last?.role === 'user') return last;
    const turn: Turn = { role: 'user', content: [] };
    turns.push(turn);
    return turn;
  };
  messages.forEach((message, i) => {
    const at = `messages.${i}`;
    if (typeof message.name === 'string') throw unsupported('Message names', TARGET, `${at}.name`);
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push({ type: 'text', text: plainText(message.content, at) });
        return;
      case 'user':
        userTurn().content.push(...userBlocks(message.content, at));
        return;
      case 'tool':
        userTurn().content.push({
          type: 'tool_result',
          tool_use_id: String(message.tool_call_id ?? ''),
          content: toolResultContent(message.content, at),
          ...(message.is_error === true ? { is_error: true } : {}),
        });
        return;
      case 'assistant': {
        const content = assistantBlocks(message, at);
        if (content.length > 0) turns.push({ role: 'assistant', content });
        return;
      }
      default:
        throw unsupported(`The '${String(message.role)}' role`, TARGET, `${at}.role`);
    }
  });
  return { system, messages: turns };
}

function plainText(content: ChatMessageWire['content'], at: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  return content
    .map((part, j) => {
      if (part.type !== 'text' || typeof part.text !== 'string') {
        throw unsupported(`A '${part.type}' content part here`, TARGET, `${at}.content.${j}`);
      }
      return part.text;
    })
    .join('\n\n');
}

function userBlocks(content: ChatMessageWire['content'], at: string): AnthropicBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return (content ?? []).map((part, j) => toBlock(part, `${at}.content.${j}`));
}

/** A tool's result: its text, or blocks when it holds more than text (images...). */
function toolResultContent(content: ChatMessageWire['content'], at: string): string | AnthropicBlock[] {
  const blocks = userBlocks(content, at);
  return blocks.every((b) => b.type === 'text') ? blocks.map((b) => b.text).join('\n\n') : blocks;
}

const DATA_URL = /^data:(image\/(?:jpeg|png|gif|webp));base64,(.*)$/s;

/**
 * A hub content part → an Anthropic block: text (and refusals) as text, `image_url` as a base64 or
 * URL image. Parts of Chat Completions that Anthropic lacks (audio, files) are refused; any other
 * part is one that arrived from an Anthropic caller in its own shape, and goes back as it came.
 */
function toBlock(part: ChatContentPart, at: string): AnthropicBlock {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: String(part.text) };
    case 'refusal':
      return { type: 'text', text: String(part.refusal) };
    case 'image_url': {
      const url = String(part.image_url?.url);
      if (!url.startsWith('data:')) return { type: 'image', source: { type: 'url', url } };
      const match = DATA_URL.exec(url);
      if (!match) throw unsupported('An image that is not base64 JPEG, PNG, GIF or WebP', TARGET, at);
      return { type: 'image', source: { type: 'base64', media_type: match[1], data: match[2] } };
    }
    case 'input_audio':
      throw unsupported('Audio input', TARGET, at);
    case 'file':
      throw unsupported('File content parts', TARGET, at);
    default:
      return part as unknown as AnthropicBlock;
  }
}

function assistantBlocks(message: ChatMessageWire, at: string): AnthropicBlock[] {
  const blocks: AnthropicBlock[] = [];
  // Earlier thinking goes back only as Claude signed it; unsigned reasoning text is no model input.
  if (Array.isArray(message.thinking_blocks)) blocks.push(...(message.thinking_blocks as AnthropicBlock[]));
  blocks.push(...userBlocks(message.content, at).filter((b) => b.type !== 'text' || b.text !== ''));
  if (typeof message.refusal === 'string' && message.refusal !== '') {
    blocks.push({ type: 'text', text: message.refusal });
  }
  (message.tool_calls ?? []).forEach((call, j) => {
    const input = parseArguments(call.function.arguments, `${at}.tool_calls.${j}.function.arguments`);
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input });
  });
  return blocks;
}

function parseArguments(text: string, at: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw invalid(at, 'not valid JSON (Anthropic needs tool inputs as JSON objects)');
  }
  if (!isObject(value)) throw invalid(at, 'not a JSON object (Anthropic needs tool inputs as JSON objects)');
  return value;
}

/** A function tool → a client tool; any other tool arrived from an Anthropic caller (a server tool) as it is. */
function toTool(tool: ChatTool): AnthropicTool {
  if (tool.type !== 'function') return tool as unknown as AnthropicTool;
  const { name, description, parameters, strict } = tool.function;
  return {
    name,
    ...(description !== undefined ? { description } : {}),
    input_schema: parameters ?? { type: 'object', properties: {} },
    ...(typeof strict === 'boolean' ? { strict } : {}),
  };
}

function toToolChoice(choice: unknown): AnthropicToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === 'string') {
    return { type: 'tool', name: choice.function.name };
  }
  throw invalid(
    'tool_choice',
    "expected 'auto', 'none', 'required' or { type: 'function', function: { name } }",
  );
}
