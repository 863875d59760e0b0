import type { ChatMessage, Usage } from '@sightline/schemas';
import { abortError, throwIfAborted } from '../abort';
import { type ChatChunk, type ChatRequest, type ChatResult, type LlmProvider } from '../provider';
import { ProviderError } from '../../common/errors';
import { readSse, type SseEvent } from './sse';

export interface OpenAiCompatibleProviderOptions {
  /** Stable provider id recorded in events, e.g. `openai`. */
  readonly id: string;
  /** Base URL including the version path, e.g. `https://api.openai.com/v1`. */
  readonly baseUrl: string;
  /** Sent only as `Authorization: Bearer <apiKey>`; never in messages or logs. */
  readonly apiKey?: string;
  /** Which models this provider serves. */
  readonly models: (model: string) => boolean;
  /**
   * `complete`: the whole call (connect, headers, body). `stream`: connect until the response
   * headers, then the longest silence between two body chunks (a long stream that keeps talking
   * never times out).
   */
  readonly timeoutMs: number;
  /** The model name sent on the wire for a requested model (e.g. strips `openai/`). Default: unchanged. */
  readonly wireModel?: (model: string) => string;
  /** Extra request headers (e.g. `OpenAI-Organization`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** OpenAI usage object (Chat Completions). */
interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

/**
 * A provider speaking OpenAI's Chat Completions wire format over HTTP (`POST {baseUrl}/chat/completions`):
 * OpenAI itself and the many servers compatible with it.
 */
export class OpenAiCompatibleProvider implements LlmProvider {
  readonly id: string;
  private readonly endpoint: string;

  constructor(private readonly options: OpenAiCompatibleProviderOptions) {
    this.id = options.id;
    this.endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  supports(model: string): boolean {
    return this.options.models(model);
  }

  async complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
    const call = new Call(this.options, signal);
    try {
      const response = await call.post(this.endpoint, this.body(request, false), 'application/json');
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw call.failure(error);
      }
      const json = parseJson(text, response.status);
      const choice = firstChoice(json);
      if (!choice) {
        throw new ProviderError(
          `Unexpected response from ${this.id}: no choices`,
          response.status,
          'provider_error',
        );
      }
      const message = (isObject(choice.message) ? choice.message : {}) as Record<string, unknown>;
      const toolCalls = message.tool_calls;
      return {
        content: typeof message.content === 'string' ? message.content : null,
        ...(Array.isArray(toolCalls) && toolCalls.length > 0 ? { toolCalls } : {}),
        finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : 'unknown',
        usage: mapUsage(isObject(json) ? (json.usage as WireUsage | undefined) : undefined),
      };
    } catch (error) {
      throw redactError(error, this.options.apiKey);
    } finally {
      call.dispose();
    }
  }

  async *stream(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk, void, undefined> {
    const call = new Call(this.options, signal);
    try {
      const response = await call.post(this.endpoint, this.body(request, true), 'text/event-stream');
      const body = response.body;
      if (!body)
        throw new ProviderError(`Empty response body from ${this.id}`, response.status, 'provider_error');
      call.idle();
      let finishReason: string | null = null;
      let usage: Usage | null = null;
      let done = false;
      const events = readSse(call.watch(body));
      for (;;) {
        let next: IteratorResult<SseEvent, void>;
        try {
          next = await events.next();
        } catch (error) {
          throw call.failure(error);
        }
        if (next.done) break;
        const data = next.value.data;
        if (data === '[DONE]') {
          done = true;
          break;
        }
        const chunk = parseJson(data, response.status);
        if (!isObject(chunk)) continue;
        if (isObject(chunk.error))
          throw new ProviderError(errorMessage(chunk, data), response.status, 'provider_error');
        if (isObject(chunk.usage)) usage = mapUsage(chunk.usage as WireUsage);
        const choice = firstChoice(chunk);
        if (!choice) continue;
        const delta = isObject(choice.delta) ? choice.delta : {};
        const out: { contentDelta?: string; toolCallsDelta?: readonly unknown[] } = {};
        if (typeof delta.content === 'string' && delta.content !== '') out.contentDelta = delta.content;
        if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0)
          out.toolCallsDelta = delta.tool_calls;
        if (out.contentDelta !== undefined || out.toolCallsDelta !== undefined) {
          // A slow consumer is not a silent provider: the timeout waits while the chunk is handed over.
          call.pause();
          yield out;
          call.idle();
        }
        if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
      }
      if (!done && finishReason === null) {
        throw new ProviderError(
          `Stream from ${this.id} ended before completion`,
          response.status,
          'provider_error',
        );
      }
      yield { finishReason: finishReason ?? 'unknown', usage: usage ?? mapUsage(undefined) };
    } catch (error) {
      throw redactError(error, this.options.apiKey);
    } finally {
      // Also reached when the consumer stops early: cancels the HTTP request.
      call.dispose();
    }
  }

  private body(request: ChatRequest, stream: boolean): Record<string, unknown> {
    const { stream: _stream, stream_options: streamOptions, ...params } = request.params;
    const wireModel = this.options.wireModel ?? ((model: string) => model);
    return {
      ...params,
      model: wireModel(request.model),
      messages: request.messages.map(toWireMessage),
      ...(request.tools !== undefined ? { tools: request.tools } : {}),
      ...(request.responseFormat !== undefined ? { response_format: request.responseFormat } : {}),
      ...(request.user !== undefined ? { user: request.user } : {}),
      ...(stream
        ? {
            stream: true,
            stream_options: { ...(isObject(streamOptions) ? streamOptions : {}), include_usage: true },
          }
        : {}),
    };
  }
}

