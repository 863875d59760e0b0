import { MAX_EVENT_DEPTH, TooDeepError, type LiveEvent, type SightlineEvent } from '@sightline/schemas';
import { assertNever } from '../common/assert-never';

/** A text rewrite: the same text with what must not be recorded replaced. */
export type TextRedactor = (text: string) => string;

/**
 * `event` with `redact` applied to the text people and programs wrote — messages, tools, outputs,
 * errors, inputs and outputs of spans, user ids, tags and metadata values, comments — and to nothing
 * Sightline itself reads: ids, models, providers, times, usage and costs, object keys and the
 * {@link STRUCTURAL} members inside messages stay as they are, so a project's rule (`\d{4,}`,
 * `user`...) can never make an event invalid or lose a number.
 * Throws TooDeepError past MAX_EVENT_DEPTH.
 */
export function redactFreeText<E extends SightlineEvent | LiveEvent>(event: E, redact: TextRedactor): E {
  const text = <T>(value: T): T => mapText(value, redact, STRUCTURAL) as T;
  const envelope = event.endUserId !== undefined ? { ...event, endUserId: redact(event.endUserId) } : event;
  return { ...envelope, data: dataOf(event, text) } as E;
}

type Walk = <T>(value: T) => T;

function dataOf(event: SightlineEvent | LiveEvent, text: Walk): unknown {
  switch (event.type) {
    case 'generation.requested': {
      const { messages, tools, user, tags, metadata } = event.data;
      return {
        ...event.data,
        messages: text(messages),
        tags: text(tags),
        metadata: text(metadata),
        ...(tools !== undefined ? { tools: text(tools) } : {}),
        ...(user !== undefined ? { user: text(user) } : {}),
      };
    }
    case 'generation.completed':
      return { ...event.data, output: text(event.data.output) };
    case 'generation.failed':
      return { ...event.data, message: text(event.data.message), output: text(event.data.output) };
    case 'generation.cancelled':
      return { ...event.data, output: text(event.data.output) };
    case 'generation.progressed':
      return { ...event.data, choices: text(event.data.choices) };
    case 'span.recorded': {
      const { input, output, statusMessage, tags, metadata } = event.data;
      return {
        ...event.data,
        ...(input !== undefined ? { input: text(input) } : {}),
        ...(output !== undefined ? { output: text(output) } : {}),
        ...(statusMessage !== undefined ? { statusMessage: text(statusMessage) } : {}),
        ...(tags !== undefined ? { tags: text(tags) } : {}),
        ...(metadata !== undefined ? { metadata: text(metadata) } : {}),
      };
    }
    case 'score.recorded':
      return event.data.comment !== undefined
        ? { ...event.data, comment: text(event.data.comment) }
        : event.data;
    case 'gateway.request-refused':
      // Holds no caller text: counts, codes and the model name.
      return event.data;
    default:
      return assertNever(event);
  }
}

/** Members of messages, parts, tool calls and outputs that name a kind or an id, not what was said. */
const STRUCTURAL = new Set(['role', 'type', 'id', 'toolCallId', 'tool_call_id', 'finishReason']);

/**
 * A copy of a JSON value with `redact` applied to every string value, except under the members named
 * in `keep` (at any depth); object keys are kept. Throws TooDeepError past MAX_EVENT_DEPTH levels.
 */
export function mapText(value: unknown, redact: TextRedactor, keep: ReadonlySet<string>, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_EVENT_DEPTH) throw new TooDeepError(MAX_EVENT_DEPTH);
  if (Array.isArray(value)) return value.map((item) => mapText(item, redact, keep, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const mapped = keep.has(key) ? item : mapText(item, redact, keep, depth + 1);
    // Assigning `__proto__` would set the prototype: define it, so it stays a key.
    if (key === '__proto__') Object.defineProperty(copy, key, { ...OWN, value: mapped });
    else copy[key] = mapped;
  }
  return copy;
}

const OWN = { enumerable: true, writable: true, configurable: true } as const;
