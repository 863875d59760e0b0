/**
 * Answers between Cohere Chat v2 and the hub. `finish_reason`: COMPLETE / STOP_SEQUENCE → stop,
 * MAX_TOKENS → length, TOOL_CALL → tool_calls; ERROR and TIMEOUT are passed on in lower case.
 * Usage: the billed units when Cohere reports them, else the processed tokens; `cached_tokens` →
 * `prompt_tokens_details.cached_tokens`. `tool_plan` (text before tool calls) ↔ `content`,
 * `thinking` items ↔ `reasoning_content`, log-probabilities ↔ `logprobs.content` (one entry per
 * text piece, its log-probability the sum of its tokens'). The answer has no model or creation
 * time: the hub answer carries `model: ''` and `created: 0`, which the gateway stamps.
 */
import type { ChatCompletion, ChatMessageWire, ChatToolCall, ChatUsage } from '../chat-completions';
import { defined, hubAssistantMessage, isRecord, recordAt } from '../translation-helpers';
import type { CohereChatResponse, CohereContentItem, CohereLogprob, CohereUsage } from './cohere-chat.types';

const FINISH_REASONS: Readonly<Record<string, string>> = {
  COMPLETE: 'stop',
  STOP_SEQUENCE: 'stop',
  MAX_TOKENS: 'length',
  TOOL_CALL: 'tool_calls',
};
const COHERE_REASONS: Readonly<Record<string, string>> = {
  stop: 'COMPLETE',
  length: 'MAX_TOKENS',
  tool_calls: 'TOOL_CALL',
  function_call: 'TOOL_CALL',
  error: 'ERROR',
  timeout: 'TIMEOUT',
};

export function finishReasonOf(reason: unknown): string | null {
  if (typeof reason !== 'string') return null;
  return FINISH_REASONS[reason] ?? reason.toLowerCase();
}

export function cohereReasonOf(finishReason: string | null): string {
  return (finishReason && COHERE_REASONS[finishReason]) ?? 'COMPLETE';
}

export function usageOf(raw: unknown): ChatUsage | undefined {
  if (!isRecord(raw)) return undefined;
  const usage = raw as CohereUsage;
  const input = usage.billed_units?.input_tokens ?? usage.tokens?.input_tokens ?? 0;
  const output = usage.billed_units?.output_tokens ?? usage.tokens?.output_tokens ?? 0;
  return defined({
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details:
      usage.cached_tokens !== undefined ? { cached_tokens: usage.cached_tokens } : undefined,
  }) as ChatUsage;
}

export function cohereUsageOf(usage: ChatUsage | null | undefined): CohereUsage | undefined {
  if (!usage) return undefined;
  const counts = { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens };
  return defined({
    billed_units: counts,
    tokens: counts,
    cached_tokens: usage.prompt_tokens_details?.cached_tokens,
  }) as CohereUsage;
}

/** Cohere v2 answer → hub answer. */
export function toHubCompletion(body: unknown): ChatCompletion {
  const response = recordAt(body, 'body');
  const message = recordAt(response.message, 'message');
  const logprobs = Array.isArray(response.logprobs)
    ? hubLogprobs(response.logprobs as CohereLogprob[])
    : null;
  return defined({
    id: String(response.id ?? ''),
    object: 'chat.completion',
    created: 0,
    model: '',
    choices: [
      {
        index: 0,
        message: hubMessageOf(message as CohereChatResponse['message']),
        finish_reason: finishReasonOf(response.finish_reason),
        logprobs,
      },
    ],
    usage: usageOf(response.usage),
  }) as ChatCompletion;
}

function hubMessageOf(message: CohereChatResponse['message']): ChatMessageWire {
  const items: readonly CohereContentItem[] = Array.isArray(message.content) ? message.content : [];
  const text = items.map((item) => (item.type === 'text' ? (item.text ?? '') : '')).join('');
  const reasoning = items.map((item) => (item.type === 'thinking' ? (item.thinking ?? '') : '')).join('');
  const calls: ChatToolCall[] = (message.tool_calls ?? []).map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' },
  }));
  return hubAssistantMessage(text || message.tool_plan || '', calls, reasoning);
}

function hubLogprobs(items: readonly CohereLogprob[]): { content: unknown[] } {
  return {
    content: items.map((item) => ({
      token: item.text ?? '',
      logprob: (item.logprobs ?? []).reduce((sum, p) => sum + p, 0),
      bytes: null,
      top_logprobs: [],
    })),
  };
}

/** Hub answer → Cohere v2 answer (first choice; a Cohere answer has one). */
export function toCohereCompletion(completion: ChatCompletion): CohereChatResponse {
  const choice = completion.choices[0];
  const message = choice?.message;
  const text = typeof message?.content === 'string' ? message.content : '';
  const calls = message?.tool_calls ?? [];
  const content: CohereContentItem[] = [];
  if (message?.reasoning_content) content.push({ type: 'thinking', thinking: message.reasoning_content });
  if (text && calls.length === 0) content.push({ type: 'text', text });
  return defined({
    id: completion.id,
    finish_reason: cohereReasonOf(choice?.finish_reason ?? null),
    message: defined({
      role: 'assistant',
      content: content.length > 0 ? content : undefined,
      tool_plan: calls.length > 0 && text ? text : undefined,
      tool_calls:
        calls.length > 0 ? calls.map(({ id, type, function: f }) => ({ id, type, function: f })) : undefined,
    }),
    usage: cohereUsageOf(completion.usage),
    logprobs: cohereLogprobs(choice?.logprobs),
  }) as CohereChatResponse;
}

function cohereLogprobs(logprobs: unknown): CohereLogprob[] | undefined {
  if (!isRecord(logprobs) || !Array.isArray(logprobs.content)) return undefined;
  return logprobs.content.filter(isRecord).map((entry) => ({
    text: String(entry.token ?? ''),
    token_ids: [],
    logprobs: typeof entry.logprob === 'number' ? [entry.logprob] : [],
  }));
}
