import { ProviderError } from '../../common/errors';
import { startFakeCohereServer, type FakeCohereServer } from '../../../test/support/fakes/cohere-server';
import { runMockModel, type MockReply } from '../mock/mock-model';
import { UpstreamHttp } from '../http/upstream-http';
import type { ProviderCredential, UpstreamResponse } from '../upstream';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../wire/chat-completions';
import { cohereChatFormat } from '../wire/cohere-chat/cohere-chat.format';
import { readSse, toWireEvent } from '../wire/sse';
import { CohereAdapter } from './cohere.adapter';

const API_KEY = 'co-adapter-test-key';

describe('CohereAdapter against the fake Cohere server', () => {
  let server: FakeCohereServer;
  const http = new UpstreamHttp();
  const adapter = new CohereAdapter(http);

  beforeAll(async () => {
    server = await startFakeCohereServer({ apiKey: API_KEY });
  });
  afterAll(async () => {
    await server.close();
    await http.onModuleDestroy();
  });

  const call = (hub: Partial<ChatCompletionRequest>, apiKey = API_KEY): Promise<UpstreamResponse> => {
    const request: ChatCompletionRequest = {
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'hi' }],
      ...hub,
    };
    const credential: ProviderCredential = { id: 'env:cohere', baseUrl: server.url, apiKey };
    return adapter.call({
      model: request.model,
      body: cohereChatFormat.fromChatRequest(request),
      stream: request.stream === true,
      headers: {},
      credential,
      signal: new AbortController().signal,
    });
  };
  const decode = async (response: UpstreamResponse): Promise<ChatCompletionChunk[]> => {
    if (response.kind !== 'sse') throw new Error(`expected sse, got ${response.kind}`);
    const decoder = cohereChatFormat.streamDecoder();
    const chunks: ChatCompletionChunk[] = [];
    for await (const event of readSse(response.bytes)) chunks.push(...decoder.push(toWireEvent(event)));
    return [...chunks, ...decoder.end()];
  };

  const messages = [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'What does a span record?' },
  ];
  const expected = runMockModel({ messages }) as MockReply;

  it('posts to {baseUrl}/chat with the bearer key and returns the JSON answer', async () => {
    const response = await call({ messages });
    if (response.kind !== 'json') throw new Error(`expected json, got ${response.kind}`);
    const completion = cohereChatFormat.toChatCompletion(JSON.parse(response.body.toString('utf8')));
    expect(completion.choices[0]).toMatchObject({
      message: { content: expected.content },
      finish_reason: 'stop',
    });
    expect(completion.usage?.prompt_tokens).toBe(expected.usage.inputTokens);
    const recorded = server.requests.at(-1)!;
    expect(recorded.path).toBe('/v2/chat');
    expect(recorded.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('streams SSE bytes that decode to the reply, finish reason and usage', async () => {
    const chunks = await decode(await call({ messages, stream: true }));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(expected.content);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(expected.usage.outputTokens);
    expect((server.requests.at(-1)!.body as { stream?: unknown }).stream).toBe(true);
  });

  it('streams a tool call: plan as content, then id and name, then argument fragments', async () => {
    const chunks = await decode(
      await call({
        messages: [{ role: 'user', content: 'Rome [mock:tool:get_weather]' }],
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
        stream: true,
      }),
    );
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, function: { name: 'get_weather' } });
    expect(JSON.parse(calls.map((c) => c.function?.arguments ?? '').join(''))).toEqual({ input: 'Rome' });
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'tool_calls')).toBe(true);
  });

  it('decodes a stream that fails mid-way into a ProviderError after the text before it', async () => {
    const response = await call({ messages: [{ role: 'user', content: 'x [mock:fail:2]' }], stream: true });
    if (response.kind !== 'sse') throw new Error('expected sse');
    const decoder = cohereChatFormat.streamDecoder();
    const texts: string[] = [];
    const error = await (async () => {
      for await (const event of readSse(response.bytes)) {
        for (const chunk of decoder.push(toWireEvent(event)))
          texts.push(chunk.choices[0]?.delta.content ?? '');
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toBe('Cohere: Mock stream failure requested by [mock:fail]');
    expect(texts.filter(Boolean)).toHaveLength(2);
  });

  it("maps a wrong key to a ProviderError with Cohere's status and body, the key never in it", async () => {
    const error = (await call({}, 'co-wrong-key').catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.providerStatus).toBe(401);
    expect(error.message).toBe('invalid api token');
    expect(error.providerBody?.format).toBe('cohere-chat');
    expect(JSON.stringify([error.message, error.providerBody])).not.toContain('co-wrong-key');
  });

  it('maps the rate-limit hook to status 429', async () => {
    const error = (await call({ messages: [{ role: 'user', content: 'x [mock:error:429]' }] }).catch(
      (e: unknown) => e,
    )) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.providerStatus).toBe(429);
  });
});
