import { startGatewayApp } from '../../../test/support/gateway-app';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { GenerationCompleted, SightlineEvent } from '@sightline/schemas';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { eventually } from '../../../test/support/events';
import { startFakeGeminiServer, type FakeGeminiServer } from '../../../test/support/fakes/gemini-server';

const GEMINI_KEY = 'AIzaSy-upstream-gemini';

/**
 * A Gemini model behind Sightline's OpenAI- and Anthropic-compatible endpoints: the official `openai`
 * SDK calls `/v1/chat/completions` and `@anthropic-ai/sdk` calls `/v1/messages`; the gateway
 * translates to the Gemini API and back, against the fake Gemini server (which refuses any field
 * Google does not know).
 */
describe('the gateway in front of Gemini', () => {
  let fake: FakeGeminiServer;
  let app: NestExpressApplication;
  let client: OpenAI;
  let claude: Anthropic;
  const recorded: SightlineEvent[] = [];

  beforeAll(async () => {
    fake = await startFakeGeminiServer({ apiKey: GEMINI_KEY, retryDelaySeconds: 1 });
    let apiKey: string;
    let base: string;
    ({ app, apiKey, base } = await startGatewayApp(
      'gemini',
      {
        GEMINI_BASE_URL: fake.url,
        GEMINI_API_KEY: GEMINI_KEY,
        SIGHTLINE_MAX_ATTEMPTS: '2',
      },
      recorded,
    ));
    client = new OpenAI({ apiKey, baseURL: `${base}/v1`, maxRetries: 0 });
    claude = new Anthropic({ apiKey, baseURL: base, maxRetries: 0 });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  /** The last request the fake Gemini server received. */
  const upstream = () => fake.requests.at(-1)!;

  it('answers a chat completion from generateContent, system prompt and usage translated', async () => {
    const completion = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello from the openai sdk' },
      ],
      max_tokens: 40,
      temperature: 0.3,
    });

    expect(upstream().path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(upstream().headers['x-goog-api-key']).toBe(GEMINI_KEY);
    expect(upstream().body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'hello from the openai sdk' }] }],
      generationConfig: { maxOutputTokens: 40, temperature: 0.3 },
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0].message.content).toMatch(/^Mock reply to: hello from the openai sdk/);
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.usage!.total_tokens).toBe(
      completion.usage!.prompt_tokens + completion.usage!.completion_tokens,
    );
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('streams from streamGenerateContent with usage, as the SDK reads OpenAI streams', async () => {
    const messages = [{ role: 'user' as const, content: 'stream it [mock:tokens:5]' }];
    const stream = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }

    expect(upstream().path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(text).toBe('Mock reply to: stream it');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ completion_tokens: 5, total_tokens: usage!.prompt_tokens + 5 });
    const ended = await eventually(
      async () =>
        recorded.find((e) => e.type === 'generation.completed' && e.data.output.choices[0]?.content === text),
      (e) => e !== undefined,
    );
    expect((ended as GenerationCompleted).data).toMatchObject({ usage: { outputTokens: 5 } });
    const requested = recorded.find((e) => e.type === 'generation.requested' && e.spanId === ended!.spanId);
    expect(requested?.data).toMatchObject({ provider: 'gemini', model: 'gemini-2.5-flash' });
  });

  it('calls a tool, then takes its result back as a function response', async () => {
    const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', description: 'Weather in a city', parameters } },
    ];
    const ask = { role: 'user' as const, content: 'weather in Oslo [mock:tool:get_weather]' };
    const first = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [ask],
      tools,
      tool_choice: 'auto',
    });
    const call = first.choices[0].message.tool_calls![0];

    expect(first.choices[0].finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({
      id: expect.stringMatching(/^call_/),
      type: 'function',
      function: { name: 'get_weather', arguments: '{"input":"weather in Oslo"}' },
    });
    expect(upstream().body).toMatchObject({
      tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: parameters }] }],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    });

    const second = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [
        ask,
        first.choices[0].message,
        { role: 'tool', tool_call_id: call.id, content: 'snow, -3 °C' },
        { role: 'user', content: 'so, a coat?' },
      ],
      tools,
    });

    expect(upstream().body).toMatchObject({
      contents: [
        { role: 'user' },
        {
          role: 'model',
          parts: [{ functionCall: { name: 'get_weather', args: { input: 'weather in Oslo' } } }],
        },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_weather', response: { output: 'snow, -3 °C' } } }],
        },
        { role: 'user', parts: [{ text: 'so, a coat?' }] },
      ],
    });
    expect(second.choices[0].message.content).toMatch(/^Mock reply to: so, a coat\?/);
  });

  it('returns JSON matching the caller’s JSON schema (structured output)', async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, celsius: { type: 'integer' } },
      required: ['city', 'celsius'],
      additionalProperties: false,
    };
    const completion = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'weather as JSON' }],
      response_format: { type: 'json_schema', json_schema: { name: 'weather', schema, strict: true } },
    });

    expect(upstream().body).toMatchObject({
      generationConfig: { responseMimeType: 'application/json', responseJsonSchema: schema },
    });
    const value = JSON.parse(completion.choices[0].message.content!) as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['city', 'celsius']);
    expect(Number.isInteger(value.celsius)).toBe(true);
  });

  it('refuses what Gemini cannot do with a 400 naming it, before calling Google', async () => {
    const before = fake.requests.length;
    const failure = client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'x' }],
      logit_bias: { '42': 10 },
    });

    await expect(failure).rejects.toMatchObject({
      status: 400,
      param: 'logit_bias',
      message: expect.stringContaining('logit_bias'),
    });
    expect(fake.requests.length).toBe(before);
  });

  it('retries a 429 after Google’s RetryInfo delay, then passes it on with that delay as retry-after', async () => {
    const before = fake.requests.length;
    const started = Date.now();
    const failure = client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: '[mock:error:429]' }],
    });

    const error = (await failure.catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('1');
    expect(error.message).toContain('You exceeded your current quota');
    // Two attempts (SIGHTLINE_MAX_ATTEMPTS), the second after the 1 s Google asked for.
    expect(fake.requests.length - before).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  describe('called with the Anthropic SDK (/v1/messages)', () => {
    it('answers a message, system prompt and usage translated both ways', async () => {
      const message = await claude.messages.create({
        model: 'gemini-2.5-flash',
        max_tokens: 64,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'hello from the anthropic sdk' }],
      });

      expect(upstream().body).toMatchObject({
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        contents: [{ role: 'user', parts: [{ text: 'hello from the anthropic sdk' }] }],
        generationConfig: { maxOutputTokens: 64 },
      });
      expect(message.type).toBe('message');
      expect(message.content).toEqual([
        { type: 'text', text: expect.stringMatching(/^Mock reply to: hello from the anthropic sdk/) },
      ]);
      expect(message.stop_reason).toBe('end_turn');
      expect(message.usage.output_tokens).toBeGreaterThan(0);
    });

    it('streams Gemini events as Anthropic events, a tool call as a tool_use block', async () => {
      const stream = claude.messages.stream({
        model: 'gemini-2.5-flash',
        max_tokens: 200,
        tools: [
          {
            name: 'get_weather',
            description: 'Weather',
            input_schema: { type: 'object', properties: { city: { type: 'string' } } },
          },
        ],
        messages: [{ role: 'user', content: 'Oslo weather [mock:tool:get_weather]' }],
      });
      const final = await stream.finalMessage();

      expect(upstream().path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
      expect(final.stop_reason).toBe('tool_use');
      expect(final.content).toEqual([
        { type: 'tool_use', id: expect.any(String), name: 'get_weather', input: { input: 'Oslo weather' } },
      ]);
      expect(final.usage.output_tokens).toBeGreaterThan(0);
    });
  });
});
