/** Parts of `model` contents ↔ the hub's assistant message fields, shared by requests, answers and streams. */
import type { ChatContentPart, ChatMessageWire, ChatToolCall, ToolCallExtra } from '../chat-completions';
import type { GeminiPart } from './gemini-types';
import { GEMINI, HUB, isObject, unsupported } from './gemini-shared';
import { hubAssistantMessage } from '../translation-helpers';

/** One candidate's (or model content's) parts, sorted into the hub's message fields. */
export interface SortedParts {
  readonly text: string;
  readonly reasoning: string;
  readonly toolCalls: readonly ChatToolCall[];
  /** The thought signature of a part other than a function call (the last one), as the hub carries it. */
  readonly extra?: { readonly extra_content: ToolCallExtra };
}

/** The hub's assistant message of sorted parts, the text's thought signature included. */
export const hubMessageOf = (sorted: SortedParts): ChatMessageWire => ({
  ...hubAssistantMessage(sorted.text, sorted.toolCalls, sorted.reasoning),
  ...sorted.extra,
});

const signed = (signature: string): ToolCallExtra => ({ google: { thought_signature: signature } });

/**
 * `model` parts → text, thought text and tool calls. `nextCallId` gives each call without an id of
 * its own its stable synthetic one (`syntheticCallId`). A function call's thought signature goes
 * with its tool call; that of a text part (or of a part holding only a signature) with the message
 * (`extra_content`). Inline data (generated images, audio) and code execution have no hub form and
 * are refused, naming them.
 */
export function sortParts(parts: readonly GeminiPart[], nextCallId: () => string, at: string): SortedParts {
  let text = '';
  let reasoning = '';
  let signature: string | undefined;
  const toolCalls: ChatToolCall[] = [];
  parts.forEach((part, n) => {
    if (part.functionCall) {
      const { id, name, args } = part.functionCall;
      toolCalls.push({
        id: id ?? nextCallId(),
        type: 'function',
        function: { name, arguments: JSON.stringify(args ?? {}) },
        ...(part.thoughtSignature ? { extra_content: signed(part.thoughtSignature) } : {}),
      });
      return;
    }
    if (typeof part.text === 'string') {
      if (part.thought === true) reasoning += part.text;
      else text += part.text;
    } else if (part.thoughtSignature === undefined) {
      throw unsupported(
        `A model part other than text or a function call (${Object.keys(part).join(', ')})`,
        HUB,
        `${at}.${n}`,
      );
    }
    if (typeof part.thoughtSignature === 'string') signature = part.thoughtSignature;
  });
  const extra = signature === undefined ? undefined : { extra_content: signed(signature) };
  return { text, reasoning, toolCalls, extra };
}

/** An assistant message (or choice message) → `model` parts: thoughts, text, then function calls (ids are not sent). */
export function modelParts(message: ChatMessageWire, at: string): GeminiPart[] {
  const parts: GeminiPart[] = [];
  if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') {
    parts.push({ text: message.reasoning_content, thought: true });
  }
  const content = message.content;
  if (typeof content === 'string') {
    if (content !== '') parts.push({ text: content });
  } else if (Array.isArray(content)) {
    content.forEach((part: ChatContentPart, n) => {
      const text = part.type === 'refusal' ? part.refusal : part.text;
      if (typeof text !== 'string')
        throw unsupported(`A '${part.type}' part in an assistant message`, GEMINI, `${at}.content.${n}`);
      parts.push({ text });
    });
  } else if (typeof message.refusal === 'string' && message.refusal !== '') {
    parts.push({ text: message.refusal });
  }
  signLastText(parts, message.extra_content?.google?.thought_signature);
  (message.tool_calls ?? []).forEach((call, n) => {
    if (call.type !== 'function')
      throw unsupported(`A '${String(call.type)}' tool call`, GEMINI, `${at}.tool_calls.${n}`);
    const signature = call.extra_content?.google?.thought_signature;
    parts.push({
      functionCall: { name: call.function.name, args: argsOf(call.function.arguments) },
      ...(typeof signature === 'string' ? { thoughtSignature: signature } : {}),
    });
  });
  return parts;
}

/**
 * The message's text signature goes back on its last text part (its thoughts' when it has no text;
 * an empty text part, as Gemini sends one, when it has neither).
 */
function signLastText(parts: GeminiPart[], signature: unknown): void {
  if (typeof signature !== 'string') return;
  if (parts.length === 0) parts.push({ text: '' });
  const last = parts.length - 1;
  parts[last] = { ...parts[last], thoughtSignature: signature };
}

/**
 * Arguments text → the JSON object Gemini carries. Text that is not a JSON object (a model can
 * write invalid JSON) is kept whole under `arguments` rather than refused or lost.
 */
export function argsOf(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text.trim() === '' ? '{}' : text);
    if (isObject(value)) return value;
  } catch {
    // Falls through: kept as text.
  }
  return { arguments: text };
}
