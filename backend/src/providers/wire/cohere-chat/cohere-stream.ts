/**
 * Cohere v2 stream events ↔ hub chunks. Cohere streams server-sent events `event: <type>` /
 * `data: {"type": <type>, ...}`, then `data: [DONE]`:
 * message-start (id) → content-start / content-delta (text or thinking) / content-end →
 * tool-plan-delta → tool-call-start (id, name, maybe arguments) / tool-call-delta (argument
 * fragments) / tool-call-end → message-end (finish_reason, usage; `error` when it failed).
 *
 * Decoding: text → `content`, thinking → `reasoning_content`, tool plan → `content`, tool calls →
 * `tool_calls` deltas (id and name first, then argument fragments), message-end → a finish chunk and
 * a usage chunk (`choices: []`); a message-end with finish_reason ERROR is thrown as a ProviderError
 * (the provider failed mid-stream). Encoding writes the same events from hub chunks; message-end
 * waits for the usage chunk that follows the finish chunk (or for the end of the stream).
 */
import { ProviderError } from '../../../common/errors';
import type { ChatChunkChoice, ChatCompletionChunk, ChatUsage } from '../chat-completions';
import type { StreamDecoder, StreamEncoder, WireEvent } from '../wire-format';
import { defined, isRecord } from '../translation-helpers';
import { cohereReasonOf, cohereUsageOf, finishReasonOf, usageOf } from './cohere-response';
import type { CohereStreamEventType } from './cohere-chat.types';

type Delta = ChatChunkChoice['delta'];

export class CohereStreamDecoder implements StreamDecoder {
  private id = '';
  private tools = 0;

  push(event: WireEvent): ChatCompletionChunk[] {
    const data = isRecord(event.data) ? event.data : null;
    if (!data) return []; // `data: [DONE]`
    const message = messageOf(data);
    switch ((data.type ?? event.event) as CohereStreamEventType) {
      case 'message-start':
        this.id = typeof data.id === 'string' ? data.id : '';
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'content-start':
      case 'content-delta':
        return this.content(message.content);
      case 'tool-plan-delta':
        return typeof message.tool_plan === 'string' && message.tool_plan !== ''
          ? [this.chunk({ content: message.tool_plan })]
          : [];
      case 'tool-call-start':
        return this.toolStart(message.tool_calls);
      case 'tool-call-delta':
        return this.toolDelta(message.tool_calls);
      case 'message-end':
        return this.messageEnd(isRecord(data.delta) ? data.delta : {});
      default:
        return [];
    }
  }

  end(): ChatCompletionChunk[] {
    return [];
  }

  private chunk(delta: Delta, finishReason: string | null = null): ChatCompletionChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: 0,
      model: '',
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    };
  }

  private content(content: unknown): ChatCompletionChunk[] {
    if (!isRecord(content)) return [];
    if (typeof content.text === 'string' && content.text !== '')
      return [this.chunk({ content: content.text })];
    if (typeof content.thinking === 'string' && content.thinking !== '') {
      return [this.chunk({ reasoning_content: content.thinking })];
    }
    return [];
  }

  private toolStart(call: unknown): ChatCompletionChunk[] {
    if (!isRecord(call)) return [];
    const fn = isRecord(call.function) ? call.function : {};
    const index = this.tools++;
    const args = typeof fn.arguments === 'string' ? fn.arguments : '';
    return [
      this.chunk({
        tool_calls: [
          {
            index,
            id: String(call.id ?? ''),
            type: 'function',
            function: { name: String(fn.name ?? ''), arguments: args },
          },
        ],
      }),
    ];
  }

  private toolDelta(call: unknown): ChatCompletionChunk[] {
    const fn = isRecord(call) && isRecord(call.function) ? call.function : {};
    if (typeof fn.arguments !== 'string' || fn.arguments === '' || this.tools === 0) return [];
    return [this.chunk({ tool_calls: [{ index: this.tools - 1, function: { arguments: fn.arguments } }] })];
  }

  private messageEnd(delta: Record<string, unknown>): ChatCompletionChunk[] {
    if (delta.finish_reason === 'ERROR') {
      const detail =
        typeof delta.error === 'string' ? delta.error : 'the stream ended with finish_reason ERROR';
      throw new ProviderError(`Cohere: ${detail}`, 200, 'provider_error');
    }
    const out = [this.chunk({}, finishReasonOf(delta.finish_reason) ?? 'stop')];
    const usage = usageOf(delta.usage);
    if (usage) out.push({ ...this.chunk({}), choices: [], usage });
    return out;
  }
}

function messageOf(data: Record<string, unknown>): Record<string, unknown> {
  const delta = isRecord(data.delta) ? data.delta : {};
  return isRecord(delta.message) ? delta.message : {};
}

type OpenItem = 'text' | 'thinking' | 'tool' | null;

export class CohereStreamEncoder implements StreamEncoder {
  private started = false;
  private ended = false;
  private open: OpenItem = null;
  private contentIndex = 0;
  private toolIndex = -1;
  private finish: string | null = null;
  private usage: ChatUsage | null = null;

  push(hub: ChatCompletionChunk): string {
    let out = '';
    if (!this.started) {
      this.started = true;
      const message = { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] };
      out += sse('message-start', { id: hub.id, delta: { message } });
    }
    const choice = hub.choices.find((c) => c.index === 0);
    if (choice) out += this.choice(choice);
    if (hub.usage) {
      this.usage = hub.usage;
      if (this.finish !== null) out += this.messageEnd();
    }
    return out;
  }

  end(): string {
    if (!this.started) return '';
    return this.close() + (this.ended ? '' : this.messageEnd()) + 'data: [DONE]\n\n';
  }

  private choice(choice: ChatChunkChoice): string {
    const delta = choice.delta;
    let out = '';
    if (delta.reasoning_content) out += this.item('thinking', { thinking: delta.reasoning_content });
    if (delta.content) out += this.item('text', { text: delta.content });
    for (const call of delta.tool_calls ?? []) {
      if (call.id !== undefined || this.open !== 'tool' || call.index !== this.toolIndex) {
        out += this.close();
        this.open = 'tool';
        this.toolIndex = call.index;
        const tool_calls = {
          id: call.id ?? '',
          type: 'function',
          function: { name: call.function?.name ?? '', arguments: '' },
        };
        out += sse('tool-call-start', { index: this.toolIndex, delta: { message: { tool_calls } } });
      }
      const args = call.function?.arguments;
      if (args) {
        const message = { tool_calls: { function: { arguments: args } } };
        out += sse('tool-call-delta', { index: this.toolIndex, delta: { message } });
      }
    }
    if (choice.finish_reason) {
      this.finish = choice.finish_reason;
      out += this.close();
    }
    return out;
  }

  private item(kind: 'text' | 'thinking', content: Record<string, string>): string {
    let out = '';
    if (this.open !== kind) {
      out += this.close();
      this.open = kind;
      const start = { type: kind, [kind]: '' };
      out += sse('content-start', { index: this.contentIndex, delta: { message: { content: start } } });
    }
    return out + sse('content-delta', { index: this.contentIndex, delta: { message: { content } } });
  }

  private close(): string {
    const open = this.open;
    this.open = null;
    if (open === 'tool') return sse('tool-call-end', { index: this.toolIndex });
    if (open === null) return '';
    return sse('content-end', { index: this.contentIndex++ });
  }

  private messageEnd(): string {
    this.ended = true;
    const delta = defined({ finish_reason: cohereReasonOf(this.finish), usage: cohereUsageOf(this.usage) });
    return sse('message-end', { delta });
  }
}

function sse(type: CohereStreamEventType, body: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;
}
