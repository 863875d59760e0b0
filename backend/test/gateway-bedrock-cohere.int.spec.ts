/**
 * The official `openai` SDK → Sightline's `/v1/chat/completions` → a Bedrock model (Converse on the
 * fake Bedrock server, SigV4-signed and verified) and a Cohere model (v2 chat on the fake Cohere
 * server): answers, streams with usage, tool calls and tool results translated both ways, provider
 * errors mapped, untranslatable features refused by name.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { AppConfig } from '../src/config/app-config';
import { createApp } from '../src/create-app';
import { runMockModel, type MockReply } from '../src/providers/mock/mock-model';
import { createTestProject } from './support/accounts';
import { startFakeBedrockServer, type FakeBedrockServer } from './support/fakes/bedrock-server';
import { startFakeCohereServer, type FakeCohereServer } from './support/fakes/cohere-server';

const AWS = { accessKeyId: 'AKIDGATEWAYTEST', secretAccessKey: 'gateway-test-secret' };
const COHERE_KEY = 'co-gateway-test';

const PROVIDERS = [
  { name: 'Bedrock', model: 'anthropic.claude-sonnet-4-5-20250929-v1:0' },
  { name: 'Cohere', model: 'command-a-03-2025' },
] as const;

const weather: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { input: { type: 'string' } } },
  },
};

describe('the openai SDK through Sightline to Bedrock and Cohere', () => {
  let bedrock: FakeBedrockServer;
  let cohere: FakeCohereServer;
  let app: NestExpressApplication;
  let client: OpenAI;

  beforeAll(async () => {
    bedrock = await startFakeBedrockServer({ ...AWS, region: 'us-west-2' });
    cohere = await startFakeCohereServer({ apiKey: COHERE_KEY });
    app = await createApp(
      new AppConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-bedrock-cohere-')),
        SIGHTLINE_UI_DIR: '',
        LOG_LEVEL: 'error',
        GATEWAY_RATE_LIMIT_RPS: '10000',
        AWS_ACCESS_KEY_ID: AWS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: AWS.secretAccessKey,
        AWS_REGION: 'us-west-2',
        BEDROCK_BASE_URL: bedrock.url,
        COHERE_API_KEY: COHERE_KEY,
        COHERE_BASE_URL: cohere.url,
      }),
    );
    const { apiKey } = await createTestProject(app, 'bedrock-cohere');
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    client = new OpenAI({ apiKey, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await bedrock?.close();
    await cohere?.close();
  });

  const question: ChatCompletionMessageParam[] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'What does a span record?' },
  ];
  /** The mock model sees the same roles and texts in every wire format. */
  const expected = runMockModel({
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What does a span record?' },
    ],
  }) as MockReply;

  describe.each(PROVIDERS)('$name ($model)', ({ model }) => {
    it('answers a chat completion with the content, finish reason and usage', async () => {
      const answer = await client.chat.completions.create({ model, messages: question });
      expect(answer.choices[0].message.content).toBe(expected.content);
      expect(answer.choices[0].finish_reason).toBe('stop');
      // Converse has no id, model or time and Cohere no model: the gateway fills them from the call.
      expect(answer).toMatchObject({ id: expect.stringMatching(/\S/), model, created: expect.any(Number) });
      expect(answer.created).toBeGreaterThan(0);
      expect(answer.usage).toMatchObject({
        prompt_tokens: expected.usage.inputTokens,
        completion_tokens: expected.usage.outputTokens,
        total_tokens: expected.usage.totalTokens,
      });
    });

    it('streams the answer, then a usage chunk when asked', async () => {
      const stream = await client.chat.completions.create({
        model,
        messages: question,
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | null | undefined;
      const ids = new Set<string>();
      for await (const chunk of stream) {
        ids.add(chunk.id);
        expect(chunk.model).toBe(model);
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        usage = chunk.usage ?? usage;
      }
      expect(text).toBe(expected.content);
      expect([...ids]).toEqual([expect.stringMatching(/\S/)]);
      expect(finish).toBe('stop');
      expect(usage).toMatchObject({ completion_tokens: expected.usage.outputTokens });
    });

    it('streams a tool call whole (id and name, then arguments), and takes its result back', async () => {
      const messages: ChatCompletionMessageParam[] = [
        { role: 'user', content: 'Paris [mock:tool:get_weather]' },
      ];
      const stream = await client.chat.completions.create({
        model,
        messages,
        tools: [weather],
        stream: true,
      });
      let id = '';
      let name = '';
      let args = '';
      let finish: string | null = null;
      for await (const chunk of stream) {
        for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
          id ||= call.id ?? '';
          name ||= call.function?.name ?? '';
          args += call.function?.arguments ?? '';
        }
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      expect(id).not.toBe('');
      expect(name).toBe('get_weather');
      expect(JSON.parse(args)).toEqual({ input: 'Paris' });
      expect(finish).toBe('tool_calls');

      const followUp = await client.chat.completions.create({
        model,
        tools: [weather],
        messages: [
          ...messages,
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id, type: 'function', function: { name, arguments: args } }],
          },
          { role: 'tool', tool_call_id: id, content: 'sunny' },
          { role: 'user', content: 'And tomorrow?' },
        ],
      });
      expect(followUp.choices[0].message.content).toMatch(/^Mock reply to: And tomorrow\?/);
    });

    it("maps the provider's rate limit to a 429", async () => {
      const call = client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'x [mock:error:429]' }],
      });
      await expect(call).rejects.toMatchObject({ status: 429 });
    });

    it('refuses what the provider cannot express with a 400 naming it (n > 1)', async () => {
      const call = client.chat.completions.create({ model, messages: question, n: 2 });
      await expect(call).rejects.toMatchObject({ status: 400, message: expect.stringContaining("'n'") });
    });
  });

  it('signs Bedrock calls with the instance’s AWS keys for its region (the fake verifies the signature)', async () => {
    const before = bedrock.requests.length;
    await client.chat.completions.create({ model: PROVIDERS[0].model, messages: question });
    const signed = bedrock.requests.slice(before);
    expect(signed).toHaveLength(1);
    expect(signed[0].headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDGATEWAYTEST\/\d{8}\/us-west-2\/bedrock\/aws4_request/,
    );
  });
});
