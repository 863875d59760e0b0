import type { ChatCompletionChunk, ChatUsage } from '../chat-completions';
import type { StreamEncoder } from '../wire-format';
import { isObject, type Json } from './checks';
import { fromChatUsage, responseId, responseObject } from './response';
import type { OutputItem, OutputText, ResponseObject } from './responses-wire';

interface OpenItem {
  readonly outputIndex: number;
  readonly id: string;
  readonly kind: 'message' | 'reasoning' | 'function_call';
  text: string;
  refusal: string;
  /** Function calls only. */
  readonly callId?: string;
  readonly name?: string;
  done: boolean;
}

/**
 * Hub chunks → the Responses API event stream, as OpenAI sends it: `response.created`,
 * `response.in_progress`, then per output item `output_item.added` → (`content_part.added` →
 * `output_text.delta`… → `output_text.done` → `content_part.done`) or `function_call_arguments.delta`…
 * → `function_call_arguments.done`, then `output_item.done`; finally `response.completed` (or
 * `response.incomplete`) with the whole response and its usage. Items are sent one after the other:
 * a new item closes the previous one. Every event carries an increasing `sequence_number`.
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  private sequence = 0;
  private head: { id: string; created: number; model: string; service_tier?: string | null } | null = null;
  private readonly items: OpenItem[] = [];
  private current: OpenItem | undefined;
  private readonly calls = new Map<number, OpenItem>();
  private finishReason: string | null = null;
  private usage: ChatUsage | null = null;

  get nextSequence(): number {
    return this.sequence;
  }

  push(chunk: ChatCompletionChunk): string {
    let out = this.head === null ? this.start(chunk) : '';
    if (chunk.usage) this.usage = chunk.usage;
    if (chunk.service_tier && this.head) this.head.service_tier = chunk.service_tier;
    const choice = chunk.choices.find((c) => c.index === 0);
    if (!choice) return out;
    const delta = choice.delta;
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '')
      out += this.reasoning(delta.reasoning_content);
    if (typeof delta.content === 'string' && delta.content !== '')
      out += this.text(delta.content, choice.logprobs);
    if (typeof delta.refusal === 'string' && delta.refusal !== '') out += this.refusal(delta.refusal);
    for (const call of delta.tool_calls ?? []) out += this.toolCall(call);
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return out;
  }

  end(): string {
    let out = this.head === null ? this.start({ id: '', created: 0, model: '' }) : '';
    out += this.close();
    for (const item of this.items) if (!item.done) out += this.closeItem(item);
    const incomplete = this.finishReason === 'length' || this.finishReason === 'content_filter';
    const response = this.response(incomplete ? 'incomplete' : 'completed');
    return out + this.event(incomplete ? 'response.incomplete' : 'response.completed', { response });
  }

  private start(chunk: Pick<ChatCompletionChunk, 'id' | 'created' | 'model' | 'service_tier'>): string {
    this.head = {
      id: chunk.id,
      created: chunk.created,
      model: chunk.model,
      service_tier: chunk.service_tier,
    };
    const response = this.response('in_progress');
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  private reasoning(delta: string): string {
    let out = '';
    if (this.current?.kind !== 'reasoning') {
      out += this.open('reasoning', 'rs');
      out += this.event('response.content_part.added', {
        ...this.where(),
        part: { type: 'reasoning_text', text: '' },
      });
    }
    const item = this.current as OpenItem;
    item.text += delta;
    return out + this.event('response.reasoning_text.delta', { ...this.where(), delta });
  }

  private text(delta: string, logprobs: unknown): string {
    let out = '';
    if (this.current?.kind !== 'message') out += this.open('message', 'msg');
    const item = this.current as OpenItem;
    if (item.text === '')
      out += this.event('response.content_part.added', {
        ...this.where(),
        part: { type: 'output_text', text: '', annotations: [] },
      });
    item.text += delta;
    const probs = isObject(logprobs) && Array.isArray(logprobs.content) ? logprobs.content : [];
    return out + this.event('response.output_text.delta', { ...this.where(), delta, logprobs: probs });
  }

  private refusal(delta: string): string {
    let out = '';
    if (this.current?.kind !== 'message') out += this.open('message', 'msg');
    const item = this.current as OpenItem;
    const contentIndex = item.text === '' ? 0 : 1;
    if (item.refusal === '')
      out += this.event('response.content_part.added', {
        ...this.where(contentIndex),
        part: { type: 'refusal', refusal: '' },
      });
    item.refusal += delta;
    return out + this.event('response.refusal.delta', { ...this.where(contentIndex), delta });
  }

  private toolCall(
    call: NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']>[number],
  ): string {
    let out = '';
    let item = this.calls.get(call.index);
    if (!item) {
      const callId = call.id ?? `call_${this.items.length}`;
      out += this.open('function_call', 'fc', { callId, name: call.function?.name ?? '' });
      item = this.current as OpenItem;
      this.calls.set(call.index, item);
    }
    const delta = call.function?.arguments ?? '';
    if (delta === '') return out;
    item.text += delta;
    return (
      out +
      this.event('response.function_call_arguments.delta', {
        item_id: item.id,
        output_index: item.outputIndex,
        delta,
      })
    );
  }

  private open(kind: OpenItem['kind'], prefix: string, call?: { callId: string; name: string }): string {
    const out = this.close();
    const outputIndex = this.items.length;
    const base = call ? call.callId : `${responseId(this.head?.id ?? '')}_${outputIndex}`;
    const item: OpenItem = {
      outputIndex,
      id: `${prefix}_${base}`,
      kind,
      text: '',
      refusal: '',
      done: false,
      ...call,
    };
    this.items.push(item);
    this.current = item;
    return (
      out +
      this.event('response.output_item.added', {
        output_index: outputIndex,
        item: this.itemBody(item, 'in_progress'),
      })
    );
  }

  private close(): string {
    const item = this.current;
    this.current = undefined;
    return item && !item.done ? this.closeItem(item) : '';
  }

  private closeItem(item: OpenItem): string {
    item.done = true;
    const where = { item_id: item.id, output_index: item.outputIndex };
    let out = '';
    if (item.kind === 'function_call') {
      out += this.event('response.function_call_arguments.done', {
        ...where,
        name: item.name,
        arguments: item.text,
      });
    } else if (item.kind === 'reasoning') {
      out += this.event('response.reasoning_text.done', { ...where, content_index: 0, text: item.text });
      out += this.event('response.content_part.done', {
        ...where,
        content_index: 0,
        part: { type: 'reasoning_text', text: item.text },
      });
    } else {
      const parts = this.parts(item);
      if (item.text !== '')
        out += this.event('response.output_text.done', {
          ...where,
          content_index: 0,
          text: item.text,
          logprobs: [],
        });
      if (item.refusal !== '')
        out += this.event('response.refusal.done', {
          ...where,
          content_index: parts.length - 1,
          refusal: item.refusal,
        });
      parts.forEach(
        (part, i) => (out += this.event('response.content_part.done', { ...where, content_index: i, part })),
      );
    }
    return (
      out +
      this.event('response.output_item.done', {
        output_index: item.outputIndex,
        item: this.itemBody(item, 'completed'),
      })
    );
  }

  private parts(item: OpenItem): (OutputText | { type: 'refusal'; refusal: string })[] {
    return [
      ...(item.text !== '' ? [{ type: 'output_text' as const, text: item.text, annotations: [] }] : []),
      ...(item.refusal !== '' ? [{ type: 'refusal' as const, refusal: item.refusal }] : []),
    ];
  }

  private itemBody(item: OpenItem, status: 'in_progress' | 'completed'): OutputItem {
    switch (item.kind) {
      case 'function_call':
        return {
          type: 'function_call',
          id: item.id,
          call_id: item.callId ?? '',
          name: item.name ?? '',
          arguments: status === 'completed' ? item.text : '',
          status,
        };
      case 'reasoning':
        return {
          type: 'reasoning',
          id: item.id,
          summary: [],
          ...(status === 'completed' ? { content: [{ type: 'reasoning_text', text: item.text }] } : {}),
        };
      case 'message':
        return {
          type: 'message',
          id: item.id,
          role: 'assistant',
          status,
          content: status === 'completed' ? this.parts(item) : [],
        };
    }
  }

  private where(contentIndex = 0): Json {
    const item = this.current as OpenItem;
    return { item_id: item.id, output_index: item.outputIndex, content_index: contentIndex };
  }

  private response(status: ResponseObject['status']): ResponseObject {
    const head = this.head ?? { id: '', created: 0, model: '' };
    const output = status === 'in_progress' ? [] : this.items.map((item) => this.itemBody(item, 'completed'));
    const usage = status === 'in_progress' || !this.usage ? null : fromChatUsage(this.usage);
    return responseObject(head, output, status, usage, this.finishReason);
  }

  private event(type: string, fields: Json): string {
    const data = { type, sequence_number: this.sequence++, ...fields };
    return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  }
}

/** The `error` event a Responses stream ends with when the call fails mid-stream. */
export function responsesStreamError(
  sequence: number,
  message: string,
  code: string | null,
  param: string | null = null,
): string {
  const data = { type: 'error', sequence_number: sequence, code, message, param };
  return `event: error\ndata: ${JSON.stringify(data)}\n\n`;
}
