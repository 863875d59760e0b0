import { sleep, throwIfAborted } from '../abort';
import { type ChatChunk, type ChatRequest, type ChatResult, type LlmProvider } from '../provider';
import { ProviderError } from '../../common/errors';
import { runMockModel, type MockReply } from './mock-model';

export interface MockProviderOptions {
  /** Pause before each streamed token (ms). Default 20; the app reads it from `MOCK_TOKEN_INTERVAL_MS`. */
  readonly tokenIntervalMs?: number;
  /** Extra wait before `complete` answers and before the first streamed token (ms). Default 0. */
  readonly latencyMs?: number;
}

export const MOCK_PROVIDER_ID = 'mock';
export const DEFAULT_MOCK_TOKEN_INTERVAL_MS = 20;

/**
 * An in-process provider backed by the deterministic mock model (`mock-model.ts`): serves every
 * model named `mock-…` (`mock-1`, `mock-large`…). Honours the mock model's test hooks.
 */
export class MockProvider implements LlmProvider {
  readonly id = MOCK_PROVIDER_ID;
  private readonly tokenIntervalMs: number;
  private readonly latencyMs: number;

  constructor(options: MockProviderOptions = {}) {
    this.tokenIntervalMs = Math.max(0, options.tokenIntervalMs ?? DEFAULT_MOCK_TOKEN_INTERVAL_MS);
    this.latencyMs = Math.max(0, options.latencyMs ?? 0);
  }

  supports(model: string): boolean {
    return model.startsWith('mock-') && model.length > 'mock-'.length;
  }

  async complete(request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
    const reply = await this.start(request, signal);
    if (reply.dropAfterTokens !== null) throw dropped();
    return {
      content: reply.content,
      ...(reply.toolCalls ? { toolCalls: reply.toolCalls } : {}),
      finishReason: reply.finishReason,
      usage: reply.usage,
    };
  }

  async *stream(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk, void, undefined> {
    const reply = await this.start(request, signal);
    for (let i = 0; i < reply.tokens.length; i++) {
      if (i === reply.dropAfterTokens) throw dropped();
      await this.pace(signal);
      yield { contentDelta: reply.tokens[i] };
    }
    if (reply.toolCalls) {
      if (reply.dropAfterTokens !== null) throw dropped();
      await this.pace(signal);
      yield { toolCallsDelta: reply.toolCalls.map((call, index) => ({ index, ...call })) };
    }
    throwIfAborted(signal);
    yield { finishReason: reply.finishReason, usage: reply.usage };
  }

  /** Validates the model, runs the mock model and waits out the latency; throws the mock model's failure. */
  private async start(request: ChatRequest, signal: AbortSignal): Promise<MockReply> {
    throwIfAborted(signal);
    if (!this.supports(request.model)) {
      throw new ProviderError(`The model '${request.model}' does not exist`, 404, 'provider_error');
    }
    const outcome = runMockModel(request);
    const wait = this.latencyMs + outcome.delayMs;
    if (wait > 0) await sleep(wait, signal);
    if (outcome.kind === 'error') throw new ProviderError(outcome.message, outcome.status, 'provider_error');
    return outcome;
  }

  private async pace(signal: AbortSignal): Promise<void> {
    if (this.tokenIntervalMs > 0) return sleep(this.tokenIntervalMs, signal);
    // No pace: still let timers and I/O run between tokens, so an abort is seen.
    await new Promise<void>((resolve) => setImmediate(resolve));
    throwIfAborted(signal);
  }
}

function dropped(): ProviderError {
  return new ProviderError('Mock connection dropped by [mock:drop]', null, 'provider_unreachable');
}
