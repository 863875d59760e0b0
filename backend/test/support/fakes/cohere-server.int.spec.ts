/**
 * The fake Cohere server against the official `cohere-ai` client (v2): if the SDK parses the JSON,
 * the SSE stream and the errors, the fake speaks Cohere's wire.
 */
import { CohereClientV2, CohereError } from 'cohere-ai';
import { runMockModel, type MockReply } from '../../../src/providers/mock/mock-model';
import { startFakeCohereServer, type FakeCohereServer } from './cohere-server';

const API_KEY = 'co-test-key';

describe('fake Cohere server, called by the cohere-ai SDK', () => {
  let server: FakeCohereServer;
  const client = (token = API_KEY): CohereClientV2 =>
    new CohereClientV2({ token, baseUrl: server.origin, maxRetries: 0 });

  beforeAll(async () => {
    server = await startFakeCohereServer({ apiKey: API_KEY });
  });
  afterAll(() => server.close());

  const messages = [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'What does a span record?' },
  ];
  const expected = runMockModel({ messages }) as MockReply;

  it('answers v2 chat with the mock model reply, finish reason and billed usage', async () => {
    const answer = await client().chat({ model: 'command-a-03-2025', messages });
    expect(answer.message.content).toEqual([{ type: 'text', text: expected.content }]);
    expect(answer.finishReason).toBe('COMPLETE');
    expect(answer.usage?.billedUnits).toEqual({
      inputTokens: expected.usage.inputTokens,
      outputTokens: expected.usage.outputTokens,
    });
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('streams the events the SDK expects, text deltas adding up to the reply', async () => {
    const stream = await client().chatStream({ model: 'command-a-03-2025', messages });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content-delta') text += event.delta?.message?.content?.text ?? '';
      if (event.type === 'message-end')
        expect(event.delta?.usage?.tokens?.outputTokens).toBe(expected.usage.outputTokens);
    }
    expect(text).toBe(expected.content);
    expect(types[0]).toBe('message-start');
    expect(types.slice(-2)).toEqual(['content-end', 'message-end']);
  });

  it('streams a tool call: plan, start with id and name, argument fragments, end', async () => {
    const stream = await client().chatStream({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Paris weather [mock:tool:get_weather]' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
    });
    let args = '';
    let name = '';
    let finish = '';
    for await (const event of stream) {
      if (event.type === 'tool-call-start') name = event.delta?.message?.toolCalls?.function?.name ?? '';
      if (event.type === 'tool-call-delta')
        args += event.delta?.message?.toolCalls?.function?.arguments ?? '';
      if (event.type === 'message-end') finish = event.delta?.finishReason ?? '';
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toEqual({ input: 'Paris weather' });
    expect(finish).toBe('TOOL_CALL');
  });

  it('refuses a wrong key (401) and answers the error hook with its status and a message', async () => {
    await expect(client('wrong').chat({ model: 'command-a-03-2025', messages })).rejects.toMatchObject({
      statusCode: 401,
      body: { message: 'invalid api token' },
    });
    const failing = client().chat({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'x [mock:error:429]' }],
    });
    await expect(failing).rejects.toBeInstanceOf(CohereError);
    await expect(failing).rejects.toMatchObject({ statusCode: 429 });
  });
});
