import { createHash } from 'node:crypto';
import { InvalidInputError } from '../../../common/errors';
import type {
  ChatChoice,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatMessageWire,
  ChatToolCall,
} from '../chat-completions';
import type { StreamDecoder, StreamEncoder, WireEvent, WireFormat } from '../wire-format';

type Json = Record<string, unknown>;

/** Hub fields Mistral takes under the same name (its `ChatCompletionRequest`). */
const SAME_NAME = [
  'model',
  'temperature',
  'top_p',
  'stream',
  'stop',
  'response_format',
  'tools',
  'tool_choice',
  'presence_penalty',
  'frequency_penalty',
  'n',
  'prediction',
  'parallel_tool_calls',
  'safe_prompt',
  'prompt_mode',
] as const;

/**
 * Hub fields with no effect on the answer that Mistral's API refuses as unknown: left out on purpose
 * (Mistral always streams usage; `user`, `metadata` and `store` only label the call at OpenAI).
 */
const LABELS_ONLY = ['stream_options', 'user', 'metadata', 'store'] as const;

const HANDLED = new Set<string>([
  ...SAME_NAME,
  ...LABELS_ONLY,
  'messages',
  'seed',
  'max_tokens',
  'max_completion_tokens',
]);

/** Mistral accepts only tool-call ids of exactly 9 letters or digits. */
const MISTRAL_TOOL_ID = /^[A-Za-z0-9]{9}$/;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A tool-call id Mistral accepts: valid ids unchanged, any other (OpenAI's `call_…`, Anthropic's
 * `toolu_…`) mapped to 9 base-62 characters of its SHA-256, so a call and its result still match.
 */
export function mistralToolCallId(id: string): string {
  if (MISTRAL_TOOL_ID.test(id)) return id;
  const digest = createHash('sha256').update(id).digest();
  return Array.from(digest.subarray(0, 9), (byte) => BASE62[byte % 62]).join('');
}

/**
 * Hub request → Mistral's chat completions body: `seed` → `random_seed`, `max_completion_tokens` →
 * `max_tokens`, tool-call ids made Mistral-valid. Fields Mistral lacks (`logprobs`,
 * `reasoning_effort`, audio...) throw `unsupported_feature`.
 */
function fromChatRequest(request: ChatCompletionRequest): Json {
  const unknown = Object.keys(request).find(
    (key) => !HANDLED.has(key) && request[key] !== undefined && request[key] !== null,
  );
  if (unknown !== undefined)
    throw new InvalidInputError(
      `'${unknown}' cannot be translated for Mistral`,
      'unsupported_feature',
      unknown,
    );
  const body: Json = {};
  for (const key of SAME_NAME) if (request[key] !== undefined) body[key] = request[key];
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens !== undefined && maxTokens !== null) body.max_tokens = maxTokens;
  if (request.seed !== undefined && request.seed !== null) body.random_seed = request.seed;
  body.messages = request.messages.map(mistralMessage);
  return body;
}

function mistralMessage(message: ChatMessageWire): ChatMessageWire {
  if (message.role === 'developer') return { ...message, role: 'system' };
  if (message.role === 'tool' && typeof message.tool_call_id === 'string')
    return { ...message, tool_call_id: mistralToolCallId(message.tool_call_id) };
  if (message.role === 'assistant' && message.tool_calls)
    return {
      ...message,
      tool_calls: message.tool_calls.map((call) => ({ ...call, id: mistralToolCallId(call.id) })),
    };
  return message;
}

/** Mistral's caller-side shape is OpenAI's: its request reads as the hub with the two renames undone. */
function toChatRequest(body: unknown): ChatCompletionRequest {
  if (!isObject(body) || typeof body.model !== 'string' || !Array.isArray(body.messages))
    throw new InvalidInputError('A Mistral chat request needs a model and messages', 'invalid_request', null);
  const { random_seed: seed, ...rest } = body;
  return {
    ...(rest as unknown as ChatCompletionRequest),
    ...(seed !== undefined ? { seed: seed as number } : {}),
  };
}

function toChatCompletion(body: unknown): ChatCompletion {
  if (!isObject(body) || !Array.isArray(body.choices))
    throw new InvalidInputError('Not a Mistral chat completion', 'invalid_request', null);
  const choices = (body.choices as Json[]).map((choice): ChatChoice => ({
    ...choice,
    index: Number(choice.index ?? 0),
    message: hubMessage(isObject(choice.message) ? choice.message : {}),
    finish_reason: finishReason(choice.finish_reason),
  }));
  return { ...(body as unknown as ChatCompletion), object: 'chat.completion', choices };
}

