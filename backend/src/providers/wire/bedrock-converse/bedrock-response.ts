/**
 * Answers between Bedrock Converse and the hub. A Converse answer has no id, model or creation time:
 * the hub answer carries `id: ''`, `model: ''` and `created: 0`, which the gateway stamps (it knows
 * the request). `stopReason` ↔ `finish_reason`: end_turn/stop_sequence → stop, max_tokens and
 * model_context_window_exceeded → length, tool_use → tool_calls, guardrail_intervened and
 * content_filtered → content_filter; others are passed on as they are.
 */
import type { ChatCompletion, ChatMessageWire, ChatToolCall, ChatUsage } from '../chat-completions';
import {
  defined,
  hubAssistantMessage,
  invalid,
  isRecord,
  parseToolArguments,
  recordAt,
} from '../translation-helpers';
import type {
  BedrockContentBlock,
  BedrockConverseResponse,
  BedrockTokenUsage,
} from './bedrock-converse.types';

const FINISH_REASONS: Readonly<Record<string, string>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
};
const STOP_REASONS: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'content_filtered',
};

export function finishReasonOf(stopReason: unknown): string | null {
  if (typeof stopReason !== 'string') return null;
  return FINISH_REASONS[stopReason] ?? stopReason;
}

export function stopReasonOf(finishReason: string | null): string {
  return (finishReason && STOP_REASONS[finishReason]) ?? finishReason ?? 'end_turn';
}

/**
 * Converse `usage` → hub usage. Converse counts `inputTokens` apart from the cache (like Anthropic):
 * the hub's `prompt_tokens` is all three, with cache reads as `prompt_tokens_details.cached_tokens`
 * and cache writes as `cache_creation_tokens`.
 */
export function usageOf(raw: unknown): ChatUsage | undefined {
  if (!isRecord(raw)) return undefined;
  const read = numberOr0(raw.cacheReadInputTokens);
  const write = numberOr0(raw.cacheWriteInputTokens);
  const input = numberOr0(raw.inputTokens) + read + write;
  const output = numberOr0(raw.outputTokens);
  const reported = typeof raw.totalTokens === 'number' ? raw.totalTokens : 0;
  const cache = typeof raw.cacheReadInputTokens === 'number' || typeof raw.cacheWriteInputTokens === 'number';
  return defined({
    prompt_tokens: input,
    completion_tokens: output,
    // Its total counts the cache too; an older total without it is made whole.
    total_tokens: Math.max(reported, input + output),
    prompt_tokens_details: cache
      ? { cached_tokens: read, ...(write > 0 ? { cache_creation_tokens: write } : {}) }
      : undefined,
  }) as ChatUsage;
}

/** Hub usage → Converse `usage`: the cache taken out of `inputTokens` again. */
export function bedrockUsageOf(usage: ChatUsage | null | undefined): BedrockTokenUsage {
  const read = usage?.prompt_tokens_details?.cached_tokens;
  const written = usage?.prompt_tokens_details?.cache_creation_tokens;
  const write = typeof written === 'number' ? written : undefined;
  const input = (usage?.prompt_tokens ?? 0) - (read ?? 0) - (write ?? 0);
  return defined({
    inputTokens: Math.max(0, input),
    outputTokens: usage?.completion_tokens ?? 0,
    totalTokens: usage?.total_tokens ?? 0,
    cacheReadInputTokens: read,
    cacheWriteInputTokens: write,
  }) as BedrockTokenUsage;
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** Converse answer → hub answer. */
export function toHubCompletion(body: unknown): ChatCompletion {
  const response = recordAt(body, 'body');
  const output = recordAt(response.output, 'output');
  const message = recordAt(output.message, 'output.message');
  if (!Array.isArray(message.content))
    throw invalid(`'output.message.content' must be an array`, 'output.message.content');
  const usage = usageOf(response.usage);
  return defined({
    id: '',
    object: 'chat.completion',
    created: 0,
    model: '',
    choices: [
      {
        index: 0,
        message: hubMessageOf(message.content as BedrockContentBlock[]),
        finish_reason: finishReasonOf(response.stopReason),
        logprobs: null,
      },
    ],
    usage,
    service_tier: isRecord(response.serviceTier) ? (response.serviceTier.type as string) : undefined,
  }) as ChatCompletion;
}

function hubMessageOf(blocks: readonly BedrockContentBlock[]): ChatMessageWire {
  let text = '';
  let reasoning = '';
  const toolCalls: ChatToolCall[] = [];
  for (const block of blocks) {
    if (typeof block.text === 'string') text += block.text;
    else if (block.toolUse) {
      toolCalls.push({
        id: block.toolUse.toolUseId,
        type: 'function',
        function: { name: block.toolUse.name, arguments: JSON.stringify(block.toolUse.input ?? {}) },
      });
    } else if (block.reasoningContent?.reasoningText) reasoning += block.reasoningContent.reasoningText.text;
  }
  return hubAssistantMessage(text, toolCalls, reasoning);
}

/** Hub answer → Converse answer (first choice; a Converse answer has one). */
export function toBedrockCompletion(completion: ChatCompletion): BedrockConverseResponse {
  const choice = completion.choices[0];
  const message = choice?.message;
  const content: BedrockContentBlock[] = [];
  if (message?.reasoning_content)
    content.push({ reasoningContent: { reasoningText: { text: message.reasoning_content } } });
  if (typeof message?.content === 'string' && message.content !== '') content.push({ text: message.content });
  (message?.tool_calls ?? []).forEach((call, j) => {
    const input = parseToolArguments(
      call.function.arguments,
      `choices.0.message.tool_calls.${j}.function.arguments`,
    );
    content.push({ toolUse: { toolUseId: call.id, name: call.function.name, input } });
  });
  return defined({
    output: { message: { role: 'assistant', content } },
    stopReason: stopReasonOf(choice?.finish_reason ?? null),
    usage: bedrockUsageOf(completion.usage),
    metrics: { latencyMs: 0 },
    serviceTier: completion.service_tier ? { type: completion.service_tier } : undefined,
  }) as BedrockConverseResponse;
}
