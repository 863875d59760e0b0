/**
 * Value mappings between Gemini and the hub shared by requests, answers and streams: finish
 * reasons, usage, thinking effort, tool-call ids, schemas and log probabilities.
 */
import type { ChatUsage } from '../chat-completions';
import type { GeminiLogprobsResult, GeminiThinkingConfig, GeminiUsageMetadata } from './gemini-types';
import { defined, isObject, numberOr } from './gemini-shared';

/** Gemini reasons that mean "blocked by a filter" (→ `content_filter`). */
const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * A candidate's `finishReason` → the hub's. `STOP` with function calls is `tool_calls` (Gemini has
 * no own reason for it); filters are `content_filter`; `MAX_TOKENS` is `length`; the rest
 * (`OTHER`, `LANGUAGE`, `MALFORMED_FUNCTION_CALL`...) end the answer as `stop`.
 */
export function hubFinishReason(reason: string | undefined, hasToolCalls: boolean): string | null {
  if (reason === undefined || reason === '' || reason === 'FINISH_REASON_UNSPECIFIED') return null;
  if (reason === 'MAX_TOKENS') return 'length';
  if (FILTERED.has(reason)) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/** The hub's finish reason → Gemini's (`tool_calls` is `STOP`: Gemini marks calls by their parts). */
export function geminiFinishReason(reason: string | null): string | undefined {
  switch (reason) {
    case null:
      return undefined;
    case 'length':
      return 'MAX_TOKENS';
    case 'content_filter':
      return 'SAFETY';
    case 'stop':
    case 'tool_calls':
    case 'function_call':
      return 'STOP';
    default:
      return 'OTHER';
  }
}

/**
 * `usageMetadata` → hub usage. Gemini counts thoughts apart from `candidatesTokenCount`; the hub
 * (like OpenAI) counts reasoning inside `completion_tokens`, so completion = candidates + thoughts.
 * Cached tokens are part of the prompt in both.
 */
export function hubUsage(usage: GeminiUsageMetadata): ChatUsage {
  const prompt = count(usage.promptTokenCount) + count(usage.toolUsePromptTokenCount);
  const thoughts = count(usage.thoughtsTokenCount);
  const completion = count(usage.candidatesTokenCount) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: numberOr(usage.totalTokenCount) ?? prompt + completion,
    prompt_tokens_details: { cached_tokens: count(usage.cachedContentTokenCount) },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}

/** Hub usage → `usageMetadata` (the inverse of {@link hubUsage}). */
export function geminiUsage(usage: ChatUsage): GeminiUsageMetadata {
  const thoughts = count(usage.completion_tokens_details?.reasoning_tokens);
  const cached = count(usage.prompt_tokens_details?.cached_tokens);
  return defined({
    promptTokenCount: count(usage.prompt_tokens),
    candidatesTokenCount: Math.max(0, count(usage.completion_tokens) - thoughts),
    cachedContentTokenCount: cached > 0 ? cached : undefined,
    thoughtsTokenCount: thoughts > 0 ? thoughts : undefined,
    totalTokenCount: count(usage.total_tokens),
  });
}

function count(value: unknown): number {
  const n = numberOr(value);
  return n !== undefined && n > 0 ? Math.floor(n) : 0;
}

/**
 * `reasoning_effort` → thinking budgets in tokens, as Google's own OpenAI-compatible endpoint maps
 * them (none 0, low 1K, medium 8K, high 24K; minimal 512, the smallest budget every 2.5 model takes).
 * Budgets, not Gemini 3's `thinkingLevel`: Gemini 2.5 models refuse levels, Gemini 3 takes budgets.
 */
const BUDGETS: Readonly<Record<string, number>> = {
  none: 0,
  minimal: 512,
  low: 1_024,
  medium: 8_192,
  high: 24_576,
};

/** The thinking config for an effort; undefined when the effort has no Gemini budget. */
export function thinkingConfig(effort: string): GeminiThinkingConfig | undefined {
  const budget = BUDGETS[effort];
  if (budget === undefined) return undefined;
  // Thought summaries come back as `reasoning_content` when the model thinks at all.
  return budget === 0 ? { thinkingBudget: 0 } : { thinkingBudget: budget, includeThoughts: true };
}

/** A thinking config → the nearest effort; undefined for "automatic" (-1, or no budget and no level). */
export function reasoningEffort(config: GeminiThinkingConfig): string | undefined {
  if (typeof config.thinkingLevel === 'string' && config.thinkingLevel !== 'THINKING_LEVEL_UNSPECIFIED') {
    return config.thinkingLevel.toLowerCase();
  }
  const budget = numberOr(config.thinkingBudget);
  if (budget === undefined || budget < 0) return undefined;
  if (budget === 0) return 'none';
  return budget <= 512 ? 'minimal' : budget <= 1_024 ? 'low' : budget <= 8_192 ? 'medium' : 'high';
}

/**
 * Tool-call ids. Gemini's `functionCall` usually carries no id (its `id` field is optional and
 * rarely set): calls are answered by `functionResponse` parts with the same `name`, in call order.
 * The hub needs ids, so translated calls get synthetic ones that are stable (a pure function of the
 * answer: its `responseId`, the candidate and the call's position), and results are matched back
 * to calls by id when the caller gives one, else by name in call order. Ids are never sent to
 * Gemini, whose own ids (when it sends some) are kept on the way to the hub.
 */
export function syntheticCallId(scope: string, ...position: readonly number[]): string {
  const safe = scope.replace(/[^A-Za-z0-9_-]/g, '');
  return ['call', safe === '' ? 'gemini' : safe, ...position].join('_');
}

/** Lower-case JSON Schema types of Gemini's upper-case OpenAPI schema types. */
const SCHEMA_TYPES = new Set(['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL']);

/**
 * Gemini's OpenAPI 3.0 `Schema` (`responseSchema`, `parameters`) → JSON Schema: types lower-cased,
 * `nullable: true` as a `"null"` type; `propertyOrdering` (an ordering hint) is left out.
 */
export function jsonSchemaOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(jsonSchemaOf);
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'propertyOrdering') continue;
    if (key === 'type' && typeof value === 'string' && SCHEMA_TYPES.has(value.toUpperCase())) {
      out.type = schema.nullable === true ? [value.toLowerCase(), 'null'] : value.toLowerCase();
    } else if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, jsonSchemaOf(s)]));
    } else if (key === 'items' || key === 'anyOf') {
      out[key] = jsonSchemaOf(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** OpenAI's `logprobs.content` entries of one choice. */
interface HubTokenLogprob {
  readonly token: string;
  readonly logprob: number;
  readonly bytes: number[] | null;
  readonly top_logprobs: { token: string; logprob: number; bytes: number[] | null }[];
}

/** `logprobsResult` → the hub's `{ content: [...] }` (chosen tokens with their top alternatives). */
export function hubLogprobs(result: GeminiLogprobsResult): { content: HubTokenLogprob[] } {
  const chosen = result.chosenCandidates ?? [];
  return {
    content: chosen.map((token, i) => ({
      ...tokenLogprob(token),
      top_logprobs: (result.topCandidates?.[i]?.candidates ?? []).map(tokenLogprob),
    })),
  };
}

function tokenLogprob(token: { token?: string; logProbability?: number }) {
  const text = token.token ?? '';
  return { token: text, logprob: token.logProbability ?? 0, bytes: [...Buffer.from(text, 'utf8')] };
}

/** The hub's `logprobs` → `logprobsResult`; undefined when it holds no token list. */
export function geminiLogprobs(logprobs: unknown): GeminiLogprobsResult | undefined {
  if (!isObject(logprobs) || !Array.isArray(logprobs.content)) return undefined;
  const tokens = logprobs.content.filter(isObject);
  const candidate = (t: Record<string, unknown>) => ({
    token: String(t.token ?? ''),
    logProbability: numberOr(t.logprob) ?? 0,
  });
  return {
    chosenCandidates: tokens.map(candidate),
    topCandidates: tokens.map((t) => ({
      candidates: (Array.isArray(t.top_logprobs) ? t.top_logprobs.filter(isObject) : []).map(candidate),
    })),
  };
}
