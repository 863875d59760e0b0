import { ProviderError } from '../../common/errors';
import { SseParser } from '../wire/sse';
import type { UpstreamRequest, UpstreamResponse } from '../upstream';
import type { ChatCompletion, ChatCompletionChunk, ChatToolCallDelta } from '../wire/chat-completions';
import { isMockModel, MockAdapter } from './mock.adapter';
import { runMockModel } from './mock-model';

const never = new AbortController().signal;

const ask = (content: string, extra: Record<string, unknown> = {}, signal = never): UpstreamRequest => {
  const body: Record<string, unknown> = { model: 'mock-1', messages: [{ role: 'user', content }], ...extra };
  return {
    model: 'mock-1',
    body,
    stream: body.stream === true,
    headers: {},
    credential: { id: 'mock', baseUrl: 'mock:' },
    signal,
  };
};

async function json(response: UpstreamResponse): Promise<ChatCompletion> {
  if (response.kind !== 'json') throw new Error(`expected json, got ${response.kind}`);
  return JSON.parse(response.body.toString('utf8')) as ChatCompletion;
}

/** The `data:` payloads of a streamed answer, and whether it ended with `[DONE]`. */
async function frames(
  response: UpstreamResponse,
): Promise<{ data: (ChatCompletionChunk & { error?: unknown })[]; done: boolean }> {
  if (response.kind !== 'sse') throw new Error(`expected sse, got ${response.kind}`);
  const parser = new SseParser();
  const texts: string[] = [];
  for await (const chunk of response.bytes) texts.push(...parser.push(chunk).map((e) => e.data));
  texts.push(...parser.end().map((e) => e.data));
  const done = texts.at(-1) === '[DONE]';
  return { data: (done ? texts.slice(0, -1) : texts).map((t) => JSON.parse(t)), done };
}

describe('MockAdapter', () => {
  it('serves mock-* models only, speaking openai-chat', () => {
    expect(new MockAdapter()).toMatchObject({ id: 'mock', format: 'openai-chat' });
    expect(['mock-1', 'mock-large'].every(isMockModel)).toBe(true);
    expect(['gpt-4o', 'mock', 'mock-'].some(isMockModel)).toBe(false);
  });

  it('answers a chat completion with the mock model reply, in OpenAI’s shape', async () => {
    const body = await json(await new MockAdapter().call(ask('Hello mock', { max_tokens: 4 })));
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'mock-1',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Mock reply to: Hello' },
          finish_reason: 'length',
        },
      ],
      usage: { prompt_tokens: 2, completion_tokens: 4, total_tokens: 6 },
    });
  });

  it('reads the raw bytes when it gets them', async () => {
    const request = ask('ignored');
    const raw = Buffer.from(
      JSON.stringify({ model: 'mock-1', messages: [{ role: 'user', content: 'from raw' }] }),
    );
    const body = await json(await new MockAdapter().call({ ...request, rawBody: raw }));
    expect(body.choices[0].message.content).toMatch(/^Mock reply to: from raw/);
  });

  it('streams one chunk per token then [DONE], usage only when asked', async () => {
    const adapter = new MockAdapter({ tokenIntervalMs: 0 });
    const expected = runMockModel({ messages: [{ role: 'user', content: 'Stream this' }] });
    if (expected.kind !== 'reply') throw new Error('expected a reply');
    const plain = await frames(await adapter.call(ask('Stream this', { stream: true })));
    expect(plain.done).toBe(true);
    expect(plain.data.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(expected.content);
    expect(plain.data.some((c) => c.usage)).toBe(false);
    const withUsage = await frames(
      await adapter.call(ask('Stream this', { stream: true, stream_options: { include_usage: true } })),
    );
    expect(withUsage.data.at(-1)).toMatchObject({
      choices: [],
      usage: { completion_tokens: expected.tokens.length },
    });
  });

  it('paces the stream at tokenIntervalMs and stops promptly when aborted', async () => {
    const controller = new AbortController();
    const response = await new MockAdapter({ tokenIntervalMs: 300 }).call(
      ask('[mock:tokens:50]', { stream: true }, controller.signal),
    );
    if (response.kind !== 'sse') throw new Error('expected sse');
    const iterator = response.bytes[Symbol.asyncIterator]();
    await iterator.next(); // the role chunk comes at once
    setTimeout(() => controller.abort(), 20);
    const abortAt = Date.now() + 20;
    await expect(iterator.next()).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - abortAt).toBeLessThan(200);
  });

  it('fails with the provider’s own error body on [mock:error:<status>]', async () => {
    const failure = new MockAdapter().call(ask('[mock:error:429]'));
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({
      providerStatus: 429,
      providerHeaders: { 'retry-after': '1' },
      providerBody: { format: 'openai-chat', text: expect.stringContaining('"code":"rate_limit_exceeded"') },
    });
  });

  it('drops the connection after n tokens, or sends an error event, as asked', async () => {
    const adapter = new MockAdapter({ tokenIntervalMs: 0 });
    const dropped = frames(await adapter.call(ask('[mock:drop:3]', { stream: true })));
    await expect(dropped).rejects.toMatchObject({ errorClass: 'provider_unreachable' });
    const failed = await frames(await adapter.call(ask('[mock:fail:2]', { stream: true })));
    expect(failed.done).toBe(false);
    expect(failed.data.at(-1)).toMatchObject({ error: { type: 'server_error' } });
    expect(failed.data.filter((c) => c.choices?.[0]?.delta.content)).toHaveLength(2);
  });

  it('streams a tool call as id and name, then argument fragments', async () => {
    const { data } = await frames(
      await new MockAdapter({ tokenIntervalMs: 0 }).call(ask('x [mock:tool:lookup]', { stream: true })),
    );
    const calls = data.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({
      index: 0,
      id: expect.stringMatching(/^call_/),
      function: { name: 'lookup', arguments: '' },
    });
    expect(calls.slice(1).every((c) => c.id === undefined)).toBe(true);
    expect(calls.map((c: ChatToolCallDelta) => c.function?.arguments).join('')).toBe('{"input":"x"}');
  });

  it('answers n choices', async () => {
    const body = await json(await new MockAdapter().call(ask('pick', { n: 3 })));
    expect(body.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(body.choices.map((c) => c.message.content)).size).toBe(3);
  });
});
