/**
 * The official OpenAI clients against a running Sightline, changed only in their base URL: the
 * `openai` npm SDK and the Python `openai` package (a venv made by deploy/python-sdk/venv.sh, which
 * `npm test`'s prerequisites run; run here too so this file also works on its own). OpenAI models
 * go to the fake OpenAI server; `mock-1` is answered in-process, reached from the Responses API
 * through the translator.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { AppConfig } from '../../src/config/app-config';
import { createApp } from '../../src/create-app';
import { createTestProject } from '../support/accounts';
import { eventually } from '../support/events';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');
const PYTHON = join(ROOT, 'deploy/python-sdk/.cache/venv/bin/python');
const CHAT_MODEL = 'openai/gpt-4o-mini';
const EMBEDDING_MODEL = 'openai/text-embedding-3-small';

let fake: FakeOpenAiServer;
let app: NestExpressApplication;
let base: string;
let apiKey: string;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAiServer({ apiKey: 'sk-upstream-secret' });
  app = await createApp(
    new AppConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-sdk-')),
      SIGHTLINE_UI_DIR: '',
      MOCK_TOKEN_INTERVAL_MS: '1',
      LOG_LEVEL: 'warn',
      API_RATE_LIMIT_RPS: '10000',
      OPENAI_API_KEY: 'sk-upstream-secret',
      OPENAI_BASE_URL: fake.url,
    }),
  );
  ({ apiKey } = await createTestProject(app, 'sdk'));
  await app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  client = new OpenAI({ apiKey, baseURL: `${base}/v1`, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await fake?.close();
});

/** A recorded generation, read back over GraphQL. */
async function recorded(
  spanId: string,
): Promise<{ status: string; inputTokens: number; outputTokens: number }> {
  const query = async () => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        query: '{ generations(first: 100) { edges { node { id status inputTokens outputTokens } } } }',
      }),
    });
    const body = (await res.json()) as {
      data: {
        generations: {
          edges: { node: { id: string; status: string; inputTokens: number; outputTokens: number } }[];
        };
      };
    };
    return body.data.generations.edges.map((e) => e.node);
  };
  const nodes = await eventually(query, (list) => list.some((n) => n.id === spanId));
  return nodes.find((n) => n.id === spanId)!;
}

describe('the openai npm SDK against Sightline', () => {
  it('chat completion, not streamed: the provider’s answer, recorded', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: CHAT_MODEL, messages: [{ role: 'user', content: 'Hello SDK' }] })
      .withResponse();
    expect(data.choices[0].message.content).toMatch(/^Mock reply to: Hello SDK/);
    expect(data.system_fingerprint).toBe('fp_sightline');
    const generation = await recorded(response.headers.get('x-sightline-span-id')!);
    expect(generation).toMatchObject({ status: 'COMPLETED', inputTokens: data.usage!.prompt_tokens });
  });

  it('chat completion streamed with usage', async () => {
    const stream = await client.chat.completions.create({
      model: CHAT_MODEL,
      messages: [{ role: 'user', content: 'Stream SDK [mock:tokens:6]' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.split(/\s+/)).toHaveLength(6);
    expect(usage?.completion_tokens).toBe(6);
  });

  it('Responses API streamed, passed through to OpenAI', async () => {
    const stream = client.responses.stream({ model: CHAT_MODEL, input: 'Responses SDK [mock:tokens:5]' });
    let deltas = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') deltas += event.delta;
    const final = await stream.finalResponse();
    expect(final.output_text).toBe(deltas);
    expect(final.usage?.output_tokens).toBe(5);
    expect(fake.requests.at(-1)).toMatchObject({
      path: '/v1/responses',
      body: { model: 'gpt-4o-mini', stream: true },
    });
  });

  it('Responses API to a model of another provider, translated (streamed and not)', async () => {
    const stream = client.responses.stream({
      model: 'mock-1',
      input: 'Translated [mock:tokens:4]',
      instructions: 'Be brief.',
    });
    const final = await stream.finalResponse();
    expect(final.output_text.split(' ')).toHaveLength(4);
    expect(final.usage?.output_tokens).toBe(4);
    const whole = await client.responses.create({
      model: 'mock-1',
      input: [{ role: 'user', content: 'Whole [mock:tool:lookup]' }],
    });
    expect(whole.output[0]).toMatchObject({ type: 'function_call', name: 'lookup' });
  });

  it('Responses API refuses OpenAI-held state for another provider, naming it', async () => {
    await expect(
      client.responses.create({ model: 'mock-1', input: 'x', previous_response_id: 'resp_1' }),
    ).rejects.toMatchObject({
      status: 400,
      error: { code: 'unsupported_feature', param: 'previous_response_id' },
    });
  });

  it('models: the list (as the SDK iterates it) and one model retrieved; an unknown one is a 404', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['mock-1', 'gpt-4o-mini']));
    expect(new Set(ids).size).toBe(ids.length);
    const model = await client.models.retrieve('gpt-4o-mini');
    expect(model).toMatchObject({ id: 'gpt-4o-mini', object: 'model', owned_by: expect.any(String) });
    await expect(client.models.retrieve('no-such-model-anywhere')).rejects.toMatchObject({ status: 404 });
  });

  it('embeddings (base64, the SDK default), recorded with their input tokens', async () => {
    const { data, response } = await client.embeddings
      .create({ model: EMBEDDING_MODEL, input: ['one text', 'two'] })
      .withResponse();
    expect(data.data.map((d) => d.embedding.length)).toEqual([8, 8]);
    const generation = await recorded(response.headers.get('x-sightline-span-id')!);
    expect(generation).toMatchObject({
      status: 'COMPLETED',
      inputTokens: data.usage.prompt_tokens,
      outputTokens: 0,
    });
  });
});

describe('the Python openai package against Sightline', () => {
  beforeAll(async () => {
    await run('bash', [join(ROOT, 'deploy/python-sdk/venv.sh')], { timeout: 170_000 });
  }, 180_000);

  it('chat, streaming, responses, embeddings and models work by changing only base_url', async () => {
    const { stdout } = await run(PYTHON, [join(__dirname, 'python/openai_sdk_check.py')], {
      env: {
        ...process.env,
        SIGHTLINE_BASE_URL: `${base}/v1`,
        SIGHTLINE_API_KEY: apiKey,
        CHAT_MODEL,
        EMBEDDING_MODEL,
      },
      timeout: 60_000,
    });
    const result = JSON.parse(stdout) as Record<string, Record<string, unknown>>;
    expect(result.chat).toMatchObject({
      content: expect.stringMatching(/^Mock reply to: Hello from Python/),
      finish_reason: 'stop',
    });
    expect(result.chat_stream).toMatchObject({ completion_tokens: 5 });
    expect(String(result.chat_stream.content).split(' ')).toHaveLength(5);
    expect(result.responses).toMatchObject({
      status: 'completed',
      output_text: expect.stringMatching(/^Mock reply to: Responses from Python/),
    });
    expect(result.responses_stream).toMatchObject({ output_tokens: 4 });
    expect(result.responses_stream.deltas).toBe(result.responses_stream.output_text);
    expect(result.embeddings).toMatchObject({ count: 2, dimensions: 8 });
    expect(result.models.ids).toEqual(expect.arrayContaining(['mock-1', 'gpt-4o-mini']));
    expect(result.models).toMatchObject({ retrieved: 'gpt-4o-mini', object: 'model', unknown_status: 404 });
  }, 60_000);
});
