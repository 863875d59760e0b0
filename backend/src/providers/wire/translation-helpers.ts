/**
 * Small checks shared by the translators between the hub (OpenAI Chat Completions) and another
 * wire format: the typed errors they throw and the hub fields they read the same way.
 */
import { InvalidInputError } from '../../common/errors';
import type {
  ChatCompletionRequest,
  ChatContentPart,
  ChatMessageWire,
  ChatToolCall,
} from './chat-completions';

/** A feature the target format cannot express: a 400 naming it, never a silent drop. */
export function unsupported(feature: string, format: string, param: string | null = null): InvalidInputError {
  return new InvalidInputError(`${feature} is not supported by ${format}`, 'unsupported_feature', param);
}

/** A malformed body: a 400 naming the field. */
export function invalid(message: string, param: string): InvalidInputError {
  return new InvalidInputError(message, 'invalid_value', param);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `value` when it is an array, else a 400 naming `param` (absent → empty). */
export function arrayAt(value: unknown, param: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`'${param}' must be an array`, param);
  return value;
}

/** `value` when it is an object, else a 400 naming `param`. */
export function recordAt(value: unknown, param: string): Record<string, unknown> {
  if (!isRecord(value)) throw invalid(`'${param}' must be an object`, param);
  return value;
}

/** Drops `undefined` and `null` members, so that absent options stay absent on the wire. */
export function defined<T extends Record<string, unknown>>(object: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object))
    if (value !== undefined && value !== null) out[key] = value;
  return out as Partial<T>;
}

/** `stop` as a list (a string or up to 4 strings in the hub). */
export function stopSequences(stop: ChatCompletionRequest['stop']): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  return typeof stop === 'string' ? [stop] : [...stop];
}

/** `max_completion_tokens`, else `max_tokens`. */
export function maxTokens(request: ChatCompletionRequest): number | undefined {
  return request.max_completion_tokens ?? request.max_tokens ?? undefined;
}

/**
 * Refuses hub request fields the target format has no place for. `handled` names the fields the
 * translator reads; a field set to a value that means "default" (`n: 1`, `null`...) passes.
 */
export function rejectUnhandledFields(
  request: ChatCompletionRequest,
  handled: ReadonlySet<string>,
  format: string,
): void {
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || value === null || handled.has(field)) continue;
    if (isDefaultValue(field, value)) continue;
    throw unsupported(`'${field}'`, format, field);
  }
}

function isDefaultValue(field: string, value: unknown): boolean {
  switch (field) {
    case 'n':
      return value === 1;
    case 'logprobs':
    case 'store':
      return value === false;
    case 'parallel_tool_calls':
      return value === true;
    case 'frequency_penalty':
    case 'presence_penalty':
      return value === 0;
    default:
      return false;
  }
}

/** A message's `name` (a participant name the model reads) has no place in the target: refused. */
export function rejectParticipantName(message: ChatMessageWire, param: string, format: string): void {
  if (message.name !== undefined && message.name !== null && message.name !== '') {
    throw unsupported(`A message 'name'`, format, `${param}.name`);
  }
}

/** The text of a message's content when it may only hold text (system prompts, tool results). */
export function textOnly(content: ChatMessageWire['content'], param: string, format: string): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, i) => {
      if (part.type !== 'text' || typeof part.text !== 'string')
        throw unsupported(`Content part '${part.type}' here`, format, `${param}.${i}`);
      return part.text;
    })
    .join('');
}

/** A message's content as parts (a string becomes one text part). */
export function contentParts(content: ChatMessageWire['content']): readonly ChatContentPart[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content;
}

/** Parses a tool call's `arguments` (JSON text as the model wrote it); a 400 naming it when invalid. */
export function parseToolArguments(text: string, param: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid(`Tool call arguments are not valid JSON`, param);
  }
}

/** A hub assistant message: `content` null when the turn is only tool calls (as OpenAI writes it). */
export function hubAssistantMessage(
  text: string,
  toolCalls: readonly ChatToolCall[],
  reasoning = '',
): ChatMessageWire {
  return {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    ...(reasoning !== '' ? { reasoning_content: reasoning } : {}),
  };
}
