import { runMockModel } from '../../src/providers/mock/mock-model';
import { startFakeOpenAiServer, type FakeOpenAiServer } from './fake-openai-server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('fake OpenAI server', () => {
  let fake: FakeOpenAiServer;
  beforeAll(async () => {
    fake = await startFakeOpenAiServer();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });

  const post = (body: unknown, path = '/chat/completions'): Promise<Response> =>
    fetch(`${fake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer anything' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const messages = [{ role: 'user', content: 'Hello fake' }];

  function sseData(text: string): string[] {
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    return text
      .split('\n\n')
      .filter(Boolean)
      .map((event) => {
        expect(event.startsWith('data: ')).toBe(true);
        return event.slice(6);
      });
  }

  it('listens on a random port with a /v1 base URL', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(fake.url).toContain(`:${fake.port}/`);
  });

  it('answers a chat.completion in OpenAI wire format, and records the request', async () => {
    const response = await post({ model: 'gpt-4o', messages, max_tokens: 5 });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as Json;
    const expected = runMockModel({ messages, params: { max_tokens: 5 } });
    if (expected.kind !== 'reply') throw new Error('expected a reply');
    expect(body).toEqual({
      id: expect.stringMatching(/^chatcmpl-[\w-]+$/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'gpt-4o',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: expected.content, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: 'length',
        },
      ],
      usage: {
        prompt_tokens: expected.usage.inputTokens,
        completion_tokens: 5,
        total_tokens: expected.usage.inputTokens + 5,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: expect.any(String),
    });
    expect(Math.abs(body.created - Date.now() / 1000)).toBeLessThan(5);
    expect(fake.requests).toEqual([
      {
        method: 'POST',
        path: '/v1/chat/completions',
        headers: expect.objectContaining({ authorization: 'Bearer anything' }),
        body: { model: 'gpt-4o', messages, max_tokens: 5 },
        raw: JSON.stringify({ model: 'gpt-4o', messages, max_tokens: 5 }),
      },
    ]);
  });

  it('streams chat.completion.chunk events, a usage chunk when asked, then [DONE]', async () => {
    const response = await post({
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const chunks = sseData(await response.text());
    expect(chunks.pop()).toBe('[DONE]');
    const parsed = chunks.map((c) => JSON.parse(c) as Json);
    const expected = runMockModel({ messages });
    if (expected.kind !== 'reply') throw new Error('expected a reply');
    expect(new Set(parsed.map((c) => c.id)).size).toBe(1);
    expect(parsed.every((c) => c.object === 'chat.completion.chunk' && c.model === 'gpt-4o')).toBe(true);
    expect(parsed[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    const content = parsed.slice(1, -2).map((c) => c.choices[0].delta.content as string);
    expect(content).toEqual(expected.tokens);
    expect(parsed.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(parsed.at(-2)?.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
    expect(parsed.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: expected.usage.inputTokens, completion_tokens: expected.tokens.length },
    });
  });

  it('sends no usage field or chunk without include_usage', async () => {
    const chunks = sseData(await (await post({ model: 'gpt-4o', messages, stream: true })).text());
    chunks.pop();
    const parsed = chunks.map((c) => JSON.parse(c) as Json);
    expect(parsed.some((c) => 'usage' in c)).toBe(false);
    expect(parsed.at(-1)?.choices[0].finish_reason).toBe('stop');
  });

  it('paces streamed tokens at tokenIntervalMs and closes with streams open', async () => {
    const slow = await startFakeOpenAiServer({ tokenIntervalMs: 30 });
    const response = await fetch(`${slow.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'm',
        messages: [{ role: 'user', content: '[mock:tokens:4]' }],
        stream: true,
      }),
    });
    const started = Date.now();
    const text = await response.text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 30 - 10);
    expect(sseData(text)).toHaveLength(1 + 4 + 1 + 1);

    const open = await fetch(`${slow.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'm',
        messages: [{ role: 'user', content: '[mock:tokens:1000]' }],
        stream: true,
      }),
    });
    expect(open.status).toBe(200);
    const closing = Date.now();
    await slow.close();
    expect(Date.now() - closing).toBeLessThan(500);
    await expect(open.text()).rejects.toThrow();
  });

  it('answers [mock:error:<status>] with an OpenAI error body', async () => {
    const response = await post({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x [mock:error:429]' }],
    });
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({
      error: {
        message: 'Mock error 429 requested by [mock:error:429]',
        type: 'requests',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    const streamed = await post({
      model: 'gpt-4o',
      stream: true,
      messages: [{ role: 'user', content: '[mock:error:500]' }],
    });
    expect(streamed.status).toBe(500);
    expect(((await streamed.json()) as Json).error).toMatchObject({ type: 'server_error' });
  });

  it.each([
    [
      'invalid JSON',
      '{"model":',
      400,
      { param: null, code: null, message: expect.stringMatching(/could not parse the JSON body/) },
    ],
    ['no model', { messages }, 400, { message: 'you must provide a model parameter', param: null }],
    ['no messages', { model: 'm' }, 400, { param: 'messages', code: 'missing_required_parameter' }],
    ['empty messages', { model: 'm', messages: [] }, 400, { param: 'messages', code: 'empty_array' }],
    [
      'a bad role',
      { model: 'm', messages: [{ role: 'robot', content: 'x' }] },
      400,
      {
        message:
          "Invalid value: 'robot'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.",
        param: 'messages[0].role',
        code: 'invalid_value',
      },
    ],
    [
      'bad content',
      { model: 'm', messages: [{ role: 'user', content: 3 }] },
      400,
      { param: 'messages[0].content', code: 'invalid_type' },
    ],
    [
      'max_tokens 0',
      { model: 'm', messages, max_tokens: 0 },
      400,
      { param: 'max_tokens', code: 'integer_below_min_value' },
    ],
    [
      'stream_options alone',
      { model: 'm', messages, stream_options: { include_usage: true } },
      400,
      { param: 'stream_options' },
    ],
  ])('rejects a malformed request: %s', async (_name, body, status, error: Json) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({
      error: {
        message: expect.any(String),
        type: 'invalid_request_error',
        param: null,
        code: null,
        ...error,
      },
    });
  });

  it('answers unknown routes with 404 and lists its models', async () => {
    const response = await post({}, '/completions');
    expect(response.status).toBe(404);
    expect(((await response.json()) as Json).error.message).toBe('Invalid URL (POST /v1/completions)');
    const models = (await (await fetch(`${fake.url}/models`)).json()) as Json;
    expect(models.data.map((m: Json) => m.id)).toEqual(['mock-1', 'mock-large']);
  });

  it('checks the API key when configured, showing it masked', async () => {
    const locked = await startFakeOpenAiServer({ apiKey: 'sk-right-key-0000' });
    try {
      const call = (key?: string): Promise<Response> =>
        fetch(`${locked.url}/chat/completions`, {
          method: 'POST',
          headers: key ? { authorization: `Bearer ${key}` } : {},
          body: JSON.stringify({ model: 'm', messages }),
        });
      expect((await call('sk-right-key-0000')).status).toBe(200);
      const wrong = await call('sk-wrong-key-1234');
      expect(wrong.status).toBe(401);
      const { error } = (await wrong.json()) as Json;
      expect(error).toMatchObject({
        code: 'invalid_api_key',
        message: expect.stringContaining('sk-********1234'),
      });
      expect((await call()).status).toBe(401);
    } finally {
      await locked.close();
    }
  });
});
