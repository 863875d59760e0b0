// What the span panel shows of a span's recorded input: its messages and, when the input is a request
// body ({ messages, temperature, ... }), the other fields as the call's parameters.
import { parseRecorded, toMessages, type ChatMessage } from './messages';

export interface RecordedIo {
  /** The parsed JSON (or the text when it is not JSON); undefined when nothing was recorded. */
  readonly value: unknown;
  /** The value read as chat, or null when it is not chat-shaped. */
  readonly messages: ChatMessage[] | null;
}

export function recordedIo(json: string | null | undefined, defaultRole: string): RecordedIo {
  const value = parseRecorded(json);
  return { value, messages: value === undefined ? null : toMessages(value, defaultRole) };
}

/** The fields of a request-shaped input other than its messages (model, temperature, tools...). */
export function parametersOf(input: unknown): Record<string, unknown> | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
  const { messages, system, ...rest } = input as Record<string, unknown>;
  if (messages === undefined && system === undefined) return null;
  return Object.keys(rest).length > 0 ? rest : null;
}
