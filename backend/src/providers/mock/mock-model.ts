/**
 * The deterministic mock model behind `MockProvider` and the fake OpenAI server: a pure function
 * of the request (messages and `max_tokens`), no clock, no randomness.
 *
 * Reply: `Mock reply to: <first words of the last user message>` followed by filler words whose
 * choice and count (12–32) derive from a hash of the messages, so the same messages always give the
 * same reply and `max_tokens` can cut it. Tokens are words: the first as is, the next ones with a
 * leading space, so concatenating the tokens gives the content.
 *
 * Test hooks, read from the last user message (and removed from the echoed text):
 * - `[mock:error:<status>]` (400–599): the call fails with that HTTP status;
 * - `[mock:tokens:<n>]`: the natural reply has exactly n tokens (still cut by `max_tokens`);
 * - `[mock:tool:<name>]`: the reply is one call of function `<name>` (finish reason `tool_calls`);
 * - `[mock:delay:<ms>]`: the provider waits that long before answering (before the first token);
 * - `[mock:drop:<n>]`: the connection drops after n tokens (the provider is unreachable mid-call);
 * - `[mock:fail:<n>]`: after n streamed tokens the provider sends an error event and stops.
 */
import type { Usage } from '@sightline/schemas';

/** What the mock model reads from a message: Sightline's ChatMessage and OpenAI's wire message both fit. */
export interface MockMessage {
  readonly role: string;
  readonly content?: unknown;
}

export interface MockModelInput {
  readonly messages: readonly MockMessage[];
  /** Sampling parameters (OpenAI names); `max_tokens` and `max_completion_tokens` are honoured. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Which of `n` choices (default 0): each choice gets its own filler words. */
  readonly choice?: number;
}

/** A tool call in OpenAI's shape. */
export interface MockToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

export interface MockHooks {
  readonly errorStatus: number | null;
  readonly forcedTokens: number | null;
  readonly toolName: string | null;
  readonly delayMs: number;
  readonly dropAfterTokens: number | null;
  readonly failAfterTokens: number | null;
}

export interface MockReply {
  readonly kind: 'reply';
  /** Null when the reply is a tool call. */
  readonly content: string | null;
  /** Output tokens as emitted (`tokens.join('') === content`); empty for a tool call. */
  readonly tokens: readonly string[];
  readonly toolCalls?: readonly MockToolCall[];
  readonly finishReason: 'stop' | 'length' | 'tool_calls';
  readonly usage: Usage;
  /** `[mock:delay:<ms>]`, else 0. */
  readonly delayMs: number;
  /** `[mock:drop:<n>]`, else null. */
  readonly dropAfterTokens: number | null;
  /** `[mock:fail:<n>]`, else null. */
  readonly failAfterTokens: number | null;
}

export interface MockFailure {
  readonly kind: 'error';
  readonly status: number;
  readonly message: string;
  readonly delayMs: number;
}

export type MockOutcome = MockReply | MockFailure;

const ECHO_WORDS = 12;
const MAX_FORCED_TOKENS = 100_000;
const MAX_DELAY_MS = 600_000;
const HOOK = /\[mock:(error|tokens|tool|delay|drop|fail):([A-Za-z0-9_.-]{1,64})\]/g;
const FILLER = [
  'the', 'trace', 'shows', 'a', 'steady', 'stream', 'of', 'tokens', 'while', 'every', 'span',
  'records', 'its', 'latency', 'and', 'cost', 'so', 'replay', 'stays', 'exact', 'across', 'runs',
  'with', 'deterministic', 'output', 'for', 'tests', 'that', 'need', 'stable', 'numbers', 'today',
]; // prettier-ignore

/** Deterministic token count of a text: runs of letters/digits/underscores, and each other non-space character. */
export function countTokens(text: string): number {
  return text.match(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)?.length ?? 0;
}

/** The text of a message's content: a string, or the `text` of its content parts. */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (part !== null && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
      texts.push((part as { text: string }).text);
    }
  }
  return texts.join(' ');
}

function lastUserText(messages: readonly MockMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role === 'user') return messageText(messages[i].content);
  }
  return '';
}

