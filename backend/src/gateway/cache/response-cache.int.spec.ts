import { startGatewayApp } from '../../../test/support/gateway-app';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { GenerationCompleted, SightlineEvent } from '@sightline/schemas';
import { eventually } from '../../../test/support/events';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../../test/support/fake-openai-server';

/** The response cache through the gateway, in front of the fake OpenAI server. */
describe('the gateway response cache', () => {
  let fake: FakeOpenAiServer;
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  const recorded: SightlineEvent[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ apiKey: 'sk-upstream' });
    ({ app, base, apiKey } = await startGatewayApp(
      'cache',
      { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-upstream' },
      recorded,
    ));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const post = (body: object, cache?: string) =>
    fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${apiKey}`,
        ...(cache ? { 'x-sightline-cache': cache } : {}),
      },
      body: JSON.stringify(body),
    });
  const ask = (content: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });
  const completedOf = async (res: Response): Promise<GenerationCompleted> => {
    const spanId = res.headers.get('x-sightline-span-id');
    const found = await eventually(
      async () => recorded.find((e) => e.type === 'generation.completed' && e.spanId === spanId),
      (event) => event !== undefined,
    );
    return found as GenerationCompleted;
  };

  it('answers a repeated request from the cache without calling the provider, and records the hit', async () => {
    const first = await post(ask('cache me'), 'on');
    const answer = (await first.json()) as { choices: { message: { content: string } }[] };
    expect(first.headers.get('x-sightline-cache')).toBe('miss');
    const calls = fake.requests.length;

    const second = await post({ ...ask('cache me'), user: 'someone-else' }, 'max-age=60');
    const replayed = (await second.json()) as typeof answer & { id: string };
    expect(second.headers.get('x-sightline-cache')).toBe('hit');
    expect(fake.requests.length).toBe(calls);
    expect(replayed.choices[0]!.message.content).toBe(answer.choices[0]!.message.content);
    expect(replayed.id).toBe(`chatcmpl-${second.headers.get('x-sightline-span-id')}`);

    expect((await completedOf(first)).data.cacheHit).toBeUndefined();
    const hit = await completedOf(second);
    expect(hit.data.cacheHit).toBe(true);
    expect(hit.data.servedBy?.provider).toBe('openai');
    expect(hit.data.output.choices[0]!.content).toBe(answer.choices[0]!.message.content);
  });

  it('replays a cached answer as a stream, usage included when asked', async () => {
    const text = (await (await post(ask('stream me'), 'on')).json()) as {
      choices: { message: { content: string } }[];
    };
    const res = await post(
      { ...ask('stream me'), stream: true, stream_options: { include_usage: true } },
      'on',
    );
    expect(res.headers.get('x-sightline-cache')).toBe('hit');
    const events = (await res.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map(
      (e) =>
        JSON.parse(e.replace(/^data: /, '')) as {
          choices: { delta: { content?: string } }[];
          usage?: { total_tokens: number };
        },
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(
      text.choices[0]!.message.content,
    );
    expect(chunks.at(-1)!.usage!.total_tokens).toBeGreaterThan(0);
  });

  it('calls the provider when the request differs or the caller did not opt in', async () => {
    await post(ask('one'), 'on');
    const calls = fake.requests.length;
    expect((await post(ask('one'))).headers.get('x-sightline-cache')).toBeNull();
    expect((await post({ ...ask('one'), temperature: 0.5 }, 'on')).headers.get('x-sightline-cache')).toBe(
      'miss',
    );
    expect(fake.requests.length).toBe(calls + 2);
  });

  it('refuses a malformed cache header with 400 naming it, before calling the provider', async () => {
    const calls = fake.requests.length;
    const res = await post(ask('bad'), 'forever');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/x-sightline-cache/);
    expect(fake.requests.length).toBe(calls);
  });
});
