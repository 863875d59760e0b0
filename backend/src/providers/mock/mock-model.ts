/**
 * The deterministic mock model behind `MockProvider` and the fake provider servers: a pure function
 * of the request, no clock, no randomness. Its answers and test hooks are described in `README.md`
 * next to this file.
 */
import type { Usage } from '@sightline/schemas';
import { jsonFromSchema } from './mock-json';
import { PROSE_END, proseWords, seededRandom, type Random } from './mock-prose';
import { chooseTool } from './mock-tools';

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

/** The role of the last message (after a `tool` result the model answers rather than calls again). */
const lastRole = (messages: readonly MockMessage[]) => messages.at(-1)?.role;

/** Words with their leading whitespace (so that they join back to the text); the first has none. */
const wordTokens = (text: string) => text.match(/\s*\S+/g) ?? [];

/**
 * Runs the mock model. Pure: the same input always gives the same outcome.
 * @returns a tool call (a `[mock:tool:<name>]` hook, or a tool that fits the question), JSON (a
 *   `json_schema` / `json_object` response format), or prose opening with `Mock reply to: <question>`
 */
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
  const random = seededRandom(seed);
  const echo = lastUserText(input.messages).replace(HOOK, ' ').split(/\s+/).filter(Boolean);
  const question = echo.join(' ');
  const base = {
    kind: 'reply' as const,
    delayMs: hooks.delayMs,
    dropAfterTokens: hooks.dropAfterTokens,
    failAfterTokens: hooks.failAfterTokens,
  };
  const usage = (outputTokens: number): Usage => ({
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    cachedTokens: 0,
    reasoningTokens: 0,
  });

  const tool =
    hooks.toolName !== null
      ? { name: hooks.toolName, arguments: JSON.stringify({ input: question }) }
      : chooseTool(input.params, question, lastRole(input.messages), random);
  if (tool) {
    const toolCall: MockToolCall = {
      id: `call_${seed.toString(16).padStart(8, '0')}`,
      type: 'function',
      function: tool,
    };
    const outputTokens = countTokens(tool.arguments);
    return {
      ...base,
      content: null,
      tokens: [],
      toolCalls: [toolCall],
      finishReason: 'tool_calls',
      usage: usage(outputTokens),
    };
  }

  const tokens = hooks.forcedTokens === null ? naturalTokens(input.params, echo, random) : [];
  if (hooks.forcedTokens !== null) {
    const words = proseTokens(echo, random, false);
    while (tokens.length < hooks.forcedTokens) tokens.push(words.next().value as string);
  }
  const cap = maxOutputTokens(input.params);
  const cut = cap !== null && cap < tokens.length;
  if (cut) tokens.length = cap;
  return {
    ...base,
    content: tokens.join(''),
    tokens,
    finishReason: cut ? 'length' : 'stop',
    usage: usage(tokens.length),
  };
}

/** The answer as the model would end it: JSON when a response format asks for it, else prose. */
function naturalTokens(params: MockModelInput['params'], echo: readonly string[], random: Random): string[] {
  const format = params?.response_format as
    { type?: unknown; json_schema?: { schema?: unknown } } | undefined;
  if (format?.type === 'json_schema' || format?.type === 'json_object') {
    const schema =
      format.type === 'json_schema'
        ? (format.json_schema?.schema ?? { type: 'object' })
        : { type: 'object', properties: { answer: { type: 'string' } } };
    const answer = [...prose(random, echo.join(' '), true)].join('').trim();
    return wordTokens(JSON.stringify(jsonFromSchema(schema, random, { answer, summary: answer })));
  }
  return [...proseTokens(echo, random, true, params?.model === 'mock-large')];
}

/**
 * Prose words (with their leading whitespace) up to the answer's natural end, or for ever: 12–32
 * words (as many as fit in whole sentences), 60–150 in paragraphs for `mock-large`.
 */
function* prose(random: Random, question: string, natural: boolean, large = false): Generator<string> {
  const budget = large ? 60 + (random() % 91) : 12 + (random() % 21);
  for (const word of proseWords(random, question, budget)) {
    if (word !== PROSE_END) yield word;
    else if (natural) return;
  }
}

/** `Mock reply to: <first words of the question>`, then prose (see {@link prose}). */
function* proseTokens(
  echo: readonly string[],
  random: Random,
  natural: boolean,
  large = false,
): Generator<string> {
  const head = echo.length === 0 ? ['(nothing)'] : echo.slice(0, ECHO_WORDS);
  if (echo.length > ECHO_WORDS) head[head.length - 1] += '...';
  yield* ['Mock', ' reply', ' to:', ...head.map((w) => ` ${w}`)];
  yield* prose(random, echo.join(' '), natural, large);
}