/** Reads the test hooks from the last user message (the first occurrence of each hook wins). */
export function parseMockHooks(messages: readonly MockMessage[]): MockHooks {
  let errorStatus: number | null = null;
  let forcedTokens: number | null = null;
  let toolName: string | null = null;
  let delayMs = 0;
  let dropAfterTokens: number | null = null;
  let failAfterTokens: number | null = null;
  const seen = new Set<string>();
  for (const [, kind, value] of lastUserText(messages).matchAll(HOOK)) {
    if (seen.has(kind)) continue;
    const n = /^\d{1,9}$/.test(value) ? Number(value) : null;
    if (kind === 'error' && n !== null && n >= 400 && n <= 599) errorStatus = n;
    else if (kind === 'tokens' && n !== null) forcedTokens = Math.min(n, MAX_FORCED_TOKENS);
    else if (kind === 'tool' && /^[A-Za-z0-9_-]+$/.test(value)) toolName = value;
    else if (kind === 'delay' && n !== null) delayMs = Math.min(n, MAX_DELAY_MS);
    else if (kind === 'drop' && n !== null) dropAfterTokens = n;
    else if (kind === 'fail' && n !== null) failAfterTokens = n;
    else continue;
    seen.add(kind);
  }
  return { errorStatus, forcedTokens, toolName, delayMs, dropAfterTokens, failAfterTokens };
}

/** FNV-1a over the roles and texts of the messages: the same conversation gives the same seed in any wire format. */
function seedOf(messages: readonly MockMessage[]): number {
  let hash = 0x811c9dc5;
  for (const message of messages) {
    const text = `${message.role}\u0000${messageText(message.content)}\u0001`;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
  }
  return hash >>> 0 || 1;
}

/** xorshift32: a small deterministic sequence from the seed. */
function* pseudoRandom(seed: number): Generator<number, never> {
  let x = seed;
  for (;;) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    yield x;
  }
}

/** The largest output the caller allows: `max_tokens` / `max_completion_tokens` (the smaller when both), else null. */
export function maxOutputTokens(params: Readonly<Record<string, unknown>> | undefined): number | null {
  let cap: number | null = null;
  for (const key of ['max_tokens', 'max_completion_tokens']) {
    const value = params?.[key];
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
      cap = cap === null ? value : Math.min(cap, value);
    }
  }
  return cap;
}

/** Runs the mock model. Pure: the same input always gives the same outcome. */
export function runMockModel(input: MockModelInput): MockOutcome {
  const hooks = parseMockHooks(input.messages);
  if (hooks.errorStatus !== null) {
    return {
      kind: 'error',
      status: hooks.errorStatus,
      message: `Mock error ${hooks.errorStatus} requested by [mock:error:${hooks.errorStatus}]`,
      delayMs: hooks.delayMs,
    };
  }

  const inputTokens = input.messages.reduce((sum, m) => sum + countTokens(messageText(m.content)), 0);
  const seed = (seedOf(input.messages) + (input.choice ?? 0) * 0x9e3779b9) >>> 0 || 1;
  const random = pseudoRandom(seed);
  const echo = lastUserText(input.messages).replace(HOOK, ' ').split(/\s+/).filter(Boolean);
  const echoWords = echo.length === 0 ? ['(nothing)'] : echo.slice(0, ECHO_WORDS);
  if (echo.length > ECHO_WORDS) echoWords[echoWords.length - 1] += '...';
  const usage = (outputTokens: number): Usage => ({
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    cachedTokens: 0,
    reasoningTokens: 0,
  });

  if (hooks.toolName !== null) {
    const args = JSON.stringify({ input: echo.join(' ') });
    const toolCall: MockToolCall = {
      id: `call_${seed.toString(16).padStart(8, '0')}`,
      type: 'function',
      function: { name: hooks.toolName, arguments: args },
    };
    return {
      kind: 'reply',
      content: null,
      tokens: [],
      toolCalls: [toolCall],
      finishReason: 'tool_calls',
      usage: usage(countTokens(args)),
      delayMs: hooks.delayMs,
      dropAfterTokens: hooks.dropAfterTokens,
      failAfterTokens: hooks.failAfterTokens,
    };
  }

  const words = ['Mock', 'reply', 'to:', ...echoWords];
  const natural = hooks.forcedTokens ?? words.length + 12 + (random.next().value % 21);
  while (words.length < natural) words.push(FILLER[random.next().value % FILLER.length]);
  words.length = natural;
  const cap = maxOutputTokens(input.params);
  const cut = cap !== null && cap < natural;
  if (cut) words.length = cap;
  else if (hooks.forcedTokens === null) words[words.length - 1] += '.';
  const tokens = words.map((word, i) => (i === 0 ? word : ` ${word}`));
  return {
    kind: 'reply',
    content: tokens.join(''),
    tokens,
    finishReason: cut ? 'length' : 'stop',
    usage: usage(tokens.length),
    delayMs: hooks.delayMs,
    dropAfterTokens: hooks.dropAfterTokens,
    failAfterTokens: hooks.failAfterTokens,
  };
}
