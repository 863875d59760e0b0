/**
 * ConverseStream events ↔ hub chunks. The events arrive decoded from AWS's binary event stream
 * (`application/vnd.amazon.eventstream`, decoded by the transport): `{ event: <:event-type>, data:
 * <JSON payload> }`. Exceptions inside the stream are the transport's to throw.
 *
 * Decoding: messageStart → role chunk; contentBlockStart(toolUse) → a tool call's id and name;
 * contentBlockDelta → text / tool-call argument fragments / reasoning text; messageStop → the
 * finish reason; metadata → a usage chunk (`choices: []`), always sent (Bedrock always reports it).
 *
 * Encoding writes each event as one JSON line `{"<eventType>": payload}` — the union shape the AWS
 * SDKs yield — since the binary framing is not text; a transport that serves Bedrock callers frames
 * those payloads with the event-stream codec.
 */
import type { ChatChunkChoice, ChatCompletionChunk, ChatToolCallDelta } from '../chat-completions';
import type { StreamDecoder, StreamEncoder, WireEvent } from '../wire-format';
import { isRecord } from '../translation-helpers';
import { bedrockUsageOf, finishReasonOf, stopReasonOf, usageOf } from './bedrock-response';
import type { BedrockStreamEventType } from './bedrock-converse.types';

type Delta = ChatChunkChoice['delta'];

function chunk(delta: Delta, finishReason: string | null = null): ChatCompletionChunk {
  return {
    id: '',
    object: 'chat.completion.chunk',
    created: 0,
    model: '',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

export class BedrockStreamDecoder implements StreamDecoder {
  /** Converse content-block index → hub tool-call index. */
  private readonly toolIndex = new Map<number, number>();

  push(event: WireEvent): ChatCompletionChunk[] {
    const data = isRecord(event.data) ? event.data : {};
    switch (event.event as BedrockStreamEventType) {
      case 'messageStart':
        return [chunk({ role: 'assistant', content: '' })];
      case 'contentBlockStart':
        return this.blockStart(data);
      case 'contentBlockDelta':
        return this.blockDelta(data);
      case 'messageStop':
        return [chunk({}, finishReasonOf(data.stopReason) ?? 'stop')];
      case 'metadata': {
        const usage = usageOf(data.usage);
        return usage ? [{ ...chunk({}), choices: [], usage }] : [];
      }
      default:
        return [];
    }
  }

  end(): ChatCompletionChunk[] {
    return [];
  }

  private blockStart(data: Record<string, unknown>): ChatCompletionChunk[] {
    const start = isRecord(data.start) ? data.start : {};
    if (!isRecord(start.toolUse)) return [];
    const index = this.toolIndex.size;
    this.toolIndex.set(Number(data.contentBlockIndex), index);
    const call: ChatToolCallDelta = {
      index,
      id: String(start.toolUse.toolUseId),
      type: 'function',
      function: { name: String(start.toolUse.name), arguments: '' },
    };
    return [chunk({ tool_calls: [call] })];
  }

  private blockDelta(data: Record<string, unknown>): ChatCompletionChunk[] {
    const delta = isRecord(data.delta) ? data.delta : {};
    if (typeof delta.text === 'string') return [chunk({ content: delta.text })];
    if (isRecord(delta.toolUse) && typeof delta.toolUse.input === 'string') {
      const index = this.toolIndex.get(Number(data.contentBlockIndex));
      if (index === undefined) return [];
      return [chunk({ tool_calls: [{ index, function: { arguments: delta.toolUse.input } }] })];
    }
    if (isRecord(delta.reasoningContent) && typeof delta.reasoningContent.text === 'string') {
      return [chunk({ reasoning_content: delta.reasoningContent.text })];
    }
    return [];
  }
}

type OpenBlock =
  { readonly kind: 'text' | 'reasoning' } | { readonly kind: 'tool'; readonly toolIndex: number };

export class BedrockStreamEncoder implements StreamEncoder {
  private started = false;
  private stopped = false;
  private nextBlock = 0;
  private open: OpenBlock | null = null;

  push(hub: ChatCompletionChunk): string {
    let out = '';
    if (!this.started) {
      this.started = true;
      out += line('messageStart', { role: 'assistant' });
    }
    const choice = hub.choices.find((c) => c.index === 0);
    if (choice) out += this.choice(choice);
    if (hub.usage)
      out += this.close() + line('metadata', { usage: bedrockUsageOf(hub.usage), metrics: { latencyMs: 0 } });
    return out;
  }

  end(): string {
    return this.close() + (this.started && !this.stopped ? this.stop('end_turn') : '');
  }

  private choice(choice: ChatChunkChoice): string {
    const delta = choice.delta;
    let out = '';
    if (delta.reasoning_content) {
      out +=
        this.ensure({ kind: 'reasoning' }) +
        this.delta({ reasoningContent: { text: delta.reasoning_content } });
    }
    if (delta.content) out += this.ensure({ kind: 'text' }) + this.delta({ text: delta.content });
    for (const call of delta.tool_calls ?? []) {
      const current = this.open;
      if (call.id !== undefined || current?.kind !== 'tool' || current.toolIndex !== call.index) {
        out += this.close();
        this.open = { kind: 'tool', toolIndex: call.index };
        const toolUse = { toolUseId: call.id ?? '', name: call.function?.name ?? '' };
        out += line('contentBlockStart', { contentBlockIndex: this.nextBlock, start: { toolUse } });
      }
      if (call.function?.arguments) out += this.delta({ toolUse: { input: call.function.arguments } });
    }
    if (choice.finish_reason) out += this.close() + this.stop(stopReasonOf(choice.finish_reason));
    return out;
  }

  private ensure(block: OpenBlock): string {
    if (this.open?.kind === block.kind) return '';
    const out = this.close();
    this.open = block;
    return out;
  }

  private delta(delta: Record<string, unknown>): string {
    return line('contentBlockDelta', { contentBlockIndex: this.nextBlock, delta });
  }

  private close(): string {
    if (!this.open) return '';
    this.open = null;
    return line('contentBlockStop', { contentBlockIndex: this.nextBlock++ });
  }

  private stop(stopReason: string): string {
    this.stopped = true;
    return line('messageStop', { stopReason });
  }
}

function line(type: BedrockStreamEventType, payload: unknown): string {
  return `${JSON.stringify({ [type]: payload })}\n`;
}
