import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../../test/support/fake-openai-server';
import { UpstreamHttp } from '../http/upstream-http';
import type { ProviderCredential, UpstreamRequest } from '../upstream';
import { OpenAiAdapter } from './openai.adapter';

describe('OpenAiAdapter against the fake OpenAI server', () => {
  let fake: FakeOpenAiServer;
  const http = new UpstreamHttp();
  const adapter = new OpenAiAdapter(http);
  let credential: ProviderCredential;

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ apiKey: 'sk-adapter-secret' });
    credential = { id: 'env:openai', baseUrl: fake.url, apiKey: 'sk-adapter-secret' };
  });
  afterAll(async () => {
    await http.onModuleDestroy();
    await fake.close();
  });

  const request = (body: Record<string, unknown>, extra: Partial<UpstreamRequest> = {}): UpstreamRequest => ({
    model: String(body.model),
    body,
    stream: body.stream === true,
    headers: {},
    credential,
    signal: new AbortController().signal,
    ...extra,
  });
  const messages = [{ role: 'user', content: 'hi adapter' }];

  it('posts the raw bytes with the bearer key and returns the answer’s bytes and headers', async () => {
    const raw = Buffer.from(`{"model":"gpt-4o","messages":${JSON.stringify(messages)},"top_p":1.0}`);
    const response = await adapter.call(
      request({ model: 'gpt-4o', messages }, { rawBody: raw, headers: { 'openai-beta': 'x' } }),
    );
    const sent = fake.requests.at(-1)!;
    expect(sent).toMatchObject({ path: '/v1/chat/completions', raw: raw.toString() });
    expect(sent.headers).toMatchObject({ authorization: 'Bearer sk-adapter-secret', 'openai-beta': 'x' });
    expect(response.kind === 'json' && response.body.toString()).toBe(fake.sent.at(-1));
    expect(response.headers['x-request-id']).toMatch(/^req_/);
  });

  it('serialises the body when there are no raw bytes, and returns a stream as raw SSE bytes', async () => {
    const response = await adapter.call(request({ model: 'gpt-4o', messages, stream: true }));
    expect(response.kind).toBe('sse');
    let text = '';
    if (response.kind === 'sse')
      for await (const chunk of response.bytes) text += Buffer.from(chunk).toString();
    expect(text).toBe(fake.sent.at(-1));
  });

  it('throws the provider’s error with its status, body and retry hints, its key blanked out', async () => {
    const failure = adapter.call(
      request({ model: 'gpt-4o', messages: [{ role: 'user', content: '[mock:error:429]' }] }),
    );
    await expect(failure).rejects.toMatchObject({
      name: 'ProviderError',
      providerStatus: 429,
      providerHeaders: { 'retry-after': '1', 'x-ratelimit-reset-requests': '1s' },
      providerBody: { format: 'openai-chat', text: expect.stringContaining('"code":"rate_limit_exceeded"') },
    });
    const wrongKey = adapter.call(
      request(
        { model: 'gpt-4o', messages },
        { credential: { ...credential, apiKey: 'sk-wrong-key-123456' } },
      ),
    );
    const error = (await wrongKey.catch((e: unknown) => e)) as Error & { providerBody: { text: string } };
    expect(error).toMatchObject({ providerStatus: 401 });
    expect(`${error.message} ${error.providerBody.text}`).not.toContain('sk-wrong-key-123456');
  });

  it('is provider_unreachable when nothing listens, naming the cause', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const failure = adapter.call(
      request(
        { model: 'gpt-4o', messages },
        { credential: { ...credential, baseUrl: `http://127.0.0.1:${port}/v1` } },
      ),
    );
    await expect(failure).rejects.toMatchObject({
      errorClass: 'provider_unreachable',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('rejects with the caller’s abort reason when aborted while waiting', async () => {
    const controller = new AbortController();
    const pending = adapter.call(
      request(
        { model: 'gpt-4o', messages: [{ role: 'user', content: '[mock:delay:5000]' }] },
        { signal: controller.signal },
      ),
    );
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
