/**
 * The fakes are faithful where the official clients can tell: the `openai` SDK (Responses streams,
 * embeddings in base64, `AzureOpenAI`'s deployment URLs and `api-key` header) reads them without
 * complaint, and the documented error bodies come back.
 */
import OpenAI, { AzureOpenAI } from 'openai';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fake-openai-server';
import { startFakeAzureOpenAiServer, type FakeAzureOpenAiServer } from './azure-openai-server';
import { startFakeMistralServer, type FakeMistralServer } from './mistral-server';

let openai: FakeOpenAiServer;
let azure: FakeAzureOpenAiServer;
let mistral: FakeMistralServer;

beforeAll(async () => {
  [openai, azure, mistral] = await Promise.all([
    startFakeOpenAiServer(),
    startFakeAzureOpenAiServer({ apiKey: 'azure-key', deployments: ['gpt-4o-prod', 'embed-prod'] }),
    startFakeMistralServer({ apiKey: 'mistral-key' }),
  ]);
});
afterAll(() => Promise.all([openai.close(), azure.close(), mistral.close()]));

describe('fake OpenAI: Responses API and embeddings', () => {
  const client = (): OpenAI => new OpenAI({ apiKey: 'sk-test', baseURL: openai.url, maxRetries: 0 });

  it('answers a response object the SDK reads (output_text, usage)', async () => {
    const response = await client().responses.create({
      model: 'gpt-4.1',
      input: 'Hello there',
      max_output_tokens: 5,
    });
    expect(response.object).toBe('response');
    expect(response.status).toBe('incomplete');
    expect(response.output_text).toMatch(/^Mock reply to: Hello/);
    expect(response.usage).toMatchObject({ output_tokens: 5 });
  });

  it('streams the documented event sequence, which the SDK assembles into the final response', async () => {
    const stream = client().responses.stream({ model: 'gpt-4.1', input: 'Stream please [mock:tokens:4]' });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    const final = await stream.finalResponse();
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types.filter((t) => t === 'response.output_text.delta')).toHaveLength(4);
    expect(final.output_text).toBe(text);
    expect(final.usage?.output_tokens).toBe(4);
  });

  it('streams a function call as argument deltas', async () => {
    const stream = client().responses.stream({ model: 'gpt-4.1', input: 'Weather? [mock:tool:weather]' });
    const final = await stream.finalResponse();
    expect(final.output[0]).toMatchObject({ type: 'function_call', name: 'weather', status: 'completed' });
    expect(JSON.parse((final.output[0] as { arguments: string }).arguments)).toEqual({ input: 'Weather?' });
  });

  it('embeds in base64 (the SDK default) and as floats, with usage', async () => {
    const viaSdk = await client().embeddings.create({ model: 'text-embedding-3-small', input: ['a b', 'c'] });
    expect(viaSdk.data.map((d) => d.embedding.length)).toEqual([8, 8]);
    expect(viaSdk.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    const floats = await client().embeddings.create({ model: 'm', input: 'a b', encoding_format: 'float' });
    expect(floats.data[0].embedding).toEqual(viaSdk.data[0].embedding);
  });
});

describe('fake Azure OpenAI', () => {
  const client = (apiKey = 'azure-key'): AzureOpenAI =>
    new AzureOpenAI({ endpoint: azure.endpoint, apiKey, apiVersion: '2024-10-21', maxRetries: 0 });

  it('serves a deployment under /openai/deployments with the api-key header and content filter results', async () => {
    const completion = await client().chat.completions.create({
      model: 'gpt-4o-prod',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(completion.choices[0].message.content).toMatch(/^Mock reply to: Hi/);
    expect(completion).toMatchObject({ model: 'gpt-4o-prod', prompt_filter_results: [{ prompt_index: 0 }] });
    const request = azure.requests.at(-1)!;
    expect(request.path).toBe('/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21');
    expect(request.headers['api-key']).toBe('azure-key');
  });

  it('streams with a first prompt-filter chunk', async () => {
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-prod',
      messages: [{ role: 'user', content: 'Hi [mock:tokens:3]' }],
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]).toMatchObject({ choices: [], prompt_filter_results: [{ prompt_index: 0 }] });
    expect(chunks.flatMap((c) => c.choices.map((x) => x.delta.content ?? '')).join('')).toMatch(
      /^Mock reply/,
    );
  });

  it('answers the v1 GA path with the deployment as the model', async () => {
    const v1 = new OpenAI({ apiKey: 'azure-key', baseURL: `${azure.endpoint}/openai/v1`, maxRetries: 0 });
    const embedding = await v1.embeddings.create({ model: 'embed-prod', input: 'x' });
    expect(embedding.data).toHaveLength(1);
  });

  it('answers Azure errors: wrong key 401, unknown deployment 404 DeploymentNotFound', async () => {
    await expect(
      client('wrong').chat.completions.create({
        model: 'gpt-4o-prod',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({
      status: 401,
      error: { code: '401' },
    });
    await expect(
      client().chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({
      status: 404,
      error: { code: 'DeploymentNotFound' },
    });
  });
});

describe('fake Mistral', () => {
  const post = (body: unknown): Promise<Response> =>
    fetch(`${mistral.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer mistral-key', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('refuses fields outside its schema with 422 extra_forbidden', async () => {
    const response = await post({
      model: 'mistral-small-latest',
      messages: [{ role: 'user', content: 'x' }],
      seed: 1,
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      object: 'error',
      message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'seed'] }] },
    });
  });

  it('refuses a tool-call id that is not 9 letters or digits', async () => {
    const response = await post({
      model: 'mistral-small-latest',
      messages: [{ role: 'tool', tool_call_id: 'call_123', content: 'x' }],
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'invalid_function_call', code: '3280' });
  });

  it('streams usage on the last chunk without stream_options, then [DONE]', async () => {
    const response = await post({
      model: 'mistral-small-latest',
      messages: [{ role: 'user', content: 'x [mock:tokens:2]' }],
      stream: true,
    });
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(JSON.parse(events.at(-2)!.slice(6))).toMatchObject({
      choices: [{ finish_reason: 'stop' }],
      usage: { completion_tokens: 2 },
    });
  });
});
