import { startGatewayApp } from '../../../test/support/gateway-app';
import Anthropic from '@anthropic-ai/sdk';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { GenerationCompleted, GenerationRequested, SightlineEvent } from '@sightline/schemas';
import OpenAI from 'openai';
import { runMockModel, type MockReply } from '../../providers/mock/mock-model';
import { eventually } from '../../../test/support/events';
import {
  startFakeAnthropicServer,
  type FakeAnthropicServer,
} from '../../../test/support/fakes/anthropic-server';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../../test/support/fake-openai-server';

const ANTHROPIC_KEY = 'sk-ant-upstream-0123456789';
const OPENAI_KEY = 'sk-openai-upstream-0123456789';
const CLAUDE = 'anthropic/claude-sonnet-4-5';

function mockReply(messages: { role: string; content: unknown }[], maxTokens?: number): MockReply {
  const outcome = runMockModel({ messages, params: maxTokens ? { max_tokens: maxTokens } : {} });
  if (outcome.kind !== 'reply') throw new Error('expected a reply');
  return outcome;
}

/**
 * The official SDKs against a running Sightline: `@anthropic-ai/sdk` → `/v1/messages` → the fake
 * Anthropic server (same format: bytes passed through) or the mock / fake OpenAI models
 * (translated), and the `openai` SDK → `/v1/chat/completions` → a Claude model on the fake
 * Anthropic server (translated).
 */
