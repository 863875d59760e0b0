import { ProviderError } from '../../../common/errors';
import type { ChatChunkChoice, ChatCompletionChunk, ChatUsage } from '../chat-completions';
import type { StreamDecoder, StreamEncoder, WireEvent } from '../wire-format';
import type {
  GeminiCandidate,
  GeminiErrorBody,
  GeminiPart,
  GeminiResponse,
  GeminiUsageMetadata,
} from './gemini-types';
import {
  geminiFinishReason,
  geminiUsage,
  hubFinishReason,
  hubUsage,
  syntheticCallId,
} from './gemini-mappings';
import { argsOf, sortParts } from './parts';
import { defined, isObject } from './gemini-shared';

/**
 * `streamGenerateContent?alt=sse` → hub chunks. Each SSE `data:` is a whole `GenerateContentResponse`
 * holding the new parts of each candidate; a function call arrives whole in one part, so it becomes
 * one tool-call delta with its id, name and all its arguments. Gemini repeats `usageMetadata` (so
 * far) on every event: the last one is sent as the final `choices: []` usage chunk at the end. An
 * `{ error }` event (Gemini's mid-stream failure) is thrown as `ProviderError`.
 */
export class GeminiStreamDecoder implements StreamDecoder {
  private id = '';
  private model = '';
  private usage: GeminiUsageMetadata | undefined;
  /** Candidate index → tool calls sent so far (their delta indexes and synthetic ids continue from it). */
  private readonly calls = new Map<number, number>();

  push(event: WireEvent): ChatCompletionChunk[] {
    const data = event.data;
    if (!isObject(data)) return [];
    if (isObject(data.error)) throw streamError(data as unknown as GeminiErrorBody);
    const response = data as GeminiResponse;
    this.id ||= response.responseId ?? '';
    this.model ||= response.modelVersion ?? '';
    if (response.usageMetadata) this.usage = response.usageMetadata;
    const candidates = response.candidates ?? [];
    if (candidates.length === 0 && response.promptFeedback?.blockReason) {
      return [this.chunk([{ index: 0, delta: { role: 'assistant' }, finish_reason: 'content_filter' }])];
    }
    const choices = candidates.map((candidate, i) => this.choice(candidate, candidate.index ?? i));
    return choices.length > 0 ? [this.chunk(choices)] : [];
  }

  end(): ChatCompletionChunk[] {
    return this.usage ? [this.chunk([], hubUsage(this.usage))] : [];
  }

  private choice(candidate: GeminiCandidate, index: number): ChatChunkChoice {
    const first = !this.calls.has(index);
    const before = this.calls.get(index) ?? 0;
    let made = before;
    const sorted = sortParts(
      candidate.content?.parts ?? [],
      () => syntheticCallId(this.id, index, made),
      `candidates.${index}.content.parts`,
    );
    const toolCalls = sorted.toolCalls.map((call, k) => ({ index: before + k, ...call }));
    made = before + toolCalls.length;
    this.calls.set(index, made);
    return {
      index,
      delta: defined({
        role: first ? ('assistant' as const) : undefined,
        content: sorted.text === '' ? undefined : sorted.text,
        reasoning_content: sorted.reasoning === '' ? undefined : sorted.reasoning,
        tool_calls: toolCalls.length > 0 ? toolCalls : undefined,
        extra_content: sorted.extra?.extra_content,
      }),
      finish_reason: hubFinishReason(candidate.finishReason, made > 0),
    };
  }

  private chunk(choices: ChatChunkChoice[], usage?: ChatUsage): ChatCompletionChunk {
    return defined({
      id: this.id,
      object: 'chat.completion.chunk' as const,
      created: 0,
      model: this.model,
      choices,
      usage,
    });
  }
}

/** Gemini's mid-stream `{ error: { code, message, status } }` as the error the provider's call fails with. */
function streamError(body: GeminiErrorBody): ProviderError {
  const { code, message, status } = body.error;
  const httpStatus = typeof code === 'number' ? code : null;
  return new ProviderError(
    `${status ?? 'ERROR'}: ${message ?? 'stream failed'}`,
    httpStatus,
    'provider_error',
    {},
    { format: 'gemini', text: JSON.stringify(body) },
  );
}

/** A tool call being assembled from hub fragments (Gemini sends calls whole). */
interface PendingCall {
  name: string;
  arguments: string;
}

/**
 * Hub chunks → `streamGenerateContent?alt=sse` text: one `data: <GenerateContentResponse>` event
 * (CRLF-framed, as Google frames it) per chunk with new text or thoughts. Tool-call fragments are
 * assembled and sent whole as `functionCall` parts when their choice finishes. The finishing event
 * waits for the usage chunk, so that, as with Gemini, the last event carries `finishReason` and the
 * final `usageMetadata`. Gemini streams have no end marker.
 */
export class GeminiStreamEncoder implements StreamEncoder {
  /** Choice index → its tool calls by delta index. */
  private readonly calls = new Map<number, Map<number, PendingCall>>();
  private held: GeminiResponse | undefined;

  push(chunk: ChatCompletionChunk): string {
    let out = '';
    const candidates = chunk.choices.map((choice) => this.candidate(choice)).filter((c) => c !== undefined);
    if (candidates.length > 0) {
      const response = { candidates, modelVersion: chunk.model, responseId: chunk.id };
      if (candidates.some((c) => c.finishReason !== undefined)) {
        out += this.flush();
        this.held = response;
      } else {
        out += this.flush() + event(response);
      }
    }
    if (chunk.usage) {
      const usageMetadata = geminiUsage(chunk.usage);
      const last = this.held ?? { candidates: [], modelVersion: chunk.model, responseId: chunk.id };
      this.held = undefined;
      out += event({ ...last, usageMetadata });
    }
    return out;
  }

  end(): string {
    return this.flush();
  }

  private flush(): string {
    const held = this.held;
    this.held = undefined;
    return held ? event(held) : '';
  }

  private candidate(choice: ChatChunkChoice): GeminiCandidate | undefined {
    const { delta } = choice;
    const parts: GeminiPart[] = [];
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') {
      parts.push({ text: delta.reasoning_content, thought: true });
    }
    if (typeof delta.content === 'string' && delta.content !== '') parts.push({ text: delta.content });
    if (typeof delta.refusal === 'string' && delta.refusal !== '') parts.push({ text: delta.refusal });
    const calls = this.calls.get(choice.index) ?? new Map<number, PendingCall>();
    this.calls.set(choice.index, calls);
    for (const fragment of delta.tool_calls ?? []) {
      const call = calls.get(fragment.index) ?? { name: '', arguments: '' };
      call.name += fragment.function?.name ?? '';
      call.arguments += fragment.function?.arguments ?? '';
      calls.set(fragment.index, call);
    }
    const finishReason = geminiFinishReason(choice.finish_reason);
    if (finishReason !== undefined) {
      for (const call of [...calls.values()])
        parts.push({ functionCall: { name: call.name, args: argsOf(call.arguments) } });
      calls.clear();
    }
    if (parts.length === 0 && finishReason === undefined) return undefined;
    return defined({ content: { role: 'model', parts }, finishReason, index: choice.index });
  }
}

function event(response: GeminiResponse): string {
  return `data: ${JSON.stringify(response)}\r\n\r\n`;
}
