import { ProviderError } from '../../../common/errors';
import type { ChatChunkChoice, ChatCompletionChunk, ChatUsage } from '../chat-completions';
import type { StreamDecoder, WireEvent } from '../wire-format';
import { isObject, type Json } from './checks';
import { toChatUsage } from './response';

type Delta = ChatChunkChoice['delta'];

/**
 * Responses API stream events → hub chunks. `response.created` opens the assistant turn; text,
 * refusal and reasoning deltas become content / refusal / reasoning_content deltas; a
 * `function_call` item becomes a tool call (id and name first, then argument fragments);
 * `response.completed` / `response.incomplete` give the finish reason and the usage chunk.
 * `error` and `response.failed` throw `ProviderError` with the provider's message.
 */
export class ResponsesStreamDecoder implements StreamDecoder {
  private head = { id: '', created: 0, model: '' };
  private serviceTier: string | undefined;
  /** Output index of a function_call item → its tool-call index in the hub. */
  private readonly toolIndex = new Map<number, number>();
  private finished = false;

  push(event: WireEvent): ChatCompletionChunk[] {
    const data = isObject(event.data) ? event.data : {};
    const type = typeof data.type === 'string' ? data.type : event.event;
    switch (type) {
      case 'response.created':
        this.start(data.response);
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'response.output_text.delta':
        return [this.chunk({ content: String(data.delta ?? '') }, null, logprobs(data.logprobs))];
      case 'response.refusal.delta':
        return [this.chunk({ refusal: String(data.delta ?? '') })];
      case 'response.reasoning_text.delta':
      case 'response.reasoning_summary_text.delta':
        return [this.chunk({ reasoning_content: String(data.delta ?? '') })];
      case 'response.output_item.added':
        return this.itemAdded(data);
      case 'response.function_call_arguments.delta': {
        const index = this.toolIndex.get(Number(data.output_index));
        if (index === undefined) return [];
        return [this.chunk({ tool_calls: [{ index, function: { arguments: String(data.delta ?? '') } }] })];
      }
      case 'response.completed':
      case 'response.incomplete':
        return this.finish(data.response);
      case 'response.failed':
        throw failure(isObject(data.response) ? data.response.error : undefined);
      case 'error':
        throw failure(data);
      default:
        return [];
    }
  }

  end(): ChatCompletionChunk[] {
    return [];
  }

  private start(response: unknown): void {
    if (!isObject(response)) return;
    this.head = {
      id: String(response.id ?? ''),
      created: typeof response.created_at === 'number' ? response.created_at : 0,
      model: String(response.model ?? ''),
    };
    if (typeof response.service_tier === 'string') this.serviceTier = response.service_tier;
  }

  private itemAdded(data: Json): ChatCompletionChunk[] {
    const item = data.item;
    if (!isObject(item) || item.type !== 'function_call') return [];
    const index = this.toolIndex.size;
    this.toolIndex.set(Number(data.output_index), index);
    const call = {
      index,
      id: String(item.call_id),
      type: 'function' as const,
      function: { name: String(item.name), arguments: String(item.arguments ?? '') },
    };
    return [this.chunk({ tool_calls: [call] })];
  }

  private finish(response: unknown): ChatCompletionChunk[] {
    if (this.finished || !isObject(response)) return [];
    this.finished = true;
    if (typeof response.service_tier === 'string') this.serviceTier = response.service_tier;
    const incomplete = isObject(response.incomplete_details) ? response.incomplete_details.reason : undefined;
    const reason =
      response.status === 'incomplete'
        ? incomplete === 'content_filter'
          ? 'content_filter'
          : 'length'
        : this.toolIndex.size > 0
          ? 'tool_calls'
          : 'stop';
    const usage: ChatUsage | null = isObject(response.usage) ? toChatUsage(response.usage) : null;
    return [this.chunk({}, reason), { ...this.envelope(), choices: [], usage }];
  }

  private chunk(delta: Delta, finishReason: string | null = null, probs?: unknown): ChatCompletionChunk {
    const choice: ChatChunkChoice = {
      index: 0,
      delta,
      finish_reason: finishReason,
      ...(probs ? { logprobs: probs } : {}),
    };
    return { ...this.envelope(), choices: [choice] };
  }

  private envelope(): Pick<ChatCompletionChunk, 'id' | 'object' | 'created' | 'model' | 'service_tier'> {
    return {
      id: this.head.id,
      object: 'chat.completion.chunk',
      created: this.head.created,
      model: this.head.model,
      ...(this.serviceTier !== undefined ? { service_tier: this.serviceTier } : {}),
    };
  }
}

function logprobs(value: unknown): unknown {
  return Array.isArray(value) && value.length > 0 ? { content: value, refusal: null } : undefined;
}

function failure(error: unknown): ProviderError {
  const message =
    isObject(error) && typeof error.message === 'string' ? error.message : 'The response failed';
  const code = isObject(error) && typeof error.code === 'string' ? ` (${error.code})` : '';
  return new ProviderError(`${message}${code}`, null, 'provider_error');
}
