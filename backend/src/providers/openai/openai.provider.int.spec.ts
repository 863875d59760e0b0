import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runMockModel, type MockReply } from '../mock/mock-model';
import { type ChatChunk, type ChatRequest } from '../provider';
import { ProviderError } from '../../common/errors';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../../test/support/fake-openai-server';
import { OpenAiCompatibleProvider, type OpenAiCompatibleProviderOptions } from './openai.provider';

const API_KEY = 'sk-test-0123456789abcdefSECRET';
const never = new AbortController().signal;

const request = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content }],
  params: {},
  ...extra,
});

function expectedReply(req: ChatRequest): MockReply {
  const outcome = runMockModel(req);
  if (outcome.kind !== 'reply') throw new Error('expected a reply');
  return outcome;
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** Every error the tests saw: none may contain the API key. */
const seenErrors: unknown[] = [];
async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  seenErrors.push(error);
  if (!(error instanceof ProviderError)) throw error;
  return error;
}

async function listen(handler: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, server };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('OpenAiCompatibleProvider against the fake OpenAI server', () => {
  let fake: FakeOpenAiServer;
  let provider: OpenAiCompatibleProvider;
  const make = (options: Partial<OpenAiCompatibleProviderOptions> = {}): OpenAiCompatibleProvider =>
    new OpenAiCompatibleProvider({
      id: 'openai',
      baseUrl: fake.url,
      apiKey: API_KEY,
      models: (m) => m.startsWith('gpt-'),
      timeoutMs: 5_000,
      ...options,
    });

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ apiKey: API_KEY });
    provider = make();
  });
  afterAll(async () => {
    await fake.close();
    for (const error of seenErrors) {
      expect(String((error as Error).message)).not.toContain(API_KEY);
      expect(String((error as Error).stack)).not.toContain(API_KEY);
    }
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('supports the models its predicate accepts', () => {
    expect(provider.id).toBe('openai');
    expect(provider.supports('gpt-4o')).toBe(true);
    expect(provider.supports('claude-3')).toBe(false);
  });

  it('completes: maps the request to the wire and the response back', async () => {
    const req: ChatRequest = {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'w', arguments: '{}' } }],
        },
        { role: 'tool', content: 'sunny', toolCallId: 'call_1' },
        { role: 'user', content: 'Thanks, summarise', name: 'ann' },
      ],
      params: { temperature: 0.2, max_tokens: 50, seed: 7, stream: true },
      tools: [{ type: 'function', function: { name: 'w', parameters: { type: 'object' } } }],
      responseFormat: { type: 'text' },
      user: 'user-42',
    };
    const result = await provider.complete(req, never);
    const expected = expectedReply(req);
    expect(result).toEqual({ content: expected.content, finishReason: 'stop', usage: expected.usage });

    expect(fake.requests).toHaveLength(1);
    const [recorded] = fake.requests;
    expect(recorded.method).toBe('POST');
    expect(recorded.path).toBe('/v1/chat/completions');
    expect(recorded.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(recorded.headers['content-type']).toBe('application/json');
    expect(recorded.body).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'w', arguments: '{}' } }],
        },
        { role: 'tool', content: 'sunny', tool_call_id: 'call_1' },
        { role: 'user', content: 'Thanks, summarise', name: 'ann' },
      ],
      temperature: 0.2,
      max_tokens: 50,
      seed: 7,
      tools: [{ type: 'function', function: { name: 'w', parameters: { type: 'object' } } }],
      response_format: { type: 'text' },
      user: 'user-42',
    });
  });

  it('completes with finish reason length when max_tokens cuts', async () => {
    const result = await provider.complete(request('Long story', { params: { max_tokens: 3 } }), never);
    expect(result.content).toBe('Mock reply to:');
    expect(result.finishReason).toBe('length');
    expect(result.usage.outputTokens).toBe(3);
  });

  it('maps tool calls', async () => {
    const result = await provider.complete(request('Paris [mock:tool:get_weather]'), never);
    expect(result).toMatchObject({
      content: null,
      finishReason: 'tool_calls',
      toolCalls: [{ type: 'function', function: { name: 'get_weather', arguments: '{"input":"Paris"}' } }],
    });
  });

  it('sends the wire model name', async () => {
    const prefixed = make({ wireModel: (m) => m.replace(/^openai\//, '') });
    await prefixed.complete(request('hi', { model: 'openai/gpt-4.1' }), never);
    expect(fake.requests[0].body).toMatchObject({ model: 'gpt-4.1' });
  });

  it('streams: content deltas, then finish reason and usage from the usage chunk', async () => {
    const req = request('Stream me please', { params: { stream_options: { foo: 1 } } });
    const chunks = await collect(provider.stream(req, never));
    const expected = expectedReply(req);
    expect(chunks.slice(0, -1)).toEqual(expected.tokens.map((t) => ({ contentDelta: t })));
    expect(chunks.at(-1)).toEqual({ finishReason: 'stop', usage: expected.usage });
    expect(fake.requests[0].headers.accept).toBe('text/event-stream');
    expect(fake.requests[0].body).toMatchObject({
      stream: true,
      stream_options: { foo: 1, include_usage: true },
    });
  });

  it('streams tool call deltas as OpenAI sends them', async () => {
    const chunks = await collect(provider.stream(request('Paris [mock:tool:get_weather]'), never));
    const deltas = chunks.flatMap((c) => (c.toolCallsDelta ?? []) as { function: { arguments: string } }[]);
    expect(deltas[0]).toMatchObject({
      index: 0,
      id: expect.stringMatching(/^call_/),
      function: { name: 'get_weather' },
    });
    expect(deltas.map((d) => d.function.arguments).join('')).toBe('{"input":"Paris"}');
    expect(chunks.at(-1)).toMatchObject({ finishReason: 'tool_calls' });
  });

  it('maps an error status to ProviderError with the OpenAI error message', async () => {
    for (const status of [400, 401, 404, 429, 500, 503]) {
      const error = await failure(provider.complete(request(`[mock:error:${status}]`), never));
      expect(error).toMatchObject({
        message: `Mock error ${status} requested by [mock:error:${status}]`,
        providerStatus: status,
        errorClass: 'provider_error',
      });
      const streamed = await failure(collect(provider.stream(request(`[mock:error:${status}]`), never)));
      expect(streamed).toMatchObject({ providerStatus: status, errorClass: 'provider_error' });
    }
  });

  it("keeps the provider's retry hints on a 429, and only those", async () => {
    const limited = await failure(provider.complete(request('[mock:error:429]'), never));
    expect(limited.providerHeaders).toEqual({ 'retry-after': '1', 'x-ratelimit-reset-requests': '1s' });
    expect(limited.retryAfterSeconds).toBe(1);
    const other = await failure(provider.complete(request('[mock:error:400]'), never));
    expect(other.providerHeaders).toEqual({});
  });

  it('reports the server validation message of a malformed request', async () => {
    const error = await failure(provider.complete(request('hi', { params: { max_tokens: 'many' } }), never));
    expect(error).toMatchObject({
      message: "Invalid type for 'max_tokens': expected an integer, but got a string instead.",
      providerStatus: 400,
    });
  });

  it('never puts the API key in errors (wrong key)', async () => {
    const wrongKey = 'sk-wrong-key-123456789';
    const error = await failure(make({ apiKey: wrongKey }).complete(request('hi'), never));
    expect(error.providerStatus).toBe(401);
    expect(error.message).toMatch(/^Incorrect API key provided: sk-\*+6789\./);
    expect(error.message).not.toContain(wrongKey);
  });

  it('times out when the server does not answer in time', async () => {
    const quick = make({ timeoutMs: 100 });
    const started = Date.now();
    const error = await failure(quick.complete(request('[mock:delay:3000]'), never));
    expect(error).toMatchObject({ providerStatus: null, errorClass: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(failure(collect(quick.stream(request('[mock:delay:3000]'), never)))).resolves.toMatchObject({
      errorClass: 'timeout',
    });
  });

  it('applies the stream timeout to silences, not to the whole stream', async () => {
    const slow = await startFakeOpenAiServer({ tokenIntervalMs: 40 });
    try {
      const p = make({ baseUrl: slow.url, timeoutMs: 150 });
      // 10 tokens at 40 ms: 400 ms in all, never 150 ms of silence.
      const chunks = await collect(p.stream(request('[mock:tokens:10]'), never));
      expect(chunks.at(-1)).toMatchObject({ finishReason: 'stop' });
      // A consumer slower than the timeout is not a provider timeout.
      const patient = make({ baseUrl: slow.url, timeoutMs: 100 });
      let last: ChatChunk | undefined;
      for await (const chunk of patient.stream(request('[mock:tokens:4]'), never)) {
        last = chunk;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(last).toMatchObject({ finishReason: 'stop' });
      const stalled = make({ baseUrl: slow.url, timeoutMs: 20 });
      const error = await failure(collect(stalled.stream(request('[mock:tokens:10]'), never)));
      expect(error).toMatchObject({ errorClass: 'timeout', providerStatus: null });
    } finally {
      await slow.close();
    }
  });

  it('reports an unreachable server', async () => {
    const { server, url } = await listen(() => undefined);
    await stop(server); // the port is free again: nothing listens there
    const gone = make({ baseUrl: url });
    const error = await failure(gone.complete(request('hi'), never));
    expect(error).toMatchObject({ providerStatus: null, errorClass: 'provider_unreachable' });
    expect(error.message).toContain('ECONNREFUSED');
    await expect(failure(collect(gone.stream(request('hi'), never)))).resolves.toMatchObject({
      errorClass: 'provider_unreachable',
    });
  });

  it('reports a connection lost mid-stream', async () => {
    const chunks: ChatChunk[] = [];
    const run = (async () => {
      for await (const chunk of provider.stream(request('[mock:drop:4]'), never)) chunks.push(chunk);
    })();
    const error = await failure(run);
    expect(error).toMatchObject({ providerStatus: null, errorClass: 'provider_unreachable' });
    expect(error.message).toMatch(/lost/);
    expect(chunks).toHaveLength(4);
    await expect(failure(provider.complete(request('[mock:drop:4]'), never))).resolves.toMatchObject({
      errorClass: 'provider_unreachable',
    });
  });

  it('rethrows the caller abort as an AbortError, before or during the call', async () => {
    await expect(provider.complete(request('hi'), AbortSignal.abort())).rejects.toMatchObject({
      name: 'AbortError',
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expect(provider.complete(request('[mock:delay:3000]'), controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });

    const slow = await startFakeOpenAiServer({ tokenIntervalMs: 300 });
    try {
      const streaming = new AbortController();
      const stream = make({ baseUrl: slow.url, apiKey: undefined }).stream(
        request('[mock:tokens:50]'),
        streaming.signal,
      );
      const iterator = stream[Symbol.asyncIterator]();
      await iterator.next();
      streaming.abort();
      const abortedAt = Date.now();
      await expect(iterator.next()).rejects.toMatchObject({ name: 'AbortError' });
      expect(Date.now() - abortedAt).toBeLessThan(200); // not waiting for the next token
    } finally {
      await slow.close();
    }
  });
});

describe('OpenAiCompatibleProvider against hand-written servers', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(stop));
  });

  async function serve(handler: RequestListener): Promise<OpenAiCompatibleProvider> {
    const { url, server } = await listen(handler);
    servers.push(server);
    return new OpenAiCompatibleProvider({
      id: 'compat',
      baseUrl: `${url}/`,
      apiKey: API_KEY,
      models: () => true,
      timeoutMs: 2_000,
    });
  }

  it('redacts the API key when a server echoes it in an error', async () => {
    const p = await serve((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `bad key ${req.headers.authorization}` } }));
    });
    const error = await failure(p.complete(request('hi'), never));
    expect(error.message).toBe('bad key Bearer [redacted]');
    expect(error.stack).not.toContain(API_KEY);
  });

  it('falls back to the raw body or the status when the error body is not OpenAI-shaped', async () => {
    const p = await serve((req, res) => {
      res.writeHead(req.headers['x-empty'] ? 502 : 503);
      res.end(req.headers['x-empty'] ? '' : 'upstream overloaded');
    });
    expect(await failure(p.complete(request('hi'), never))).toMatchObject({
      message: 'upstream overloaded',
      providerStatus: 503,
    });
    const empty = new OpenAiCompatibleProvider({
      id: 'compat',
      baseUrl: `http://127.0.0.1:${(servers[0].address() as AddressInfo).port}/v1`,
      models: () => true,
      timeoutMs: 2_000,
      headers: { 'x-empty': '1' },
    });
    expect(await failure(empty.complete(request('hi'), never))).toMatchObject({
      message: 'HTTP 502',
      providerStatus: 502,
    });
  });

  it('maps usage details (cached and reasoning tokens) and omits the header without a key', async () => {
    let authorization: string | undefined = 'unset';
    const { url, server } = await listen((req, res) => {
      authorization = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: {
            prompt_tokens: 100,
            completion_tokens: 40,
            total_tokens: 140,
            prompt_tokens_details: { cached_tokens: 64 },
            completion_tokens_details: { reasoning_tokens: 32 },
          },
        }),
      );
    });
    servers.push(server);
    const p = new OpenAiCompatibleProvider({
      id: 'compat',
      baseUrl: url,
      models: () => true,
      timeoutMs: 2_000,
    });
    expect(await p.complete(request('hi'), never)).toEqual({
      content: 'ok',
      finishReason: 'stop',
      usage: { inputTokens: 100, outputTokens: 40, totalTokens: 140, cachedTokens: 64, reasoningTokens: 32 },
    });
    expect(authorization).toBeUndefined();
  });

  it('rejects invalid JSON in a 200 response', async () => {
    const p = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>oops</html>');
    });
    expect(await failure(p.complete(request('hi'), never))).toMatchObject({
      errorClass: 'provider_error',
      providerStatus: 200,
    });
  });

  it('parses a stream written byte by byte, with comments and CRLF, and usage details', async () => {
    const events = [
      ': OPENROUTER PROCESSING',
      'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}',
      'data: {"choices":[{"index":0,"delta":{"content":"Héllo"},"finish_reason":null}]}',
      'data: {"choices":[{"index":0,"delta":{"content":" wörld 😀"},"finish_reason":null}]}',
      'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
      'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8,"prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":1}}}',
      'data: [DONE]',
    ];
    const body = Buffer.from(events.map((e) => `${e}\r\n\r\n`).join(''));
    const p = await serve(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const byte of body) {
        res.write(Buffer.from([byte]));
        if (byte === 0x7b) await new Promise((r) => setImmediate(r));
      }
      res.end();
    });
    expect(await collect(p.stream(request('hi'), never))).toEqual([
      { contentDelta: 'Héllo' },
      { contentDelta: ' wörld 😀' },
      {
        finishReason: 'stop',
        usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8, cachedTokens: 2, reasoningTokens: 1 },
      },
    ]);
  });

  it('fails on an error event mid-stream and on a stream cut before completion', async () => {
    const p = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\n\n');
      if (req.headers['x-cut']) return void res.end();
      res.end('data: {"error":{"message":"overloaded mid-stream","type":"server_error"}}\n\n');
    });
    expect(await failure(collect(p.stream(request('hi'), never)))).toMatchObject({
      message: 'overloaded mid-stream',
      errorClass: 'provider_error',
    });
    const cut = new OpenAiCompatibleProvider({
      id: 'compat',
      baseUrl: `http://127.0.0.1:${(servers[0].address() as AddressInfo).port}/v1`,
      models: () => true,
      timeoutMs: 2_000,
      headers: { 'x-cut': '1' },
    });
    expect(await failure(collect(cut.stream(request('hi'), never)))).toMatchObject({
      message: 'Stream from compat ended before completion',
      errorClass: 'provider_error',
    });
  });

  it('accepts a stream that ends after its finish reason without [DONE], with zero usage', async () => {
    const p = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}\n\n');
    });
    expect(await collect(p.stream(request('hi'), never))).toEqual([
      { contentDelta: 'a' },
      {
        finishReason: 'stop',
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedTokens: 0, reasoningTokens: 0 },
      },
    ]);
  });

  it('cancels the HTTP request when the consumer stops iterating', async () => {
    let closed!: () => void;
    const requestClosed = new Promise<void>((resolve) => (closed = resolve));
    const p = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\n\n');
      res.on('close', closed);
      void req;
    });
    for await (const chunk of p.stream(request('hi'), never)) {
      expect(chunk).toEqual({ contentDelta: 'a' });
      break;
    }
    await requestClosed;
  });
});
