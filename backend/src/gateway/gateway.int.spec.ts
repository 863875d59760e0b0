import type { NestExpressApplication } from '@nestjs/platform-express';
import type {
  GenerationCompleted,
  GenerationFailed,
  GenerationRequested,
  SightlineEvent,
} from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { createApp } from '../create-app';
import { EventRecorder } from '../eventlog/event-recorder';
import { createTestProject } from '../../test/support/accounts';
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

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ apiKey: 'sk-upstream', retryAfterSeconds: 7 });
    app = await createApp(
      new AppConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-gateway-')),
        SIGHTLINE_UI_DIR: '',
        MOCK_TOKEN_INTERVAL_MS: '0',
        LOG_LEVEL: 'error',
        GATEWAY_RATE_LIMIT_RPS: '10000',
        OPENAI_BASE_URL: fake.url,
        OPENAI_API_KEY: 'sk-upstream',
        // What the provider answers reaches the caller as it is: no retry in between (routing/ tests those).
        SIGHTLINE_MAX_ATTEMPTS: '1',
      }),
    );
    ({ apiKey } = await createTestProject(app, 'gateway'));
    const recorder = app.get(EventRecorder);
    const record = recorder.record.bind(recorder);
    jest.spyOn(recorder, 'record').mockImplementation((events) => {
      recorded.push(...events);
      return record(events);
    });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
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
  async function eventsOf(
    res: Response,
  ): Promise<{ requested: GenerationRequested; ended: GenerationCompleted | GenerationFailed }> {
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
    expect(ended.type === 'generation.completed' && ended.data.output.toolCalls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"input":"weather in Paris"}' },
      },
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

  it('answers an unknown model with 404 in OpenAI’s shape and records nothing', async () => {
    const before = recorded.length;
    const res = await post({ model: 'nope-9', messages: user('x') });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'model_not_found', param: 'model' } });
    expect(recorded.length).toBe(before);
  });
});
