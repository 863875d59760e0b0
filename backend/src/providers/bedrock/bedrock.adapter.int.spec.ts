import { ProviderError } from '../../common/errors';
import { startFakeBedrockServer, type FakeBedrockServer } from '../../../test/support/fakes/bedrock-server';
import { runMockModel, type MockReply } from '../mock/mock-model';
import { UpstreamHttp } from '../http/upstream-http';
import type { ProviderCredential, UpstreamRequest, UpstreamResponse } from '../upstream';
import { bedrockConverseFormat } from '../wire/bedrock-converse/bedrock-converse.format';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../wire/chat-completions';
import type { WireEvent } from '../wire/wire-format';
import { BedrockAdapter } from './bedrock.adapter';

const KEY = { accessKeyId: 'AKIDSIGHTLINETEST', secretAccessKey: 'bedrock-test-secret' };
const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

describe('BedrockAdapter against the fake Bedrock server', () => {
  let server: FakeBedrockServer;
  const http = new UpstreamHttp();
  const adapter = new BedrockAdapter(http);

  beforeAll(async () => {
    server = await startFakeBedrockServer({ ...KEY, region: 'eu-west-1' });
  });
  afterAll(async () => {
    await server.close();
    await http.onModuleDestroy();
  });

  const credential = (
    overrides: Partial<ProviderCredential['options']> & { secret?: string } = {},
  ): ProviderCredential => {
    const { secret, ...options } = overrides;
    return {
      id: 'env:bedrock',
      baseUrl: server.url,
      apiKey: secret ?? KEY.secretAccessKey,
      options: { accessKeyId: KEY.accessKeyId, region: 'eu-west-1', ...options },
    };
  };
  const call = (
    hub: Partial<ChatCompletionRequest>,
    options: { stream?: boolean; credential?: ProviderCredential; signal?: AbortSignal } = {},
  ): Promise<UpstreamResponse> => {
    const request: ChatCompletionRequest = {
      model: MODEL,
      messages: [{ role: 'user', content: 'hi' }],
      ...hub,
    };
    const upstream: UpstreamRequest = {
      model: MODEL,
      body: bedrockConverseFormat.fromChatRequest(request),
      stream: options.stream ?? false,
      headers: {},
      credential: options.credential ?? credential(),
      signal: options.signal ?? new AbortController().signal,
    };
    return adapter.call(upstream);
  };
  const failure = async (promise: Promise<unknown>): Promise<ProviderError> => {
    const error: unknown = await promise.then(
      () => new Error('expected a ProviderError'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  };
  const decode = async (response: UpstreamResponse): Promise<ChatCompletionChunk[]> => {
    if (response.kind !== 'events') throw new Error(`expected events, got ${response.kind}`);
    const decoder = bedrockConverseFormat.streamDecoder();
    const chunks: ChatCompletionChunk[] = [];
    for await (const event of response.events) chunks.push(...decoder.push(event));
    return [...chunks, ...decoder.end()];
  };

  const messages = [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'What does a span record?' },
  ];
  const expected = runMockModel({
    messages: [
      { role: 'system', content: [{ text: 'Be brief.' }] },
      { role: 'user', content: [{ text: 'What does a span record?' }] },
    ],
  }) as MockReply;

  it('calls Converse signed with SigV4 (the fake recomputes the signature) and returns its JSON answer', async () => {
    const response = await call({ messages });
    expect(response.kind).toBe('json');
    if (response.kind !== 'json') return;
    const completion = bedrockConverseFormat.toChatCompletion(JSON.parse(response.body.toString('utf8')));
    expect(completion.choices[0].message.content).toBe(expected.content);
    expect(completion.usage?.completion_tokens).toBe(expected.usage.outputTokens);
    expect(response.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    const recorded = server.requests.at(-1)!;
    expect(recorded.path).toBe('/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    expect(recorded.headers.authorization).toMatch(
      /Credential=AKIDSIGHTLINETEST\/\d{8}\/eu-west-1\/bedrock\/aws4_request/,
    );
  });

  it('streams ConverseStream: the event-stream messages come back decoded and translate to the reply', async () => {
    const chunks = await decode(await call({ messages }, { stream: true }));
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(expected.content);
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(expected.usage.outputTokens);
  });

  it('streams a tool call as id and name, then argument fragments', async () => {
    const chunks = await decode(
      await call(
        {
          messages: [{ role: 'user', content: 'Paris [mock:tool:get_weather]' }],
          tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
        },
        { stream: true },
      ),
    );
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({
      index: 0,
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    expect(calls[0].id).toMatch(/^tooluse_/);
    expect(JSON.parse(calls.map((c) => c.function?.arguments ?? '').join(''))).toEqual({ input: 'Paris' });
  });

  it('sends the session token of temporary credentials (signed along)', async () => {
    await call({}, { credential: credential({ sessionToken: 'session-token-xyz' }) });
    const recorded = server.requests.at(-1)!;
    expect(recorded.headers['x-amz-security-token']).toBe('session-token-xyz');
    expect(recorded.headers.authorization).toContain('x-amz-security-token');
  });

  it('maps a wrong secret to AWS error InvalidSignatureException (403), the secret never in the error', async () => {
    const error = await failure(call({}, { credential: credential({ secret: 'wrong-secret-value' }) }));
    expect(error.providerStatus).toBe(403);
    expect(error.message).toMatch(/^InvalidSignatureException: The request signature we calculated/);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('wrong-secret-value');
  });

  it('maps throttling to a ProviderError with status 429, the AWS type, headers and body', async () => {
    const error = await failure(call({ messages: [{ role: 'user', content: 'x [mock:error:429]' }] }));
    expect(error.providerStatus).toBe(429);
    expect(error.message).toMatch(/^ThrottlingException: Mock error 429/);
    expect(error.providerHeaders['x-amzn-errortype']).toMatch(/^ThrottlingException:/);
    expect(error.providerBody?.format).toBe('bedrock-converse');
    expect(JSON.parse(error.providerBody!.text)).toEqual({
      message: expect.stringContaining('Mock error 429'),
    });
  });

  it('throws provider_unreachable when the stream is cut mid-way, after the events that arrived', async () => {
    const response = await call(
      { messages: [{ role: 'user', content: 'x [mock:drop:3]' }] },
      { stream: true },
    );
    if (response.kind !== 'events') throw new Error('expected events');
    const seen: WireEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of response.events) seen.push(event);
      })(),
    );
    expect(error.errorClass).toBe('provider_unreachable');
    expect(seen.filter((e) => e.event === 'contentBlockDelta')).toHaveLength(3);
  });

  it('throws the exception a stream carries mid-way (ModelStreamErrorException, 424) after the deltas before it', async () => {
    const response = await call(
      { messages: [{ role: 'user', content: 'x [mock:fail:2]' }] },
      { stream: true },
    );
    if (response.kind !== 'events') throw new Error('expected events');
    const seen: WireEvent[] = [];
    const error = await failure(
      (async () => {
        for await (const event of response.events) seen.push(event);
      })(),
    );
    expect(error.message).toBe('ModelStreamErrorException: Mock stream failure requested by [mock:fail]');
    expect(error.providerStatus).toBe(424);
    expect(error.providerBody?.format).toBe('bedrock-converse');
    expect(seen.filter((e) => e.event === 'contentBlockDelta')).toHaveLength(2);
  });

  it('cancels the call when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = call(
      { messages: [{ role: 'user', content: 'x [mock:delay:5000]' }] },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
