/**
 * The fake Gemini server checks requests as Google does (so translator mistakes fail loudly) and
 * answers in the documented shapes: JSON, SSE and the JSON-array stream.
 */
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