/** Content may come as chunks (`text`, and `thinking` from reasoning models); arguments may be objects. */
function hubMessage(message: Json): ChatMessageWire {
  const { text, thinking } = contentText(message.content);
  const toolCalls = Array.isArray(message.tool_calls)
    ? (message.tool_calls as Json[]).map(hubToolCall)
    : undefined;
  return {
    ...(message as unknown as ChatMessageWire),
    role: 'assistant',
    content: text,
    ...(thinking !== '' ? { reasoning_content: thinking } : {}),
    ...(toolCalls ? { tool_calls: toolCalls } : {}),
  };
}

function hubToolCall(call: Json): ChatToolCall & { index?: number } {
  const fn = isObject(call.function) ? call.function : {};
  const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
  return {
    ...(typeof call.index === 'number' ? { index: call.index } : {}),
    id: String(call.id ?? ''),
    type: 'function',
    function: { name: String(fn.name ?? ''), arguments: args },
  };
}

function contentText(content: unknown): { text: string | null; thinking: string } {
  if (typeof content === 'string' || content === null || content === undefined)
    return { text: content ?? null, thinking: '' };
  let text = '';
  let thinking = '';
  for (const chunk of Array.isArray(content) ? (content as unknown[]) : []) {
    if (!isObject(chunk)) continue;
    if (chunk.type === 'text' && typeof chunk.text === 'string') text += chunk.text;
    if (chunk.type === 'thinking') thinking += contentText(chunk.thinking).text ?? '';
  }
  return { text, thinking };
}

/** `model_length` (the context window ran out) is the hub's `length`. */
function finishReason(reason: unknown): string | null {
  if (reason === 'model_length') return 'length';
  return typeof reason === 'string' ? reason : null;
}

class MistralStreamDecoder implements StreamDecoder {
  push(event: WireEvent): ChatCompletionChunk[] {
    const data = event.data;
    if (!isObject(data) || !Array.isArray(data.choices)) return [];
    const { usage, ...rest } = data;
    const choices = (data.choices as Json[]).map((choice) => {
      const delta = isObject(choice.delta) ? choice.delta : {};
      const { text, thinking } = contentText(delta.content);
      const hubDelta = {
        ...delta,
        ...(delta.content !== undefined ? { content: text } : {}),
        ...(thinking !== '' ? { reasoning_content: thinking } : {}),
        ...(Array.isArray(delta.tool_calls)
          ? {
              tool_calls: (delta.tool_calls as Json[]).map((call, i) => ({
                ...hubToolCall(call),
                index: Number(call.index ?? i),
              })),
            }
          : {}),
      };
      return {
        ...choice,
        index: Number(choice.index ?? 0),
        delta: hubDelta,
        finish_reason: finishReason(choice.finish_reason),
      };
    });
    const chunk = {
      ...(rest as unknown as ChatCompletionChunk),
      object: 'chat.completion.chunk' as const,
      choices,
    };
    // Mistral puts usage on the last chunk with choices; the hub gives it a chunk of its own.
    return isObject(usage)
      ? [chunk, { ...chunk, choices: [], usage: usage as unknown as ChatCompletionChunk['usage'] }]
      : [chunk];
  }

  end(): ChatCompletionChunk[] {
    return [];
  }
}

class MistralStreamEncoder implements StreamEncoder {
  push(chunk: ChatCompletionChunk): string {
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  end(): string {
    return 'data: [DONE]\n\n';
  }
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Mistral's chat completions (`POST /v1/chat/completions`): OpenAI's shape with Mistral's
 * differences — `random_seed`, `max_tokens` only, 9-character tool-call ids, content chunks
 * (`thinking`), `model_length`, usage on the last streamed chunk without `stream_options`.
 */
export const mistralChat: WireFormat = {
  id: 'mistral-chat',
  toChatRequest,
  fromChatRequest,
  toChatCompletion,
  fromChatCompletion: (completion) => completion,
  streamDecoder: () => new MistralStreamDecoder(),
  streamEncoder: () => new MistralStreamEncoder(),
};
