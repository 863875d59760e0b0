import { createRequire } from 'node:module';
import type { RecordedUsage } from '@sightline/schemas';
import type {
  ChatCompletionRequest,
  ChatContentPart,
  ChatToolCall,
} from '../providers/wire/chat-completions';

/**
 * Token counting when a provider reports none, with `gpt-tokenizer` (OpenAI's BPE encodings).
 * OpenAI models get their own encoding: `o200k_base` (GPT-4o, 4.1, 5, o-series), `o200k_harmony`
 * (gpt-oss), `cl100k_base` (GPT-4, 3.5, ada-002 embeddings). Anthropic, Google, Mistral, Cohere and
 * the open-weight families publish no local tokenizer for their current models that fits here:
 * they are counted with `o200k_base` as a stand-in, named `approximation` so every count made that
 * way is flagged. Encodings load on first use (each is tens of MB), never for a reported usage.
 */
export type Encoding = 'o200k_base' | 'o200k_harmony' | 'cl100k_base';
export type TokenizerName = Encoding | 'approximation';

export interface Tokenizer {
  readonly name: TokenizerName;
  count(text: string): number;
}

const load = createRequire(__filename);
const encoders = new Map<Encoding, (text: string) => number>();

function encoder(encoding: Encoding): (text: string) => number {
  let count = encoders.get(encoding);
  if (!count) {
    const module = load(`gpt-tokenizer/encoding/${encoding}`) as { countTokens: (text: string) => number };
    count = (text: string) => module.countTokens(text);
    encoders.set(encoding, count);
  }
  return count;
}

/** Wire model names (or catalog ids) of OpenAI's families, by encoding. */
const OPENAI_ENCODINGS: readonly [RegExp, Encoding][] = [
  [/(^|\/)gpt-oss-/, 'o200k_harmony'],
  [/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o\d|chatgpt-4o|text-embedding-3)/, 'o200k_base'],
  [/^(gpt-4|gpt-3\.5|text-embedding-ada-002)/, 'cl100k_base'],
];

/** The tokenizer for `provider`'s `model`: its own encoding for OpenAI models, else the approximation. */
export function tokenizerFor(provider: string, model: string): Tokenizer {
  const own = OPENAI_ENCODINGS.find(([pattern]) => pattern.test(model));
  const openaiServed = provider === 'openai' || provider === 'azure' || own?.[1] === 'o200k_harmony';
  if (own && openaiServed) return { name: own[1], count: encoder(own[1]) };
  return { name: 'approximation', count: encoder('o200k_base') };
}

/** Per message: role and separators, as OpenAI's chat format adds them (its cookbook's figure). */
const MESSAGE_TOKENS = 3;
/** Every reply is primed with `<|start|>assistant<|message|>`. */
const REPLY_PRIMING = 3;
/**
 * Per image, at most: OpenAI bills a high-detail 2048×768-px image 765 tokens in 4o-class models;
 * Anthropic about 1,600 at its size cap. The larger bound keeps the estimate an upper figure.
 */
export const IMAGE_TOKENS = 1_600;

/**
 * A request's input tokens with `tokenizer`: messages' text, tool calls and tool definitions.
 * Tolerates shapes no gateway call has (estimates take caller JSON): what is not text is counted
 * as its JSON.
 */
export function countInputTokens(request: ChatCompletionRequest, tokenizer: Tokenizer): number {
  let total = REPLY_PRIMING;
  for (const message of request.messages) {
    total += MESSAGE_TOKENS;
    const content: unknown = message?.content;
    if (typeof content === 'string') total += tokenizer.count(content);
    else if (Array.isArray(content)) for (const part of content) total += partTokens(part, tokenizer);
    else if (content != null) total += tokenizer.count(JSON.stringify(content));
    const calls: unknown = message?.tool_calls;
    if (Array.isArray(calls)) for (const call of calls) total += callTokens(call, tokenizer);
  }
  if (request.tools?.length) total += tokenizer.count(JSON.stringify(request.tools));
  return total;
}

function callTokens(call: unknown, tokenizer: Tokenizer): number {
  const fn = (call as ChatToolCall | null)?.function;
  return typeof fn?.name === 'string' && typeof fn.arguments === 'string'
    ? tokenizer.count(fn.name) + tokenizer.count(fn.arguments)
    : tokenizer.count(JSON.stringify(call) ?? '');
}

function partTokens(part: ChatContentPart | null, tokenizer: Tokenizer): number {
  if (typeof part?.text === 'string') return tokenizer.count(part.text);
  if (part?.type === 'image_url' || part?.type === 'image') return IMAGE_TOKENS;
  return tokenizer.count(JSON.stringify(part) ?? '');
}

/** Tokens of an answer's texts (content, refusal, reasoning, tool names and arguments). */
export function countTexts(texts: readonly (string | null | undefined)[], tokenizer: Tokenizer): number {
  let total = 0;
  for (const text of texts) if (text) total += tokenizer.count(text);
  return total;
}

// Counts are stored as UInt32.
const UINT32_MAX = 0xffff_ffff;
const fit = (n: number): number => Math.min(UINT32_MAX, n);

/**
 * The usage of a call whose provider reported none, counted with the served model's tokenizer:
 * the request's input, and `outputTexts` (every choice's content, refusal, reasoning, tool names
 * and arguments). Marked `estimated`, with the tokenizer it used (`approximation` when none fits).
 */
export function estimateUsage(
  provider: string,
  model: string,
  request: ChatCompletionRequest,
  outputTexts: readonly (string | null | undefined)[],
): RecordedUsage {
  const tokenizer = tokenizerFor(provider, model);
  const input = fit(countInputTokens(request, tokenizer));
  const output = fit(countTexts(outputTexts, tokenizer));
  return {
    inputTokens: input,
    outputTokens: output,
    totalTokens: fit(input + output),
    cachedTokens: 0,
    reasoningTokens: 0,
    source: 'estimated',
    tokenizer: tokenizer.name,
  };
}
