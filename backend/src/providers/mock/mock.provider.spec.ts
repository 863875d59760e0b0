import type { ChatMessage } from '@sightline/schemas';
import { type ChatChunk, type ChatRequest } from '../provider';
import { ProviderError } from '../../common/errors';
import { MockProvider } from './mock.provider';
import { runMockModel } from './mock-model';

const request = (content: string, params: Record<string, unknown> = {}, model = 'mock-1'): ChatRequest => ({
  model,
  messages: [{ role: 'user', content } satisfies ChatMessage],
  params,
});

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const never = new AbortController().signal;

describe('MockProvider', () => {
  it('serves mock-* models only', () => {
    const provider = new MockProvider();
    expect(provider.id).toBe('mock');
    expect(['mock-1', 'mock-large', 'mock-anything'].every((m) => provider.supports(m))).toBe(true);
    expect(['gpt-4o', 'mock', 'mock-', 'openai/mock-1'].some((m) => provider.supports(m))).toBe(false);
  });

  it('completes with the mock model reply', async () => {
    const provider = new MockProvider({ tokenIntervalMs: 0 });
    const req = request('Hello mock', { max_tokens: 4 });
    const result = await provider.complete(req, never);
    expect(result).toEqual({
      content: 'Mock reply to: Hello',
      finishReason: 'length',
      usage: { inputTokens: 2, outputTokens: 4, totalTokens: 6, cachedTokens: 0, reasoningTokens: 0 },
    });
  });

  it('waits the configured latency before completing, and honours abort meanwhile', async () => {
    const provider = new MockProvider({ latencyMs: 60 });
    const started = Date.now();
    await provider.complete(request('hi'), never);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const aborted = provider.complete(request('hi [mock:delay:5000]'), controller.signal);
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('streams one chunk per token, then a final chunk with finish reason and usage', async () => {
    const provider = new MockProvider({ tokenIntervalMs: 0 });
    const req = request('Stream this');
    const expected = runMockModel(req);
    if (expected.kind !== 'reply') throw new Error('expected a reply');
    const chunks = await collect(provider.stream(req, never));
    expect(chunks.slice(0, -1)).toEqual(expected.tokens.map((t) => ({ contentDelta: t })));
    expect(chunks.at(-1)).toEqual({ finishReason: 'stop', usage: expected.usage });
    const completed = await provider.complete(req, never);
    expect(chunks.map((c) => c.contentDelta ?? '').join('')).toBe(completed.content);
  });

  it('paces the stream at tokenIntervalMs', async () => {
    const provider = new MockProvider({ tokenIntervalMs: 25 });
    const arrivals: number[] = [];
    const started = Date.now();
    for await (const chunk of provider.stream(request('[mock:tokens:6]'), never)) {
      if (chunk.contentDelta !== undefined) arrivals.push(Date.now() - started);
    }
    expect(arrivals).toHaveLength(6);
    // A timer may fire a millisecond early; never much earlier.
    arrivals.forEach((t, i) => expect(t).toBeGreaterThanOrEqual((i + 1) * 25 - 2));
    expect(arrivals[5]).toBeLessThan(6 * 25 + 500);
  });

  it('stops promptly when aborted mid-stream, with an AbortError', async () => {
    const provider = new MockProvider({ tokenIntervalMs: 300 });
    const controller = new AbortController();
    const iterator = provider.stream(request('[mock:tokens:50]'), controller.signal)[Symbol.asyncIterator]();
    await iterator.next();
    setTimeout(() => controller.abort(), 20);
    const abortAt = Date.now() + 20;
    await expect(iterator.next()).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - abortAt).toBeLessThan(200); // not waiting for the next token
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('stops with zero pace too, and rejects at once when the signal is already aborted', async () => {
    const provider = new MockProvider({ tokenIntervalMs: 0 });
    const controller = new AbortController();
    let seen = 0;
    const run = (async () => {
      for await (const _chunk of provider.stream(request('[mock:tokens:100000]'), controller.signal)) {
        if (++seen === 10) setTimeout(() => controller.abort(), 0);
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBeLessThan(100_000);

    const aborted = AbortSignal.abort();
    await expect(provider.complete(request('x'), aborted)).rejects.toMatchObject({ name: 'AbortError' });
    await expect(collect(provider.stream(request('x'), aborted))).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('fails with ProviderError(status, provider_error) on [mock:error:<status>]', async () => {
    const provider = new MockProvider({ tokenIntervalMs: 0 });
    const failure = { name: 'ProviderError', providerStatus: 429, errorClass: 'provider_error' };
    await expect(provider.complete(request('[mock:error:429]'), never)).rejects.toMatchObject(failure);
    await expect(collect(provider.stream(request('[mock:error:429]'), never))).rejects.toBeInstanceOf(
      ProviderError,
    );
  });

  it('rejects a model it does not serve', async () => {
    await expect(new MockProvider().complete(request('x', {}, 'gpt-4o'), never)).rejects.toMatchObject({
      providerStatus: 404,
    });
  });

  it('drops the connection after n tokens on [mock:drop:<n>]', async () => {
    const provider = new MockProvider({ tokenIntervalMs: 0 });
    const chunks: ChatChunk[] = [];
    const run = (async () => {
      for await (const chunk of provider.stream(request('[mock:drop:3]'), never)) chunks.push(chunk);
    })();
    await expect(run).rejects.toMatchObject({ providerStatus: null, errorClass: 'provider_unreachable' });
    expect(chunks).toHaveLength(3);
  });

  it('streams a tool call for [mock:tool:<name>]', async () => {
    const chunks = await collect(
      new MockProvider({ tokenIntervalMs: 0 }).stream(request('x [mock:tool:lookup]'), never),
    );
    expect(chunks).toEqual([
      {
        toolCallsDelta: [
          {
            index: 0,
            id: expect.any(String),
            type: 'function',
            function: { name: 'lookup', arguments: '{"input":"x"}' },
          },
        ],
      },
      { finishReason: 'tool_calls', usage: expect.objectContaining({ outputTokens: 9 }) },
    ]);
  });
});
