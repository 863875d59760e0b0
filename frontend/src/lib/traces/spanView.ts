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

const COST_PARTS = [
  ['input', 'Input'],
  ['cachedInput', 'Cached input'],
  ['cacheWrite', 'Cache write'],
  ['output', 'Output'],
  ['reasoning', 'Reasoning'],
  ['audio', 'Audio'],
  ['image', 'Image'],
  ['requestFee', 'Request fee'],
] as const;

/** The non-zero parts of a cost breakdown (USD decimal strings), in reading order. */
export function costParts(
  breakdown: Record<(typeof COST_PARTS)[number][0], string>,
): { label: string; usd: string }[] {
  return COST_PARTS.filter(([key]) => /[1-9]/.test(breakdown[key])).map(([key, label]) => ({
    label,
    usd: breakdown[key],
  }));
}
