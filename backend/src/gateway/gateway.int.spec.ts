import { startGatewayApp } from '../../test/support/gateway-app';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type {
  GenerationCancelled,
  GenerationCompleted,
  GenerationFailed,
  GenerationRequested,
  SightlineEvent,
} from '@sightline/schemas';
import { request } from 'node:http';
import { eventually } from '../../test/support/events';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';

/**
 * The gateway as a faithful proxy, against the fake OpenAI server: what the caller sends reaches the
 * provider unchanged, what the provider answers reaches the caller unchanged, and what happened is
 * recorded (tapped from the events the app records).
 */
describe('the gateway in front of OpenAI', () => {
  let fake: FakeOpenAiServer;
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  const recorded: SightlineEvent[] = [];
  /** Read by the fake at each request: a test may switch usage off. */
  const upstream = { apiKey: 'sk-upstream', retryAfterSeconds: 7, tokenIntervalMs: 0, omitUsage: false };

  beforeAll(async () => {
    fake = await startFakeOpenAiServer(upstream);
    ({ app, base, apiKey } = await startGatewayApp(
      'gateway',
      {
        OPENAI_BASE_URL: fake.url,
        OPENAI_API_KEY: 'sk-upstream',
        // What the provider answers reaches the caller as it is: no retry in between (routing/ tests those).
        SIGHTLINE_MAX_ATTEMPTS: '1',
        GATEWAY_MAX_BODY_BYTES: String(64 * 1024),
      },
      recorded,
    ));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  /** The events recorded for the call answered by `res`, once its end is recorded. */
  async function eventsOf(res: Response): Promise<{
    requested: GenerationRequested;
    ended: GenerationCompleted | GenerationFailed | GenerationCancelled;
  }> {
    const spanId = res.headers.get('x-sightline-span-id');
    const mine = await eventually(
      async () => recorded.filter((e) => e.spanId === spanId),
      (events) => events.length === 2,
    );
    return {
      requested: mine[0] as GenerationRequested,
      ended: mine[1] as GenerationCompleted | GenerationFailed,
    };
  }

  const user = (content: string) => [{ role: 'user', content }];

  it('sends the caller’s bytes unchanged and answers with the provider’s bytes and headers', async () => {
    // Unknown fields and number spellings survive: the body is not re-serialised.
    const text = `{"model":"gpt-4o-mini","messages":${JSON.stringify(user('bytes please'))},"temperature":1.0,"x_unknown":{"a":[1e2]}}`;
    const res = await post(text);
    expect(res.status).toBe(200);
    expect(fake.requests.at(-1)!.raw).toBe(text);
    expect(await res.text()).toBe(fake.sent.at(-1));
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    const { requested, ended } = await eventsOf(res);
    expect(requested.data).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
      params: { temperature: 1, x_unknown: { a: [100] } },
    });
    expect(ended.type).toBe('generation.completed');
  });

  it('rewrites only the model when the provider’s name differs', async () => {
    const text = `{"messages":${JSON.stringify(user('prefixed'))},"model":"openai/gpt-4o-mini","seed":7}`;
    const res = await post(text);
    expect(res.status).toBe(200);
    expect(fake.requests.at(-1)!.raw).toBe(text.replace('"openai/gpt-4o-mini"', '"gpt-4o-mini"'));
    const { requested, ended } = await eventsOf(res);
    expect(requested.data.model).toBe('openai/gpt-4o-mini');
    expect(ended.data.servedBy).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
  });

  it('returns every choice of n: 2 with logprobs, service tier and system fingerprint', async () => {
    const res = await post({ model: 'gpt-4o', n: 2, logprobs: true, messages: user('two answers') });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      choices: { index: number; logprobs: { content: unknown[] } }[];
      service_tier: string;
      system_fingerprint: string;
    };
    expect(body.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(body.choices[1].logprobs.content.length).toBeGreaterThan(0);
    expect(body).toMatchObject({ service_tier: 'default', system_fingerprint: 'fp_sightline' });
  });

  it('streams the provider’s bytes, leaving out the usage chunk the caller did not ask for', async () => {
    const res = await post({ model: 'gpt-4o', stream: true, messages: user('stream me') });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const received = await res.text();
    expect(fake.requests.at(-1)!.body).toMatchObject({ stream_options: { include_usage: true } });
    const sent = fake.sent.at(-1)!.split('\n\n');
    const usage = sent.filter((e) => e.includes('"choices":[]'));
    expect(usage).toHaveLength(1);
    expect(received).toBe(sent.filter((e) => e !== usage[0]).join('\n\n'));
    const { ended } = await eventsOf(res);
    expect(ended).toMatchObject({ type: 'generation.completed', data: { usage: { inputTokens: 2 } } });
  });

  it('streams byte for byte when the caller asked for usage', async () => {
    const res = await post({
      model: 'gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      messages: user('usage too'),
    });
    expect(await res.text()).toBe(fake.sent.at(-1));
  });

  it('records a streamed tool call, sent as id/name then argument fragments, as one whole call', async () => {
    const res = await post({
      model: 'gpt-4o',
      stream: true,
      messages: user('weather in Paris [mock:tool:get_weather]'),
    });
    await res.text();
    const { ended } = await eventsOf(res);
    expect(ended.type === 'generation.completed' && ended.data.output.choices[0].toolCalls).toEqual([
      { id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: '{"input":"weather in Paris"}' },
    ]);
  });

  it('passes a 429 with the provider’s retry-after, rate-limit headers and own error body', async () => {
    const res = await post({ model: 'gpt-4o', messages: user('[mock:error:429]') });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('x-ratelimit-reset-requests')).toBe('1s');
    expect(await res.text()).toBe(fake.sent.at(-1));
    const { ended } = await eventsOf(res);
    expect(ended).toMatchObject({ type: 'generation.failed', data: { providerStatus: 429 } });
  });

  it('forwards a 300-character user and records it truncated', async () => {
    const long = 'u'.repeat(300);
    const res = await post({ model: 'gpt-4o', user: long, messages: user('who am i') });
    expect(res.status).toBe(200);
    expect(fake.requests.at(-1)!.body).toMatchObject({ user: long });
    const { requested } = await eventsOf(res);
    expect(requested.endUserId).toBe(long.slice(0, 256));
    expect(requested.data.user).toBe(long);
  });

  it('records every choice of n: 2', async () => {
    const res = await post({ model: 'gpt-4o', n: 2, stream: true, messages: user('both of them') });
    const text = await res.text();
    const { ended } = await eventsOf(res);
    if (ended.type !== 'generation.completed') throw new Error(ended.type);
    const contents = ended.data.output.choices.map((choice) => choice.content);
    expect(contents).toHaveLength(2);
    expect(contents[0]).not.toBe(contents[1]);
    for (const content of contents)
      expect(text).toContain(JSON.stringify(content!.split(' ').at(-1)).slice(1, -1));
  });

  it('keeps a provider error sent mid-stream as the provider sent it, and records the partial output', async () => {
    const res = await post({ model: 'gpt-4o', stream: true, messages: user('[mock:fail:3] partial please') });
    const text = await res.text();
    expect(text).toBe(fake.sent.at(-1));
    expect(text).toContain('"type":"server_error"');
    const { ended } = await eventsOf(res);
    if (ended.type !== 'generation.failed') throw new Error(ended.type);
    expect(ended.data).toMatchObject({
      errorClass: 'provider_error',
      output: { choices: [{ index: 0, content: 'Mock reply to:' }] },
      usage: { source: 'estimated', outputTokens: expect.any(Number) },
    });
    expect(ended.data.usage!.outputTokens).toBeGreaterThan(0);
  });

  it('ends the stream with an OpenAI error event when the provider’s connection is cut, keeping what arrived', async () => {
    const res = await post({ model: 'gpt-4o', stream: true, messages: user('[mock:drop:2] cut me') });
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(JSON.parse(events.at(-1)!.slice('data: '.length))).toMatchObject({
      error: { type: 'api_error', code: 'provider_unreachable' },
    });
    const { ended } = await eventsOf(res);
    expect(ended).toMatchObject({
      type: 'generation.failed',
      data: { errorClass: 'provider_unreachable', output: { choices: [{ content: 'Mock reply' }] } },
    });
  });

  it('records a call the client abandoned mid-stream as cancelled, with the tokens so far', async () => {
    upstream.tokenIntervalMs = 40;
    const responses = fake.sent.length;
    try {
      const controller = new AbortController();
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: user('[mock:tokens:200] go on') }),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      let seen = '';
      // The role chunk, then three tokens: `Mock`, ` reply`, ` to:`.
      while (seen.split('"content":').length <= 4)
        seen += Buffer.from((await reader.read()).value!).toString();
      controller.abort();
      const { ended } = await eventsOf(res);
      if (ended.type !== 'generation.cancelled') throw new Error(ended.type);
      expect(ended.data.reason).toBe('client_disconnected');
      expect(ended.data.output!.choices[0].content).toMatch(/^Mock reply to:/);
      expect(ended.data.usage).toMatchObject({ source: 'estimated' });
      // The upstream call was cancelled too: the fake stopped writing long before 200 tokens.
      const sent = await eventually(
        async () => fake.sent.slice(responses),
        (all) => all.length === 1,
      );
      expect(sent[0].split('\n\n').length).toBeLessThan(50);
    } finally {
      upstream.tokenIntervalMs = 0;
    }
  });

  it('records usage an upstream did not report as estimated, not as zero', async () => {
    upstream.omitUsage = true;
    try {
      const res = await post({ model: 'gpt-4o', stream: true, messages: user('count yourself') });
      expect(await res.text()).not.toContain('"usage"');
      const { ended } = await eventsOf(res);
      expect(ended).toMatchObject({ type: 'generation.completed', data: { usage: { source: 'estimated' } } });
      expect(ended.type === 'generation.completed' && ended.data.usage.outputTokens).toBeGreaterThan(0);
    } finally {
      upstream.omitUsage = false;
    }
  });

  it('records the trace context of its headers', async () => {
    const res = await post(
      { model: 'gpt-4o', messages: user('traced') },
      {
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        'x-sightline-session-id': 'session-42',
        'x-sightline-user-id': 'user-7',
        'x-sightline-tags': 'checkout, beta',
        'x-sightline-metadata': '{"tenant":"acme","attempt":2}',
      },
    );
    expect(res.headers.get('x-sightline-trace-id')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const { requested } = await eventsOf(res);
    expect(requested).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentSpanId: '00f067aa0ba902b7',
      endUserId: 'user-7',
      data: {
        sessionId: 'session-42',
        tags: ['checkout', 'beta'],
        metadata: { tenant: 'acme', attempt: '2' },
      },
    });
  });

  it('records non-ASCII trace headers as the UTF-8 text the caller sent', async () => {
    // fetch sends a header string's characters as bytes, as curl sends UTF-8 text.
    const wire = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
    const res = await post(
      { model: 'gpt-4o', messages: user('unicode') },
      {
        'x-sightline-session-id': wire('会話-1'),
        'x-sightline-user-id': wire('user-ü'),
        'x-sightline-tags': wire('café'),
        'x-sightline-metadata': wire('{"city":"Zürich"}'),
      },
    );
    expect(res.status).toBe(200);
    const { requested } = await eventsOf(res);
    expect(requested).toMatchObject({
      endUserId: 'user-ü',
      data: { sessionId: '会話-1', tags: ['café'], metadata: { city: 'Zürich' } },
    });
  });

  it.each([
    ['traceparent', '00-xyz-00f067aa0ba902b7-01'],
    ['x-sightline-metadata', '["not", "an object"]'],
    ['x-sightline-trace-id', 'has spaces'],
    ['x-sightline-fallbacks', 'a, b, c, d, e, f'],
  ])('refuses an invalid %s header with 400 naming it, before calling the provider', async (name, value) => {
    const calls = fake.requests.length;
    const res = await post({ model: 'gpt-4o', messages: user('x') }, { [name]: value });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { param: name, message: expect.stringContaining(name) },
    });
    expect(fake.requests.length).toBe(calls);
  });

  it('answers a provider that cannot be reached with 502 and records it failed', async () => {
    const res = await post({ model: 'gpt-4o', messages: user('[mock:drop:0] gone') });
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: { code: 'provider_unreachable' } });
    const { ended } = await eventsOf(res);
    expect(ended).toMatchObject({
      type: 'generation.failed',
      data: { errorClass: 'provider_unreachable', output: null },
    });
  });

  it('answers a body over the cap with 413, declared or sent in chunks, and a broken one with 400', async () => {
    const big = JSON.stringify({ model: 'gpt-4o-mini', messages: user('x'.repeat(70 * 1024)) });
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      // No content-length: the cap is found while reading.
      for (let i = 0; i < 70; i++) req.write(big.slice(i * 1024, (i + 1) * 1024));
      req.end(big.slice(70 * 1024));
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: { type: 'invalid_request_error' } });
    const broken = await post('{"model": "gpt-4o-mini", "messages": [');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('answers an unknown model with 404 in OpenAI’s shape and records nothing', async () => {
    const before = recorded.length;
    const res = await post({ model: 'nope-9', messages: user('x') });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'model_not_found', param: 'model' } });
    expect(recorded.length).toBe(before);
  });
});
