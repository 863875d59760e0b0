import type { ChatCompletionChunk, ChatToolCallDelta, ChatUsage } from '../chat-completions';
import type { StreamEncoder } from '../wire-format';
import type { AnthropicBlock, AnthropicDelta, AnthropicStreamEvent } from './anthropic-types';
import { anthropicUsageOf, stopReasonOf } from './usage-and-stop';

type OpenBlock = { readonly index: number; readonly kind: 'text' | 'thinking' | 'tool' };

/** One SSE event as Anthropic frames it: the `event:` name repeated as the data's `type`. */
export function sseEvent(event: AnthropicStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Hub chunks → Anthropic's event stream, for an Anthropic caller of another provider's model:
 * `message_start` (then a `ping`, as Anthropic sends), one content block per run of text,
 * reasoning (`thinking`) or tool call (each streamed tool call its own `tool_use` block, arguments as
 * `input_json_delta`), and at the end `message_delta` with the stop reason and the usage (input
 * tokens included: the hub reports them last), then `message_stop`.
 */
export class AnthropicStreamEncoder implements StreamEncoder {
  private started = false;
  private open: OpenBlock | null = null;
  private blockCount = 0;
  /** Hub tool-call index → its content block index. */
  private readonly toolBlocks = new Map<number, number>();
  private finish: string | null = null;
  private stopSequence: string | null = null;
  private refused = false;
  private usage: ChatUsage | null = null;

  push(chunk: ChatCompletionChunk): string {
    let out = this.started ? '' : this.begin(chunk.id, chunk.model);
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices.find((c) => c.index === 0);
    if (!choice) return out;
    const { delta } = choice;
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') {
      out += this.write('thinking', { type: 'thinking_delta', thinking: delta.reasoning_content });
    }
    if (typeof delta.reasoning_signature === 'string') {
      out += this.write('thinking', { type: 'signature_delta', signature: delta.reasoning_signature });
    }
    if (typeof delta.content === 'string' && delta.content !== '') {
      out += this.write('text', { type: 'text_delta', text: delta.content });
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      this.refused = true;
      out += this.write('text', { type: 'text_delta', text: delta.refusal });
    }
    for (const call of delta.tool_calls ?? []) out += this.toolCall(call);
    if (choice.finish_reason) {
      this.finish = choice.finish_reason;
      if (typeof choice.stop_sequence === 'string') this.stopSequence = choice.stop_sequence;
      out += this.close();
    }
    return out;
  }

  end(): string {
    let out = this.started ? '' : this.begin('', '');
    out += this.close();
    const stop = this.refused ? 'refusal' : (stopReasonOf(this.finish, this.stopSequence) ?? 'end_turn');
    out += sseEvent({
      type: 'message_delta',
      delta: { stop_reason: stop, stop_sequence: this.stopSequence },
      usage: anthropicUsageOf(this.usage),
    });
    return out + sseEvent({ type: 'message_stop' });
  }

  private begin(id: string, model: string): string {
    this.started = true;
    const message = {
      id: id.startsWith('msg_') ? id : `msg_${id}`,
      type: 'message' as const,
      role: 'assistant' as const,
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 0,
      },
    };
    return sseEvent({ type: 'message_start', message }) + sseEvent({ type: 'ping' });
  }

  /** A delta for the open block of this kind, opening one (and closing the previous) when needed. */
  private write(kind: 'text' | 'thinking', delta: AnthropicDelta): string {
    let out = '';
    if (this.open?.kind !== kind) {
      const block: AnthropicBlock =
        kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
      out += this.openBlock(kind, block);
    }
    return out + sseEvent({ type: 'content_block_delta', index: this.open!.index, delta });
  }

  private toolCall(call: ChatToolCallDelta): string {
    let out = '';
    let index = this.toolBlocks.get(call.index);
    if (index === undefined) {
      const id = call.id ?? `toolu_${this.blockCount}`;
      const block: AnthropicBlock = { type: 'tool_use', id, name: call.function?.name ?? '', input: {} };
      out += this.openBlock('tool', block);
      index = this.open!.index;
      this.toolBlocks.set(call.index, index);
    }
    const fragment = call.function?.arguments;
    if (fragment) {
      const delta: AnthropicDelta = { type: 'input_json_delta', partial_json: fragment };
      out += sseEvent({ type: 'content_block_delta', index, delta });
    }
    return out;
  }

  private openBlock(kind: OpenBlock['kind'], block: AnthropicBlock): string {
    const out = this.close();
    this.open = { index: this.blockCount++, kind };
    return out + sseEvent({ type: 'content_block_start', index: this.open.index, content_block: block });
  }

  private close(): string {
    if (!this.open) return '';
    const index = this.open.index;
    this.open = null;
    return sseEvent({ type: 'content_block_stop', index });
  }
}
