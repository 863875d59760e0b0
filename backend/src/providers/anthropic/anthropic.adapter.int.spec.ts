import { ProviderError } from '../../common/errors';
import { runMockModel } from '../mock/mock-model';
import {
  startFakeAnthropicServer,
  type FakeAnthropicServer,
} from '../../../test/support/fakes/anthropic-server';
import { UpstreamHttp } from '../http/upstream-http';
import type { ProviderCredential, UpstreamRequest, UpstreamResponse } from '../upstream';
import { anthropicMessagesFormat as format } from '../wire/anthropic-messages/anthropic-messages.format';
import { SseParser } from '../wire/sse';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../wire/chat-completions';
import { AnthropicAdapter } from './anthropic.adapter';

const API_KEY = 'sk-ant-test-0123456789SECRET';
const never = new AbortController().signal;

const hub = (content: string, extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: 'claude-sonnet-4-5',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content },
  ],
  max_tokens: 100,
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof ProviderError)) throw error;
  expect(`${error.message} ${error.stack} ${error.providerBody?.text}`).not.toContain(API_KEY);
  return error;
}

async function bytesOf(response: UpstreamResponse): Promise<Buffer> {
  if (response.kind !== 'sse') throw new Error(`expected an SSE answer, got ${response.kind}`);
  const chunks: Buffer[] = [];
  for await (const chunk of response.bytes) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('AnthropicAdapter against the fake Anthropic server', () => {
  let fake: FakeAnthropicServer;
  let http: UpstreamHttp;
  let adapter: AnthropicAdapter;
  let credential: ProviderCredential;

  const call = (
    request: ChatCompletionRequest,
    extra: Partial<UpstreamRequest> = {},
  ): Promise<UpstreamResponse> =>
    adapter.call({
      model: request.model,
      body: format.fromChatRequest(request),
      stream: request.stream === true,
      headers: {},
      credential,
      signal: never,
      ...extra,
    });

  beforeAll(async () => {
    fake = await startFakeAnthropicServer({ apiKey: API_KEY });
    http = new UpstreamHttp();
    adapter = new AnthropicAdapter(http);
    credential = { id: 'env:anthropic', baseUrl: fake.url, apiKey: API_KEY };
  });
  afterAll(async () => {
    await http.onModuleDestroy();
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.responses.length = 0;
  });

  it('posts the translated body to /v1/messages with the key and version, and answers the message', async () => {
    const request = hub('Hello there');
    const response = await call(request);
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers).toMatchObject({
      'x-api-key': API_KEY,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    });
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toEqual(format.fromChatRequest(request));
    if (response.kind !== 'json') throw new Error('expected JSON');
    expect(response.headers['request-id']).toMatch(/^req_/);
    expect(response.headers['anthropic-ratelimit-requests-remaining']).toBe('49');
    const completion = format.toChatCompletion(JSON.parse(response.body.toString('utf8')));
    const expected = runMockModel({ messages: request.messages, params: { max_tokens: 100 } });
    if (expected.kind !== 'reply') throw new Error('expected a reply');
    expect(completion.choices[0]).toMatchObject({
      message: { content: expected.content },
      finish_reason: 'stop',
    });
    expect(completion.usage).toMatchObject({ prompt_tokens: expected.usage.inputTokens });
  });

  it("sends the caller's bytes unchanged, with its anthropic-version and anthropic-beta", async () => {
    const raw = Buffer.from(
      '{"model":"claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"x":1.50}',
    );
    await adapter.call({
      model: 'claude-haiku-4-5',
      body: JSON.parse(raw.toString()),
      rawBody: raw,
      stream: false,
      headers: {
        'anthropic-version': '2023-01-01',
        'anthropic-beta': 'tools-2024-04-04',
        'openai-beta': 'x',
      },
      credential: { ...credential, baseUrl: `${fake.url}/v1/` },
      signal: never,
    });
    expect(fake.requests[0].raw.equals(raw)).toBe(true);
    expect(fake.requests[0].path).toBe('/v1/messages');
    expect(fake.requests[0].headers).toMatchObject({
      'anthropic-version': '2023-01-01',
      'anthropic-beta': 'tools-2024-04-04',
    });
    expect(fake.requests[0].headers['openai-beta']).toBeUndefined();
  });

  it('streams the SSE bytes as the server sent them, which decode to the whole answer', async () => {
    const request = hub('Stream [mock:tool:get_weather] Paris', { stream: true });
    const response = await call(request);
    expect(fake.requests[0].headers.accept).toBe('text/event-stream');
    const bytes = await bytesOf(response);
    expect(bytes.equals(fake.responses[0].bytes)).toBe(true);
    const parser = new SseParser();
    const decoder = format.streamDecoder();
    const chunks: ChatCompletionChunk[] = [];
    for (const event of [...parser.push(bytes), ...parser.end()]) {
      chunks.push(...decoder.push({ event: event.event, data: JSON.parse(event.data) }));
    }
    const calls = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
    expect(calls[0]).toMatchObject({
      index: 0,
      id: expect.stringMatching(/^toolu_/),
      function: { name: 'get_weather' },
    });
    expect(calls.map((c) => c.function?.arguments ?? '').join('')).toBe('{"input":"Stream Paris"}');
    expect(chunks.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean)).toEqual([
      'tool_calls',
    ]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it.each([
    [400, 'invalid_request_error'],
    [404, 'not_found_error'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [529, 'overloaded_error'],
  ])("throws a %i with Anthropic's own error body and headers", async (status, type) => {
    const error = await failure(call(hub(`[mock:error:${status}]`)));
    expect(error).toMatchObject({ providerStatus: status, errorClass: 'provider_error' });
    expect(error.message).toBe(`Mock error ${status} requested by [mock:error:${status}]`);
    expect(JSON.parse(error.providerBody!.text)).toEqual({
      type: 'error',
      error: { type, message: error.message },
      request_id: expect.stringMatching(/^req_/),
    });
    expect(error.providerBody!.format).toBe('anthropic-messages');
    expect(error.providerHeaders['request-id']).toMatch(/^req_/);
    if (status === 429) {
      expect(error.providerHeaders).toMatchObject({
        'retry-after': '7',
        'anthropic-ratelimit-tokens-remaining': '39000',
      });
      expect(error.retryAfterSeconds).toBe(7);
    }
    const streamed = await failure(call(hub(`[mock:error:${status}]`, { stream: true })));
    expect(streamed.providerStatus).toBe(status);
  });

  it('reports a wrong key as authentication_error without leaking it', async () => {
    const wrong = 'sk-ant-wrong-key-98765';
    const error = await failure(adapter.call({
      model: 'm', body: format.fromChatRequest(hub('hi')), stream: false, headers: {}, signal: never,
      credential: { ...credential, apiKey: wrong },
    })); // prettier-ignore
    expect(error.providerStatus).toBe(401);
    expect(JSON.parse(error.providerBody!.text).error.type).toBe('authentication_error');
    expect(`${error.message}${error.providerBody!.text}`).not.toContain(wrong);
  });

  it("counts tokens with Anthropic's endpoint, the count its messages call reports", async () => {
    const request = hub('Count me please');
    const body = format.fromChatRequest(request) as Record<string, unknown>;
    const { max_tokens: _drop, ...countBody } = body;
    const { count, headers } = await adapter.countTokens({
      credential,
      headers: {},
      signal: never,
      body: JSON.stringify(countBody),
    });
    expect(fake.requests[0].path).toBe('/v1/messages/count_tokens');
    expect(headers['request-id']).toMatch(/^req_/);
    const response = await call(request);
    if (response.kind !== 'json') throw new Error('expected JSON');
    expect(count).toEqual({ input_tokens: JSON.parse(response.body.toString()).usage.input_tokens });
  });

  it("cancels the request when the caller's signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(call(hub('[mock:delay:3000]'), { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
