import {
  startFakeAzureOpenAiServer,
  type FakeAzureOpenAiServer,
} from '../../../test/support/fakes/azure-openai-server';
import { UpstreamHttp } from '../http/upstream-http';
import type { ProviderCredential, UpstreamRequest, UpstreamResponse } from '../upstream';
import { AzureOpenAiAdapter, azureUrl } from './azure-openai.adapter';

describe('AzureOpenAiAdapter against the fake Azure OpenAI resource', () => {
  let azure: FakeAzureOpenAiServer;
  const http = new UpstreamHttp();
  let credential: ProviderCredential;

  beforeAll(async () => {
    azure = await startFakeAzureOpenAiServer({
      apiKey: 'azure-secret-key',
      deployments: ['gpt-4o-prod', 'embed-prod'],
    });
    credential = {
      id: 'env:azure',
      baseUrl: azure.endpoint,
      apiKey: 'azure-secret-key',
      options: { apiVersion: '2024-10-21' },
    };
  });
  afterAll(async () => {
    await http.onModuleDestroy();
    await azure.close();
  });

  const call = (
    adapter: AzureOpenAiAdapter,
    model: string,
    body: Record<string, unknown>,
    extra: Partial<UpstreamRequest> = {},
  ) =>
    adapter.call({
      model,
      body,
      stream: body.stream === true,
      headers: {},
      credential,
      signal: new AbortController().signal,
      ...extra,
    });
  const text = async (response: UpstreamResponse): Promise<string> => {
    if (response.kind === 'json') return response.body.toString();
    let out = '';
    if (response.kind === 'sse')
      for await (const chunk of response.bytes) out += Buffer.from(chunk).toString();
    return out;
  };
  const messages = [{ role: 'user', content: 'hi azure [mock:tokens:3]' }];

  it('calls the deployment URL with api-version and the api-key header, and returns Azure’s answer and request id', async () => {
    const response = await call(new AzureOpenAiAdapter(http), 'gpt-4o-prod', {
      model: 'gpt-4o-prod',
      messages,
    });
    const sent = azure.requests.at(-1)!;
    expect(sent.path).toBe('/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21');
    expect(sent.headers['api-key']).toBe('azure-secret-key');
    expect(sent.headers.authorization).toBeUndefined();
    expect(response.headers['apim-request-id']).toMatch(/^[0-9a-f-]{8,}/);
    expect(JSON.parse(await text(response))).toMatchObject({
      prompt_filter_results: [{ prompt_index: 0 }],
      choices: [{ finish_reason: 'stop' }],
    });
  });

  it('streams raw SSE bytes, the prompt-filter chunk first', async () => {
    const response = await call(new AzureOpenAiAdapter(http), 'gpt-4o-prod', {
      model: 'gpt-4o-prod',
      messages,
      stream: true,
    });
    expect(response.kind).toBe('sse');
    const events = (await text(response)).split('\n\n').filter(Boolean);
    expect(JSON.parse(events[0].slice(6))).toMatchObject({
      choices: [],
      prompt_filter_results: [{ prompt_index: 0 }],
    });
    expect(events.at(-1)).toBe('data: [DONE]');
  });

  it('uses the v1 GA path when the API version is v1, for chat, embeddings and responses', async () => {
    const v1 = { ...credential, options: { apiVersion: 'v1' } };
    const embeddings = await call(
      new AzureOpenAiAdapter(http, 'embeddings'),
      'embed-prod',
      { model: 'embed-prod', input: 'x' },
      { credential: v1 },
    );
    expect(azure.requests.at(-1)!.path).toBe('/openai/v1/embeddings');
    expect(JSON.parse(await text(embeddings))).toMatchObject({
      object: 'list',
      data: [{ object: 'embedding' }],
    });
    expect(azureUrl(v1, 'gpt-4o-prod', 'chat/completions').pathname).toBe('/openai/v1/chat/completions');
    expect(
      azureUrl({ ...credential, baseUrl: `${azure.endpoint}/openai/v1/` }, 'd', 'responses').pathname,
    ).toBe('/openai/v1/responses');
  });

  it('throws Azure’s own error body and retry hints as a ProviderError, its key never echoed', async () => {
    await expect(
      call(new AzureOpenAiAdapter(http), 'missing', { model: 'missing', messages }),
    ).rejects.toMatchObject({
      name: 'ProviderError',
      providerStatus: 404,
      providerHeaders: { 'apim-request-id': expect.any(String) },
      providerBody: { format: 'openai-chat', text: expect.stringContaining('DeploymentNotFound') },
    });
    await expect(
      call(new AzureOpenAiAdapter(http), 'gpt-4o-prod', {
        model: 'gpt-4o-prod',
        messages: [{ role: 'user', content: '[mock:error:429]' }],
      }),
    ).rejects.toMatchObject({
      providerStatus: 429,
      providerHeaders: { 'retry-after': '1', 'x-ratelimit-remaining-requests': '0' },
    });
    const wrong = await call(
      new AzureOpenAiAdapter(http),
      'gpt-4o-prod',
      { model: 'gpt-4o-prod', messages },
      {
        credential: { ...credential, apiKey: 'wrong-azure-key-1234' },
      },
    ).then(
      () => Promise.reject(new Error('expected a 401')),
      (error: unknown) => error as Error & { providerStatus: number; providerBody: { text: string } },
    );
    expect(wrong).toMatchObject({ providerStatus: 401 });
    expect(`${wrong.message}${wrong.providerBody.text}`).not.toContain('wrong-azure-key-1234');
  });
});
