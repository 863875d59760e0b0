/**
 * The fake Gemini server checks requests as Google does (so translator mistakes fail loudly) and
 * answers in the documented shapes: JSON, SSE and the JSON-array stream, which Google's own
 * `@google/genai` SDK reads.
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import { startFakeGeminiServer, type FakeGeminiServer } from './gemini-server';

let fake: FakeGeminiServer;

beforeAll(async () => {
  fake = await startFakeGeminiServer({ apiKey: 'k' });
});
afterAll(() => fake.close());

const post = (path: string, body: unknown, key = 'k'): Promise<Response> =>
  fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': key },
    body: JSON.stringify(body),
  });

const hello = { contents: [{ role: 'user', parts: [{ text: 'Hello [mock:tokens:3]' }] }] };

describe('fake Gemini server', () => {
  it('refuses a field the API does not know, as Google words it', async () => {
    const response = await post('/models/gemini-2.5-flash:generateContent', {
      ...hello,
      generationConfig: { max_tokens: 5 },
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        code: 400,
        status: 'INVALID_ARGUMENT',
        message:
          'Invalid JSON payload received. Unknown name "max_tokens" at \'generation_config\': Cannot find field.',
      },
    });
  });

  it('refuses a role other than user and model, and a request without contents', async () => {
    const role = await post('/models/m:generateContent', {
      contents: [{ role: 'assistant', parts: [{ text: 'x' }] }],
    });
    const empty = await post('/models/m:generateContent', { contents: [] });

    expect(await role.json()).toMatchObject({
      error: { code: 400, message: 'Please use a valid role: user, model.' },
    });
    expect(await empty.json()).toMatchObject({
      error: { code: 400, message: expect.stringContaining('contents is not specified') },
    });
  });

  it('answers a whole GenerateContentResponse, and the same as SSE events and as a JSON array', async () => {
    const whole = (await (await post('/models/gemini-2.5-flash:generateContent', hello)).json()) as Record<
      string,
      unknown
    >;
    const sse = await (await post('/models/gemini-2.5-flash:streamGenerateContent?alt=sse', hello)).text();
    const array = (await (
      await post('/models/gemini-2.5-flash:streamGenerateContent', hello)
    ).json()) as unknown[];

    expect(whole).toMatchObject({
      candidates: [
        {
          content: { parts: [{ text: 'Mock reply to:' }], role: 'model' },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 3, totalTokenCount: 11 },
      modelVersion: 'gemini-2.5-flash',
      responseId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
    const events = sse
      .split('\r\n\r\n')
      .filter(Boolean)
      .map(
        (e) =>
          JSON.parse(e.replace(/^data: /, '')) as {
            candidates: { content: { parts: { text: string }[] }; finishReason?: string }[];
          },
      );
    expect(events.map((e) => e.candidates[0].content.parts[0].text)).toEqual(['Mock', ' reply', ' to:']);
    expect(events.map((e) => e.candidates[0].finishReason)).toEqual([undefined, undefined, 'STOP']);
    expect(array).toHaveLength(3);
  });

  it('cuts the answer at a stop sequence and at maxOutputTokens', async () => {
    const stopped = (await (
      await post('/models/m:generateContent', { ...hello, generationConfig: { stopSequences: [' to'] } })
    ).json()) as {
      candidates: { content: { parts: { text: string }[] }; finishReason: string }[];
    };
    const cut = (await (
      await post('/models/m:generateContent', { ...hello, generationConfig: { maxOutputTokens: 1 } })
    ).json()) as typeof stopped;

    expect(stopped.candidates[0]).toMatchObject({
      content: { parts: [{ text: 'Mock reply' }] },
      finishReason: 'STOP',
    });
    expect(cut.candidates[0]).toMatchObject({
      content: { parts: [{ text: 'Mock' }] },
      finishReason: 'MAX_TOKENS',
    });
  });
});

describe('fake Gemini server, read by the official @google/genai SDK', () => {
  const ai = (): GoogleGenAI => new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: fake.origin } });

  it('answers generateContent: text, thoughts and usage', async () => {
    const response = await ai().models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Hello sdk [mock:tokens:5]',
      config: {
        systemInstruction: 'Be brief.',
        maxOutputTokens: 100,
        thinkingConfig: { includeThoughts: true, thinkingBudget: 512 },
      },
    });

    expect(fake.requests.at(-1)!.headers['x-goog-api-key']).toBe('k');
    expect(response.text).toBe('Mock reply to: Hello sdk');
    expect(response.candidates?.[0].content?.parts?.[0]).toMatchObject({ thought: true });
    expect(response.usageMetadata).toMatchObject({ candidatesTokenCount: 5, thoughtsTokenCount: 7 });
  });

  it('streams generateContentStream chunk by chunk, the last one with the finish reason', async () => {
    const chunks = [];
    for await (const chunk of await ai().models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Stream sdk [mock:tokens:4]',
    })) {
      chunks.push(chunk);
    }

    expect(chunks.map((c) => c.text).join('')).toBe('Mock reply to: Stream');
    expect(chunks.at(-1)?.candidates?.[0].finishReason).toBe('STOP');
    expect(chunks.at(-1)?.usageMetadata?.candidatesTokenCount).toBe(4);
  });

  it('answers a function call the SDK exposes as functionCalls', async () => {
    const response = await ai().models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Weather? [mock:tool:get_weather]',
      config: {
        tools: [
          { functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object' } }] },
        ],
      },
    });

    expect(response.functionCalls).toEqual([{ name: 'get_weather', args: { input: 'Weather?' } }]);
  });

  it('fails with Google’s error, which the SDK reports as an ApiError with its status', async () => {
    const failure = ai().models.generateContent({ model: 'gemini-2.5-flash', contents: '[mock:error:429]' });

    const error = (await failure.catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(429);
    expect(error.message).toContain('RESOURCE_EXHAUSTED');
  });
});
