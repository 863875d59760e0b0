import type { ChatUsage } from '../chat-completions';
import type { AnthropicStopReason, AnthropicUsage } from './anthropic-types';

/** Anthropic's stop reason → Chat Completions' finish reason. */
export function finishReasonOf(stop: string | null | undefined): string | null {
  switch (stop) {
    case null:
    case undefined:
      return null;
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/** Chat Completions' finish reason → Anthropic's stop reason (`stop_sequence` when one was hit). */
export function stopReasonOf(
  finish: string | null | undefined,
  stopSequence: unknown,
): AnthropicStopReason | null {
  switch (finish) {
    case null:
    case undefined:
      return null;
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return typeof stopSequence === 'string' ? 'stop_sequence' : 'end_turn';
  }
}

const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

/**
 * Anthropic usage → hub usage. Anthropic's `input_tokens` excludes cached tokens while OpenAI's
 * `prompt_tokens` includes them: prompt = input + cache read + cache creation; `cached_tokens` is
 * the cache read, `cache_creation_tokens` (Sightline's name in the details) the cache write.
 */
export function chatUsageOf(usage: Partial<AnthropicUsage>): ChatUsage {
  const read = count(usage.cache_read_input_tokens);
  const creation = count(usage.cache_creation_input_tokens);
  const prompt = count(usage.input_tokens) + read + creation;
  const completion = count(usage.output_tokens);
  const thinking = usage.output_tokens_details?.thinking_tokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: read, cache_creation_tokens: creation },
    ...(typeof thinking === 'number' ? { completion_tokens_details: { reasoning_tokens: thinking } } : {}),
  };
}

/** Hub usage → Anthropic usage (the inverse of `chatUsageOf`); zeros when the provider reported none. */
export function anthropicUsageOf(usage: ChatUsage | null | undefined): AnthropicUsage {
  const read = count(usage?.prompt_tokens_details?.cached_tokens);
  const creation = count(usage?.prompt_tokens_details?.cache_creation_tokens);
  return {
    input_tokens: Math.max(0, count(usage?.prompt_tokens) - read - creation),
    cache_creation_input_tokens: creation,
    cache_read_input_tokens: read,
    output_tokens: count(usage?.completion_tokens),
  };
}
