import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../../test/support/fake-openai-server';
import { UpstreamHttp } from '../http/upstream-http';
import { OpenAiAdapter } from '../openai/openai.adapter';
import { OpenAiResponsesAdapter } from './openai-responses.adapter';
import { OPENAI_COMPATIBLE_PRESETS } from './presets';

describe('the OpenAI-compatible family against the fake OpenAI server', () => {
  let fake: FakeOpenAiServer;
  const http = new UpstreamHttp();

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ apiKey: 'compat-key' });
  });
  afterAll(async () => {
    await http.onModuleDestroy();
    await fake.close();
  });

  it.each(OPENAI_COMPATIBLE_PRESETS.map((preset) => [preset.id]))(
    '%s passes an OpenAI body through under its own id',
    async (id) => {
      const raw = Buffer.from(
        `{"model":"m-${id}","messages":[{"role":"user","content":"hi ${id}"}],"top_k":40}`,
      );
      const response = await new OpenAiAdapter(http, { id }).call({
        model: `m-${id}`,
        body: JSON.parse(raw.toString()) as unknown,
        rawBody: raw,
        stream: false,
        headers: {},
        credential: { id: `env:${id}`, baseUrl: fake.url, apiKey: 'compat-key' },
        signal: new AbortController().signal,
      });
      const sent = fake.requests.at(-1)!;
      expect(sent.path).toBe('/v1/chat/completions');
      expect(sent.body).toMatchObject({ model: `m-${id}`, top_k: 40 });
      expect(response.kind === 'json' && JSON.parse(response.body.toString())).toMatchObject({
        model: `m-${id}`,
      });
    },
  );

  it('every preset has an https base URL, or a local one when self-hosted', () => {
    for (const preset of OPENAI_COMPATIBLE_PRESETS)
      expect(preset.baseUrl).toMatch(preset.selfHosted ? /^http:\/\/localhost:\d+\/v1$/ : /^https:\/\//);
  });

  it('the Responses transport streams OpenAI’s Responses events untouched', async () => {
    const response = await new OpenAiResponsesAdapter(http).call({
      model: 'gpt-4.1',
      body: { model: 'gpt-4.1', input: 'hello [mock:tokens:2]', stream: true },
      stream: true,
      headers: {},
      credential: { id: 'env:openai', baseUrl: fake.url, apiKey: 'compat-key' },
      signal: new AbortController().signal,
    });
    expect(fake.requests.at(-1)!.path).toBe('/v1/responses');
    let raw = '';
    if (response.kind === 'sse')
      for await (const chunk of response.bytes) raw += Buffer.from(chunk).toString();
    expect(raw.startsWith('event: response.created\n')).toBe(true);
    expect(raw).toContain('event: response.completed\n');
  });
});
