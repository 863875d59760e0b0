import Anthropic from '@anthropic-ai/sdk';
import { runMockModel } from '../../../src/providers/mock/mock-model';
import { startFakeAnthropicServer, type FakeAnthropicServer } from './anthropic-server';

const API_KEY = 'sk-ant-fake-key';

/** The official SDK reads the fake as it reads Anthropic: the fake's wire format is the documented one. */
describe('fake Anthropic server, read by the official @anthropic-ai/sdk', () => {
  let fake: FakeAnthropicServer;
  let client: Anthropic;

  beforeAll(async () => {
    fake = await startFakeAnthropicServer({ apiKey: API_KEY });
    client = new Anthropic({ apiKey: API_KEY, baseURL: fake.url, maxRetries: 0 });
  });
  afterAll(() => fake.close());

  it('answers a message with the mock model, system prompt included', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 200,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Tell me about traces' }],
    });
    const expected = runMockModel({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Tell me about traces' },
      ],
    });
    if (expected.kind !== 'reply') throw new Error('expected a reply');
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: expected.content }],
      stop_reason: 'end_turn',
      usage: { input_tokens: expected.usage.inputTokens, output_tokens: expected.usage.outputTokens },
    });
    expect(fake.requests.at(-1)?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('streams the documented event sequence, which the SDK assembles into the same message', async () => {
    const params = {
      model: 'claude-sonnet-4-5',
      max_tokens: 200,
      messages: [{ role: 'user' as const, content: 'Stream please' }],
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
    };
    const types: string[] = [];
    const stream = client.messages.stream(params);
    stream.on('streamEvent', (event) => types.push(event.type));
    const streamed = await stream.finalMessage();
    const whole = await client.messages.create(params);
    expect(types.slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(streamed.content).toEqual(
      whole.content.map((b) => (b.type === 'text' ? { ...b, citations: null } : b)),
    );
    expect(streamed.content[0]).toMatchObject({ type: 'thinking', signature: expect.any(String) });
    expect(streamed.usage.output_tokens).toBe(whole.usage.output_tokens);
  });

  it('calls a tool: tool_use block, streamed input as JSON fragments', async () => {
    const params = {
      model: 'claude-haiku-4-5',
      max_tokens: 200,
      messages: [{ role: 'user' as const, content: 'Paris [mock:tool:get_weather]' }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object' as const } }],
    };
    const whole = await client.messages.create(params);
    expect(whole).toMatchObject({
      stop_reason: 'tool_use',
      content: [{ type: 'tool_use', name: 'get_weather', input: { input: 'Paris' } }],
    });
    const streamed = await client.messages.stream(params).finalMessage();
    expect(streamed.content).toEqual(whole.content);
  });

  it('stops at a stop sequence', async () => {
    const message = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 200,
      stop_sequences: ['to:'],
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(message).toMatchObject({
      stop_reason: 'stop_sequence',
      stop_sequence: 'to:',
      content: [{ text: 'Mock reply ' }],
    });
  });

  it('counts tokens as the message usage reports them', async () => {
    const messages = [{ role: 'user' as const, content: 'Count these words please' }];
    const count = await client.messages.countTokens({ model: 'claude-haiku-4-5', messages });
    const message = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 5, messages });
    expect(count.input_tokens).toBe(message.usage.input_tokens);
  });

  it.each([
    [400, Anthropic.BadRequestError, 'invalid_request_error'],
    [401, Anthropic.AuthenticationError, 'authentication_error'],
    [429, Anthropic.RateLimitError, 'rate_limit_error'],
    [529, Anthropic.InternalServerError, 'overloaded_error'],
  ])('fails a %i as the SDK expects (%p, %s)', async (status, kind, type) => {
    const error = await client.messages
      .create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: `[mock:error:${status}]` }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    expect(error).toMatchObject({ status, error: { type: 'error', error: { type } } });
    expect((error as InstanceType<typeof Anthropic.APIError>).requestID).toMatch(/^req_/);
    if (status === 429)
      expect((error as InstanceType<typeof Anthropic.APIError>).headers?.get('retry-after')).toBe('7');
  });

  it('refuses a wrong key, a missing max_tokens and a missing version', async () => {
    const wrong = new Anthropic({ apiKey: 'nope', baseURL: fake.url, maxRetries: 0 });
    await expect(
      wrong.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    const response = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': API_KEY,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
    const noVersion = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY },
      body: '{}',
    });
    expect(noVersion.status).toBe(400);
  });
});