describe('Anthropic Messages through the gateway', () => {
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  let anthropicUpstream: FakeAnthropicServer;
  let openAiUpstream: FakeOpenAiServer;
  /** What the Anthropic SDK sent to Sightline, request by request. */
  const sent: { body: string; headers: Headers }[] = [];
  let claude: Anthropic;
  let openai: OpenAI;
  const recorded: SightlineEvent[] = [];

  /** The generation recorded for the call answered with `headers`, once its end is recorded. */
  async function generationOf(
    headers: Headers,
  ): Promise<{ requested: GenerationRequested; ended: GenerationCompleted }> {
    const spanId = headers.get('x-sightline-span-id');
    const [requested, ended] = await eventually(
      async () => recorded.filter((e) => e.spanId === spanId),
      (events) => events.length === 2,
    );
    return { requested: requested as GenerationRequested, ended: ended as GenerationCompleted };
  }

  beforeAll(async () => {
    anthropicUpstream = await startFakeAnthropicServer({ apiKey: ANTHROPIC_KEY });
    openAiUpstream = await startFakeOpenAiServer({ apiKey: OPENAI_KEY });
    ({ app, base, apiKey } = await startGatewayApp(
      'anthropic',
      {
        LOG_LEVEL: 'warn',
        MOCK_TOKEN_INTERVAL_MS: '1',
        API_RATE_LIMIT_RPS: '10000',
        // The provider's own errors reach the caller as they are, not retried.
        SIGHTLINE_MAX_ATTEMPTS: '1',
        ANTHROPIC_API_KEY: ANTHROPIC_KEY,
        ANTHROPIC_BASE_URL: `${anthropicUpstream.url}/v1`,
        OPENAI_API_KEY: OPENAI_KEY,
        OPENAI_BASE_URL: openAiUpstream.url,
      },
      recorded,
    ));
    claude = new Anthropic({
      apiKey,
      baseURL: base,
      maxRetries: 0,
      fetch: async (url, init) => {
        sent.push({ body: String(init?.body ?? ''), headers: new Headers(init?.headers) });
        return fetch(url, init);
      },
    });
    openai = new OpenAI({ apiKey, baseURL: `${base}/v1`, maxRetries: 0 });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await anthropicUpstream?.close();
    await openAiUpstream?.close();
  });

  beforeEach(() => {
    anthropicUpstream.requests.length = 0;
    anthropicUpstream.responses.length = 0;
    sent.length = 0;
  });

  describe('Anthropic SDK → Sightline → Anthropic (same format)', () => {
    const params = {
      model: CLAUDE,
      max_tokens: 300,
      system: 'Be brief.',
      messages: [{ role: 'user' as const, content: 'Tell me about tracing' }],
    };

    it('passes the request and the answer through byte for byte (the model name aside)', async () => {
      const response = await claude.messages.create(params).asResponse();
      const text = await response.text();
      expect(anthropicUpstream.responses).toHaveLength(1);
      expect(text).toBe(anthropicUpstream.responses[0].bytes.toString('utf8'));
      const upstream = anthropicUpstream.requests[0];
      expect(upstream.raw.toString('utf8')).toBe(sent[0].body.replace(`"${CLAUDE}"`, '"claude-sonnet-4-5"'));
      expect(upstream.headers['x-api-key']).toBe(ANTHROPIC_KEY);
      expect(upstream.headers.authorization).toBeUndefined();
      expect(upstream.headers['anthropic-version']).toBe(sent[0].headers.get('anthropic-version'));
      expect(response.headers.get('request-id')).toBe(anthropicUpstream.responses[0].requestId);
      expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('49');
      const message = JSON.parse(text) as Anthropic.Message;
      const expected = mockReply([{ role: 'system', content: 'Be brief.' }, ...params.messages]);
      expect(message.content).toEqual([{ type: 'text', text: expected.content, citations: null }]);
    });

    it('streams the SSE bytes through unchanged, and the SDK assembles the message', async () => {
      const response = await claude.messages.create({ ...params, stream: true }).asResponse();
      const text = await response.text();
      expect(text).toBe(anthropicUpstream.responses[0].bytes.toString('utf8'));
      expect(text).toMatch(/^event: message_start\n/);
      const { requested, ended } = await generationOf(response.headers);
      const recordedReply = mockReply([{ role: 'system', content: 'Be brief.' }, ...params.messages]);
      expect(requested.data).toMatchObject({ provider: 'anthropic', model: CLAUDE });
      expect(ended).toMatchObject({
        type: 'generation.completed',
        data: {
          servedBy: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
          output: { choices: [{ content: recordedReply.content, toolCalls: [] }] },
          finishReason: 'stop',
          usage: {
            inputTokens: recordedReply.usage.inputTokens,
            outputTokens: recordedReply.usage.outputTokens,
            source: 'reported',
          },
        },
      });
      const final = await claude.messages.stream(params).finalMessage();
      const expected = mockReply([{ role: 'system', content: 'Be brief.' }, ...params.messages]);
      expect(final.content).toEqual([{ type: 'text', text: expected.content, citations: null }]);
      expect(final.usage.output_tokens).toBe(expected.usage.outputTokens);
    });

    it("passes the caller's anthropic-beta and Anthropic's own errors, retry-after included", async () => {
      const error = await claude.messages
        .create(
          { ...params, messages: [{ role: 'user', content: '[mock:error:429]' }] },
          { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31' } },
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Anthropic.RateLimitError);
      const apiError = error as InstanceType<typeof Anthropic.RateLimitError>;
      expect(apiError.error).toEqual({
        type: 'error',
        error: { type: 'rate_limit_error', message: 'Mock error 429 requested by [mock:error:429]' },
        request_id: expect.stringMatching(/^req_/),
      });
      expect(apiError.headers?.get('retry-after')).toBe('7');
      expect(anthropicUpstream.requests[0].headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
      const overloaded = await claude.messages
        .create({ ...params, messages: [{ role: 'user', content: '[mock:error:529]' }] })
        .catch((e: unknown) => e);
      expect(overloaded).toMatchObject({ status: 529, error: { error: { type: 'overloaded_error' } } });
    });

    it("passes Anthropic's error event mid-stream through: the SDK raises it", async () => {
      const failing = { ...params, messages: [{ role: 'user' as const, content: 'Hello [mock:fail:2]' }] };
      const error = await claude.messages
        .stream(failing)
        .finalMessage()
        .catch((e: unknown) => e);
      expect(error).toMatchObject({
        error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      });
    });

    it("counts tokens with Anthropic's count_tokens", async () => {
      const { data, response } = await claude.messages
        .countTokens({ model: CLAUDE, system: params.system, messages: params.messages })
        .withResponse();
      expect(anthropicUpstream.requests[0].path).toBe('/v1/messages/count_tokens');
      expect(response.headers.get('x-sightline-token-count')).toBe('provider');
      const message = await claude.messages.create(params);
      expect(data.input_tokens).toBe(message.usage.input_tokens);
    });
  });

  describe('Anthropic SDK → Sightline → another format (translated)', () => {
    it('answers from the mock model, plain and streamed', async () => {
      const messages = [{ role: 'user' as const, content: 'Hello mock' }];
      const message = await claude.messages.create({ model: 'mock-1', max_tokens: 500, messages });
      const expected = mockReply(messages, 500);
      expect(message).toMatchObject({
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: expected.content }],
        stop_reason: 'end_turn',
        usage: { input_tokens: expected.usage.inputTokens, output_tokens: expected.usage.outputTokens },
      });
      const events: string[] = [];
      const stream = claude.messages.stream({ model: 'mock-1', max_tokens: 500, messages });
      stream.on('streamEvent', (event) => events.push(event.type));
      const final = await stream.finalMessage();
      expect(final.content).toEqual([{ type: 'text', text: expected.content }]);
      expect(final.usage).toMatchObject({
        output_tokens: expected.usage.outputTokens,
        input_tokens: expected.usage.inputTokens,
      });
      expect(events[0]).toBe('message_start');
      expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
    });

    it("ends a translated stream that breaks with Anthropic's error event", async () => {
      const events: string[] = [];
      const stream = claude.messages.stream({
        model: 'mock-1',
        max_tokens: 500,
        messages: [{ role: 'user', content: 'Hello [mock:fail:2]' }],
      });
      stream.on('streamEvent', (event) => events.push(event.type));
      const error = await stream.finalMessage().catch((e: unknown) => e);
      expect(error).toMatchObject({ error: { type: 'error', error: { type: 'api_error' } } });
      expect(events).toContain('content_block_delta');
    });

    it('calls tools of an OpenAI model, streamed, and sends the results back', async () => {
      const tools = [{ name: 'get_weather', input_schema: { type: 'object' as const, properties: {} } }];
      const ask = { role: 'user' as const, content: 'Paris [mock:tool:get_weather]' };
      const final = await claude.messages
        .stream({ model: 'openai/gpt-4o-mini', max_tokens: 200, tools, messages: [ask] })
        .finalMessage();
      expect(final.stop_reason).toBe('tool_use');
      const [use] = final.content;
      expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { input: 'Paris' } });
      expect(final.usage.output_tokens).toBeGreaterThan(0);
      const upstream = openAiUpstream.requests.at(-1)?.body as { tools: unknown; stream_options: unknown };
      expect(upstream.tools).toEqual([
        { type: 'function', function: { name: 'get_weather', parameters: tools[0].input_schema } },
      ]);
      const toolUse = use as Anthropic.ToolUseBlock;
      const followUp = await claude.messages.create({
        model: 'openai/gpt-4o-mini',
        max_tokens: 200,
        tools,
        messages: [
          ask,
          { role: 'assistant', content: final.content },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: toolUse.id, content: 'sunny' },
              { type: 'text', text: 'Thanks' },
            ],
          },
        ],
      });
      expect(followUp.stop_reason).toBe('end_turn');
      expect((openAiUpstream.requests.at(-1)?.body as { messages: unknown[] }).messages.slice(1)).toEqual([
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: toolUse.id,
              type: 'function',
              function: { name: 'get_weather', arguments: '{"input":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: toolUse.id, content: 'sunny' },
        { role: 'user', content: 'Thanks' },
      ]);
    });

    it('estimates count_tokens for a model whose provider cannot count, and says so', async () => {
      const { data, response } = await claude.messages
        .countTokens({ model: 'mock-1', messages: [{ role: 'user', content: 'Count me' }] })
        .withResponse();
      expect(response.headers.get('x-sightline-token-count')).toBe('estimate');
      expect(data.input_tokens).toBeGreaterThan(0);
    }, 30_000); // the first count loads the tokenizer's BPE ranks

    it("answers errors in Anthropic's shape: unknown model, bad key, malformed body", async () => {
      const unknown = await claude.messages
        .create({ model: 'no-such-model-xyz', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
        .catch((e: unknown) => e);
      expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
      expect(unknown).toMatchObject({ error: { type: 'error', error: { type: 'not_found_error' } } });
      const wrongKey = new Anthropic({ apiKey: 'sl_wrong', baseURL: base, maxRetries: 0 });
      await expect(
        wrongKey.messages.create({
          model: 'mock-1',
          max_tokens: 5,
          messages: [{ role: 'user', content: 'x' }],
        }),
      ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
      const missing = await fetch(`${base}/v1/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': apiKey,
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify({ model: 'mock-1', messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error', message: expect.stringContaining('max_tokens') },
      });
    });

    it('accepts a Sightline key in x-api-key as well as Authorization: Bearer', async () => {
      const viaHeader = await fetch(`${base}/v1/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-api-key': apiKey,
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify({
          model: 'mock-1',
          max_tokens: 20,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      expect(viaHeader.status).toBe(200);
      expect(await viaHeader.json()).toMatchObject({ type: 'message', stop_reason: 'max_tokens' });
    });
  });

  describe('openai SDK → Sightline → Claude on the fake Anthropic server (translated)', () => {
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Hello Claude' },
    ];

    it('completes, with usage', async () => {
      const completion = await openai.chat.completions.create({ model: CLAUDE, messages, max_tokens: 300 });
      const expected = mockReply(messages, 300);
      expect(completion.choices[0]).toMatchObject({
        message: { role: 'assistant', content: expected.content },
        finish_reason: 'stop',
      });
      expect(completion.usage).toMatchObject({
        prompt_tokens: expected.usage.inputTokens,
        completion_tokens: expected.usage.outputTokens,
      });
      expect(anthropicUpstream.requests[0].body).toEqual({
        model: 'claude-sonnet-4-5',
        max_tokens: 300,
        system: [{ type: 'text', text: 'Be brief.' }],
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello Claude' }] }],
      });
    });

    it('streams content and usage', async () => {
      const stream = await openai.chat.completions.create({
        model: CLAUDE,
        messages,
        max_tokens: 300,
        stream: true,
        stream_options: { include_usage: true },
      });
      let content = '';
      let usage: OpenAI.CompletionUsage | null | undefined;
      const finish: string[] = [];
      for await (const chunk of stream) {
        content += chunk.choices[0]?.delta.content ?? '';
        if (chunk.choices[0]?.finish_reason) finish.push(chunk.choices[0].finish_reason);
        if (chunk.usage) usage = chunk.usage;
      }
      const expected = mockReply(messages, 300);
      expect(content).toBe(expected.content);
      expect(finish).toEqual(['stop']);
      expect(usage).toMatchObject({
        prompt_tokens: expected.usage.inputTokens,
        completion_tokens: expected.usage.outputTokens,
      });
    });

    it('streams tool calls: id and name first, then argument fragments', async () => {
      const { data: stream, response } = await openai.chat.completions
        .create({
          model: CLAUDE,
          messages: [{ role: 'user', content: 'Rome [mock:tool:get_weather]' }],
          tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
          stream: true,
        })
        .withResponse();
      const deltas: OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
      let finish: string | null = null;
      for await (const chunk of stream) {
        deltas.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      expect(deltas[0]).toMatchObject({
        index: 0,
        id: expect.stringMatching(/^toolu_/),
        function: { name: 'get_weather' },
      });
      expect(deltas.map((d) => d.function?.arguments ?? '').join('')).toBe('{"input":"Rome"}');
      expect(finish).toBe('tool_calls');
      const { ended } = await generationOf(response.headers);
      expect(ended.data.output.choices[0].toolCalls).toEqual([
        { id: deltas[0].id, name: 'get_weather', arguments: '{"input":"Rome"}' },
      ]);
      expect(anthropicUpstream.requests[0].body).toMatchObject({
        tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
        stream: true,
      });
    });

    it('ends the stream with an error when Claude fails mid-stream, after the text so far', async () => {
      const stream = await openai.chat.completions.create({
        model: CLAUDE,
        messages: [{ role: 'user', content: 'Hello [mock:fail:2]' }],
        stream: true,
      });
      let content = '';
      const error = await (async () => {
        for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? '';
      })().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(String((error as Error).message)).toContain('Overloaded');
      expect(content).toBe('Mock reply');
    });

    it('refuses what Anthropic cannot do with a 400 naming it', async () => {
      const error = await openai.chat.completions
        .create({ model: CLAUDE, messages, n: 2 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ status: 400, code: 'unsupported_feature', param: 'n' });
      expect(anthropicUpstream.requests).toHaveLength(0);
    });
  });
});