/** One HTTP call: the caller's signal and the timeout combined, and the mapping of what goes wrong. */
class Call {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private connected = false;
  private readonly onCallerAbort = (): void => this.controller.abort(this.signal.reason);

  constructor(
    private readonly options: OpenAiCompatibleProviderOptions,
    private readonly signal: AbortSignal,
  ) {
    throwIfAborted(signal);
    signal.addEventListener('abort', this.onCallerAbort, { once: true });
    this.arm();
  }

  async post(url: string, body: unknown, accept: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          ...this.options.headers,
          'content-type': 'application/json',
          accept,
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify(body),
        signal: this.controller.signal,
      });
    } catch (error) {
      throw this.failure(error);
    }
    if (!response.ok) {
      let text = '';
      try {
        text = await response.text();
      } catch (error) {
        throw this.failure(error);
      }
      throw new ProviderError(
        errorMessage(safeParse(text), text) || `HTTP ${response.status}`,
        response.status,
        'provider_error',
        retryHints(response.headers),
      );
    }
    this.connected = true;
    return response;
  }

  /** From now on the timeout measures silence: re-armed by every body chunk. */
  idle(): void {
    this.arm();
  }

  /** Stops the clock (while the consumer holds a chunk); {@link idle} restarts it. */
  pause(): void {
    clearTimeout(this.timer);
  }

  async *watch(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
    for await (const chunk of body) {
      this.arm();
      yield chunk;
    }
  }

  /** Maps an exception thrown by fetch or a body read to what the provider throws. */
  failure(error: unknown): Error {
    if (error instanceof ProviderError) return error;
    if (this.signal.aborted) return abortError(this.signal);
    if (this.timedOut) {
      return new ProviderError(
        `${this.options.id} did not answer within ${this.options.timeoutMs} ms`,
        null,
        'timeout',
      );
    }
    const where = `${this.options.id} at ${origin(this.options.baseUrl)}`;
    return new ProviderError(
      this.connected
        ? `Connection to ${where} lost: ${describe(error)}`
        : `Could not reach ${where}: ${describe(error)}`,
      null,
      'provider_unreachable',
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signal.removeEventListener('abort', this.onCallerAbort);
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new DOMException('timeout', 'TimeoutError'));
    }, this.options.timeoutMs);
  }
}

function toWireMessage(message: ChatMessage): Record<string, unknown> {
  return {
    role: message.role,
    content: message.content,
    ...(message.name !== undefined ? { name: message.name } : {}),
    ...(message.toolCallId !== undefined ? { tool_call_id: message.toolCallId } : {}),
    ...(message.toolCalls !== undefined ? { tool_calls: message.toolCalls } : {}),
  };
}

function mapUsage(usage: WireUsage | undefined): Usage {
  const inputTokens = count(usage?.prompt_tokens);
  const outputTokens = count(usage?.completion_tokens);
  return {
    inputTokens,
    outputTokens,
    totalTokens:
      typeof usage?.total_tokens === 'number' ? count(usage.total_tokens) : inputTokens + outputTokens,
    cachedTokens: count(usage?.prompt_tokens_details?.cached_tokens),
    reasoningTokens: count(usage?.completion_tokens_details?.reasoning_tokens),
  };
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The choice with index 0 (Sightline asks for one choice; with `n` > 1 the others are ignored). */
function firstChoice(json: unknown): Record<string, unknown> | undefined {
  if (!isObject(json) || !Array.isArray(json.choices)) return undefined;
  const choice: unknown = json.choices.find((c: unknown) => isObject(c) && (c.index ?? 0) === 0);
  return isObject(choice) ? choice : undefined;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseJson(text: string, status = 200): unknown {
  const json = safeParse(text);
  if (json === undefined) {
    throw new ProviderError(`Invalid JSON from provider: ${snippet(text)}`, status, 'provider_error');
  }
  return json;
}

/** The message of an OpenAI error body (`{"error":{"message"...}}`), else a snippet of the raw text. */
function errorMessage(json: unknown, raw: string): string {
  if (isObject(json)) {
    const error = json.error;
    if (isObject(error) && typeof error.message === 'string' && error.message !== '') return error.message;
    if (typeof error === 'string' && error !== '') return error;
    if (typeof json.message === 'string' && json.message !== '') return json.message;
  }
  return snippet(raw);
}

const RETRY_HINT = /^(retry-after(-ms)?|x-ratelimit-[a-z-]+)$/;

/** The headers a client needs to back off as the provider asked (OpenAI SDKs read these). */
function retryHints(headers: Headers): Record<string, string> {
  return Object.fromEntries([...headers].filter(([name]) => RETRY_HINT.test(name)));
}

function snippet(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}

/** Removes the API key from a ProviderError's message (a provider may echo it back in its error body). */
function redactError(error: unknown, apiKey: string | undefined): unknown {
  if (!apiKey || !(error instanceof ProviderError) || !error.message.includes(apiKey)) return error;
  return new ProviderError(
    error.message.split(apiKey).join('[redacted]'),
    error.providerStatus,
    error.errorClass,
    error.providerHeaders,
  );
}

function origin(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return '(invalid base URL)';
  }
}

/** A short reason for a network failure: undici's `fetch failed` hides the cause (ECONNREFUSED...). */
function describe(error: unknown): string {
  // Duck-typed: errors thrown by undici may come from another realm (e.g. under jest), failing `instanceof Error`.
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: unknown };
  const { message: causeMessage, code } = (cause ?? {}) as { message?: unknown; code?: unknown };
  if (typeof causeMessage === 'string')
    return typeof code === 'string' ? `${code} (${causeMessage})` : causeMessage;
  return typeof message === 'string' ? message : String(error);
}
