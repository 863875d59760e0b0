import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeGeminiServer, type FakeGeminiServer } from '../../../test/support/fakes/gemini-server';
import { UpstreamHttp } from '../http/upstream-http';
import { SseParser } from '../wire/sse';
import type { ProviderCredential, UpstreamRequest, UpstreamResponse } from '../upstream';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../wire/chat-completions';
import { gemini } from '../wire/gemini/gemini.format';
import { endpoint, GeminiAdapter } from './gemini.adapter';

const KEY = 'AIzaSy-gemini-adapter-secret';

describe('GeminiAdapter against the fake Gemini server', () => {
  let fake: FakeGeminiServer;
  const http = new UpstreamHttp();
  const adapter = new GeminiAdapter(http);
  let credential: ProviderCredential;

  beforeAll(async () => {
    fake = await startFakeGeminiServer({ apiKey: KEY, retryDelaySeconds: 7 });
    credential = { id: 'env:gemini', baseUrl: fake.url, apiKey: KEY };
  });
  afterAll(async () => {
    await http.onModuleDestroy();
    await fake.close();
  });

  /** The hub request translated as the gateway does, then sent. */
  const call = (
    hub: Omit<ChatCompletionRequest, 'model'>,
    extra: Partial<UpstreamRequest> = {},
  ): Promise<UpstreamResponse> =>
    adapter.call({
      model: 'gemini-2.5-flash',
      body: gemini.fromChatRequest({ ...hub, model: 'gemini-2.5-flash' } as ChatCompletionRequest),
      stream: hub.stream === true,
      headers: {},
      credential,
      signal: new AbortController().signal,
      ...extra,
    });

  const json = (response: UpstreamResponse): unknown => {
    if (response.kind !== 'json') throw new Error(`expected a JSON answer, got ${response.kind}`);
    return JSON.parse(response.body.toString()) as unknown;
  };

  /** Reads raw SSE bytes, decoded to hub chunks as the gateway does. */
  const chunksOf = async (
    response: UpstreamResponse,
  ): Promise<{ raw: string; chunks: ChatCompletionChunk[] }> => {
    if (response.kind !== 'sse') throw new Error(`expected SSE, got ${response.kind}`);
    const parser = new SseParser();
    const decoder = gemini.streamDecoder();
    const chunks: ChatCompletionChunk[] = [];
    let raw = '';
    for await (const bytes of response.bytes) {
      raw += Buffer.from(bytes).toString();
      for (const e of parser.push(bytes))
        chunks.push(...decoder.push({ event: e.event, data: JSON.parse(e.data) }));
    }
    for (const e of parser.end()) chunks.push(...decoder.push({ event: e.event, data: JSON.parse(e.data) }));
    return { raw, chunks: [...chunks, ...decoder.end()] };
  };

  const messages = [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'hello gemini adapter' },
  ];

  it('posts to models/{model}:generateContent with the key in x-goog-api-key, never in the URL', async () => {
    const response = await call({ messages, max_tokens: 50 });

    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(sent.headers['x-goog-api-key']).toBe(KEY);
    expect(sent.path).not.toContain(KEY);
    const completion = gemini.toChatCompletion(json(response));
    expect(completion.model).toBe('gemini-2.5-flash');
    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'stop',
      message: { content: expect.stringMatching(/^Mock reply to: hello gemini adapter/) },
    });
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it('streams from :streamGenerateContent?alt=sse as raw CRLF-framed events that decode to the same answer', async () => {
    const whole = gemini.toChatCompletion(json(await call({ messages })));
    const { raw, chunks } = await chunksOf(await call({ messages, stream: true }));

    expect(fake.requests.at(-1)!.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(raw.startsWith('data: {"candidates"')).toBe(true);
    expect(raw.endsWith('\r\n\r\n')).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(
      whole.choices[0].message.content,
    );
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: whole.usage });
  });

  it('carries tools, images, tool results, JSON schema and thinking in fields the API knows, and answers them', async () => {
    const weather = {
      type: 'function' as const,
      function: {
        name: 'get_weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    };
    const called = gemini.toChatCompletion(
      json(
        await call({
          messages: [{ role: 'user', content: 'Paris? [mock:tool:get_weather]' }],
          tools: [weather],
          tool_choice: 'auto',
        }),
      ),
    );
    const toolCall = called.choices[0].message.tool_calls?.[0];
    expect(called.choices[0].finish_reason).toBe('tool_calls');
    expect(toolCall).toMatchObject({
      type: 'function',
      function: { name: 'get_weather', arguments: '{"input":"Paris?"}' },
    });

    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, celsius: { type: 'integer' } },
      required: ['city', 'celsius'],
    };
    const answer = gemini.toChatCompletion(
      json(
        await call({
          messages: [
            { role: 'developer', content: 'Answer as JSON.' },
            {
              role: 'user',
              content: [
                { type: 'text', text: 'Paris?' },
                { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              ],
            },
            { role: 'assistant', content: null, tool_calls: [toolCall!] },
            { role: 'tool', tool_call_id: toolCall!.id, content: '{"celsius":21}' },
          ],
          tools: [weather],
          response_format: { type: 'json_schema', json_schema: { name: 'weather', schema } },
          reasoning_effort: 'low',
          temperature: 0.1,
          top_p: 0.5,
          seed: 3,
          stop: ['\n\n'],
        }),
      ),
    );

    expect(answer.choices[0].message.reasoning_content).toBe('Weighing what was asked before answering.');
    expect(answer.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    const value = JSON.parse(answer.choices[0].message.content as string) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['city', 'celsius']);
    expect(typeof value.celsius).toBe('number');
  });

  it('throws a 429 as a ProviderError with Google’s body and its RetryInfo delay as retry-after', async () => {
    const failure = call({ messages: [{ role: 'user', content: 'slow down [mock:error:429]' }] });

    await expect(failure).rejects.toMatchObject({
      name: 'ProviderError',
      providerStatus: 429,
      providerHeaders: { 'retry-after': '7' },
      providerBody: { format: 'gemini', text: expect.stringContaining('"status":"RESOURCE_EXHAUSTED"') },
    });
  });

  it('throws Google’s answers to a wrong or missing key, the key blanked out', async () => {
    const wrong = 'AIzaSy-wrong-key-1234567';
    const error = (await call({ messages }, { credential: { ...credential, apiKey: wrong } }).catch(
      (e: unknown) => e,
    )) as Error & {
      providerStatus: number;
      providerBody: { text: string };
    };
    expect(error).toMatchObject({
      providerStatus: 400,
      message: 'API key not valid. Please pass a valid API key.',
    });
    expect(error.providerBody.text).toContain('API_KEY_INVALID');
    expect(`${error.message} ${error.providerBody.text}`).not.toContain(wrong);

    await expect(
      call({ messages }, { credential: { ...credential, apiKey: undefined } }),
    ).rejects.toMatchObject({
      providerStatus: 403,
      providerBody: { text: expect.stringContaining('PERMISSION_DENIED') },
    });
  });

  it('is provider_unreachable when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));

    await expect(
      call({ messages }, { credential: { ...credential, baseUrl: `http://127.0.0.1:${port}/v1beta` } }),
    ).rejects.toMatchObject({
      name: 'ProviderError',
      errorClass: 'provider_unreachable',
      providerStatus: null,
    });
  });
});

describe('endpoint', () => {
  it.each([
    [
      'https://generativelanguage.googleapis.com/v1beta',
      'gemini-2.5-pro',
      false,
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent',
    ],
    [
      'https://generativelanguage.googleapis.com/v1/',
      'gemini-2.5-pro',
      true,
      'https://generativelanguage.googleapis.com/v1/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
    ],
    [
      'http://127.0.0.1:9000',
      'tunedModels/my-model',
      false,
      'http://127.0.0.1:9000/v1beta/tunedModels/my-model:generateContent',
    ],
  ])('%s + %s (stream %s) → %s', (base, model, stream, expected) => {
    expect(endpoint(base, model, stream).toString()).toBe(expected);
  });
});
