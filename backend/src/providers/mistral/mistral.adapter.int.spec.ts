import { startFakeMistralServer, type FakeMistralServer } from '../../../test/support/fakes/mistral-server';
import { UpstreamHttp } from '../http/upstream-http';
import type { ProviderCredential, UpstreamResponse } from '../upstream';
import { mistralChat } from '../wire/mistral-chat/mistral-chat.format';
import { MistralAdapter } from './mistral.adapter';

describe('MistralAdapter against the fake Mistral server', () => {
  let mistral: FakeMistralServer;
  const http = new UpstreamHttp();
  const adapter = new MistralAdapter(http);
  let credential: ProviderCredential;

  beforeAll(async () => {
    mistral = await startFakeMistralServer({ apiKey: 'mistral-secret' });
    credential = { id: 'env:mistral', baseUrl: mistral.url, apiKey: 'mistral-secret' };
  });
  afterAll(async () => {
    await http.onModuleDestroy();
    await mistral.close();
  });

  const call = (body: unknown, stream = false): Promise<UpstreamResponse> =>
    adapter.call({
      model: 'mistral-small-latest',
      body,
      stream,
      headers: {},
      credential,
      signal: new AbortController().signal,
    });

  it('sends a translated hub request Mistral accepts (seed, max tokens, foreign tool-call ids)', async () => {
    const body = mistralChat.fromChatRequest({
      model: 'mistral-small-latest',
      seed: 3,
      max_completion_tokens: 50,
      stream_options: { include_usage: true },
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'toolu_01ABC', type: 'function', function: { name: 'w', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'toolu_01ABC', content: 'sunny' },
        { role: 'user', content: 'And tomorrow? [mock:tool:w]' },
      ],
    });
    const response = await call(body);
    expect(mistral.requests.at(-1)!.headers.authorization).toBe('Bearer mistral-secret');
    const completion = mistralChat.toChatCompletion(
      JSON.parse(response.kind === 'json' ? response.body.toString() : '{}'),
    );
    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: { tool_calls: [{ function: { name: 'w' } }] },
    });
    expect(completion.choices[0].message.tool_calls![0].id).toMatch(/^[A-Za-z0-9]{9}$/);
  });

  it('streams: the decoder gives the text and a separate usage chunk', async () => {
    const response = await call(
      mistralChat.fromChatRequest({
        model: 'mistral-small-latest',
        stream: true,
        messages: [{ role: 'user', content: 'x [mock:tokens:3]' }],
      }),
      true,
    );
    expect(response.kind).toBe('sse');
    let raw = '';
    if (response.kind === 'sse')
      for await (const chunk of response.bytes) raw += Buffer.from(chunk).toString();
    const decoder = mistralChat.streamDecoder();
    const chunks = raw
      .split('\n\n')
      .filter((e) => e.startsWith('data: ') && e !== 'data: [DONE]')
      .flatMap((e) => decoder.push({ event: 'message', data: JSON.parse(e.slice(6)) as unknown }));
    expect(chunks.flatMap((c) => c.choices.map((x) => x.delta.content ?? '')).join('')).toMatch(
      /^Mock reply/,
    );
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });
  });

  it('throws Mistral’s refusal of an OpenAI-only field with its body', async () => {
    await expect(
      call({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'x' }], seed: 1 }),
    ).rejects.toMatchObject({
      providerStatus: 422,
      providerBody: { format: 'mistral-chat', text: expect.stringContaining('extra_forbidden') },
    });
  });
});
