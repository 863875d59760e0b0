import { ProviderError } from '../../../common/errors';
import type { ChatChunkChoice, ChatCompletionChunk } from '../chat-completions';
import type { StreamDecoder, WireEvent } from '../wire-format';
import { ERROR_STATUS, type AnthropicStreamEvent, type AnthropicUsage } from './anthropic-types';
import { isObject } from './errors';
import { JSON_OBJECT_TOOL } from './request-from-chat';
import { chatUsageOf, finishReasonOf } from './usage-and-stop';

type BlockKind = 'text' | 'thinking' | 'tool' | 'json' | 'other';

/**
 * Anthropic's streamed events → hub chunks. `message_start` opens the assistant turn,
 * `text_delta` / `thinking_delta` / `input_json_delta` become content / reasoning / tool-call
 * argument fragments (each `tool_use` block one tool call, numbered in order, so parallel calls
 * keep their own index), `message_delta` gives the finish reason, `message_stop` the usage chunk
 * (`choices: []`); `ping` and unknown events (Anthropic may add some) give nothing; an `error`
 * event throws `ProviderError` with Anthropic's error type and message.
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  private id = '';
  private model = '';
  private usage: Partial<AnthropicUsage> = {};
  private readonly blocks = new Map<number, { kind: BlockKind; tool: number }>();
  private tools = 0;
  private json = false;

  push(event: WireEvent): ChatCompletionChunk[] {
    const data = event.data as AnthropicStreamEvent;
    if (!isObject(event.data)) return [];
    switch (data.type) {
      case 'message_start':
        this.id = data.message.id;
        this.model = data.message.model;
        this.usage = { ...data.message.usage };
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'content_block_start':
        return this.start(data.index, data.content_block as unknown as Record<string, unknown>);
      case 'content_block_delta':
        return this.delta(data.index, data.delta as unknown as Record<string, unknown>);
      case 'message_delta': {
        for (const [key, value] of Object.entries(data.usage ?? {})) {
          if (value !== null && value !== undefined) this.usage = { ...this.usage, [key]: value };
        }
        const finish = this.json ? 'stop' : finishReasonOf(data.delta.stop_reason);
        const extra = data.delta.stop_sequence ? { stop_sequence: data.delta.stop_sequence } : {};
        return [this.chunk({}, finish, extra)];
      }
      case 'message_stop':
        return [{ ...this.chunk({}), choices: [], usage: chatUsageOf(this.usage) }];
      case 'error': {
        const type = data.error?.type ?? 'api_error';
        const message = data.error?.message ?? 'Anthropic sent an error event';
        throw new ProviderError(message, ERROR_STATUS[type] ?? null, 'provider_error');
      }
      default:
        return [];
    }
  }

  end(): ChatCompletionChunk[] {
    return [];
  }

  private start(index: number, block: Record<string, unknown>): ChatCompletionChunk[] {
    if (block.type === 'tool_use' && block.name === JSON_OBJECT_TOOL) {
      this.json = true;
      this.blocks.set(index, { kind: 'json', tool: -1 });
      return [];
    }
    if (block.type === 'tool_use') {
      const tool = this.tools++;
      this.blocks.set(index, { kind: 'tool', tool });
      const call = { index: tool, id: String(block.id), type: 'function' as const };
      return [
        this.chunk({ tool_calls: [{ ...call, function: { name: String(block.name), arguments: '' } }] }),
      ];
    }
    const kind: BlockKind = block.type === 'text' ? 'text' : block.type === 'thinking' ? 'thinking' : 'other';
    this.blocks.set(index, { kind, tool: -1 });
    if (kind === 'text' && typeof block.text === 'string' && block.text !== '') {
      return [this.chunk({ content: block.text })];
    }
    return [];
  }

  private delta(index: number, delta: Record<string, unknown>): ChatCompletionChunk[] {
    const block = this.blocks.get(index);
    switch (delta.type) {
      case 'text_delta':
        return [this.chunk({ content: String(delta.text) })];
      case 'thinking_delta':
        return [this.chunk({ reasoning_content: String(delta.thinking) })];
      case 'signature_delta':
        return [this.chunk({ reasoning_signature: String(delta.signature) })];
      case 'input_json_delta': {
        const fragment = String(delta.partial_json);
        if (fragment === '') return [];
        if (block?.kind === 'json') return [this.chunk({ content: fragment })];
        if (block?.kind !== 'tool') return [];
        return [this.chunk({ tool_calls: [{ index: block.tool, function: { arguments: fragment } }] })];
      }
      default:
        return [];
    }
  }

  private chunk(
    delta: ChatChunkChoice['delta'],
    finish: string | null = null,
    extra: Record<string, unknown> = {},
  ): ChatCompletionChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: 0,
      model: this.model,
      choices: [{ index: 0, delta, finish_reason: finish, ...extra }],
    };
  }
}
