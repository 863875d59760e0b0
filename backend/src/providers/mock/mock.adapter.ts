import { randomBytes } from 'node:crypto';
import { ProviderError } from '../../common/errors';
import { sleep, throwIfAborted } from '../../common/abort';
import type { ProviderAdapter, UpstreamRequest, UpstreamResponse } from '../upstream';
import {
  mockAsk,
  mockCompletion,
  mockErrorBody,
  mockReplies,
  mockStreamFrames,
  type MockAsk,
} from './mock-openai';

export interface MockAdapterOptions {
  /** Pause before each streamed token (ms). Default 20; the app reads it from `MOCK_TOKEN_INTERVAL_MS`. */
  readonly tokenIntervalMs?: number;
  /** Extra wait before the answer (ms). Default 0. */
  readonly latencyMs?: number;
}

const MOCK_PROVIDER_ID = 'mock';
const DEFAULT_MOCK_TOKEN_INTERVAL_MS = 20;

/** The models the mock serves: `mock-…` (`mock-1`, `mock-large`…). */
export const isMockModel = (model: string): boolean =>
  model.startsWith('mock-') && model.length > 'mock-'.length;

/**
 * An in-process provider speaking OpenAI's Chat Completions, backed by the deterministic mock model
 * (`mock-model.ts`, test hooks included) and paced like a real stream: the same bytes as the fake
 * OpenAI server, without a socket.
 */
export class MockAdapter implements ProviderAdapter {
  readonly id = MOCK_PROVIDER_ID;
  readonly format = 'openai-chat' as const;
  private readonly tokenIntervalMs: number;
  private readonly latencyMs: number;

  constructor(options: MockAdapterOptions = {}) {
    this.tokenIntervalMs = Math.max(0, options.tokenIntervalMs ?? DEFAULT_MOCK_TOKEN_INTERVAL_MS);
    this.latencyMs = Math.max(0, options.latencyMs ?? 0);
  }

  async call(request: UpstreamRequest): Promise<UpstreamResponse> {
    throwIfAborted(request.signal);
    const body = (request.rawBody ? JSON.parse(request.rawBody.toString('utf8')) : request.body) as Record<
      string,
      unknown
    >;
    if (!isMockModel(request.model)) throw failure(404, `The model '${request.model}' does not exist`);
    const ask = mockAsk(body);
    const replies = mockReplies(ask);
    const wait = this.latencyMs + ('kind' in replies ? replies.delayMs : replies[0].delayMs);
    if (wait > 0) await sleep(wait, request.signal);
    if ('kind' in replies) throw failure(replies.status, replies.message);
    const head = {
      id: `chatcmpl-${randomBytes(12).toString('base64url')}`,
      created: Math.floor(Date.now() / 1000),
      model: request.model,
    };
    if (ask.stream) {
      return {
        kind: 'sse',
        status: 200,
        headers: {},
        bytes: this.stream(replies, head, ask, request.signal),
      };
    }
    if (replies[0].dropAfterTokens !== null) throw dropped();
    const text = JSON.stringify(mockCompletion(replies, head, ask.logprobs));
    return { kind: 'json', status: 200, headers: {}, body: Buffer.from(text) };
  }

  private async *stream(
    replies: Parameters<typeof mockStreamFrames>[0],
    head: Parameters<typeof mockStreamFrames>[1],
    ask: MockAsk,
    signal: AbortSignal,
  ): AsyncGenerator<Uint8Array> {
    for (const frame of mockStreamFrames(replies, head, ask)) {
      if (frame.kind === 'drop') throw dropped();
      if (frame.kind === 'stop') return;
      if (frame.paced) await this.pace(signal);
      yield Buffer.from(`data: ${frame.data}\n\n`);
    }
    yield Buffer.from('data: [DONE]\n\n');
  }

  private async pace(signal: AbortSignal): Promise<void> {
    if (this.tokenIntervalMs > 0) return sleep(this.tokenIntervalMs, signal);
    // No pace: still let timers and I/O run between tokens, so an abort is seen.
    await new Promise<void>((resolve) => setImmediate(resolve));
    throwIfAborted(signal);
  }
}

function failure(status: number, message: string): ProviderError {
  const headers: Record<string, string> = status === 429 ? { 'retry-after': '1' } : {};
  const text = JSON.stringify(mockErrorBody(status, message));
  return new ProviderError(message, status, 'provider_error', headers, { format: 'openai-chat', text });
}

function dropped(): ProviderError {
  return new ProviderError('Mock connection dropped by [mock:drop]', null, 'provider_unreachable');
}
