/**
 * The fake Bedrock server against the official AWS SDK client: if the SDK signs, parses JSON,
 * decodes the binary event stream and recognises the error types, the fake speaks Bedrock's wire.
 */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { runMockModel, type MockReply } from '../../../src/providers/mock/mock-model';
import { startFakeBedrockServer, type FakeBedrockServer } from './bedrock-server';

const KEY = { accessKeyId: 'AKIDSIGHTLINETEST', secretAccessKey: 'fake-secret-access-key' };
const MODEL = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

describe('fake Bedrock server, called by the AWS SDK', () => {
  let server: FakeBedrockServer;
  const client = (secretAccessKey = KEY.secretAccessKey): BedrockRuntimeClient =>
    new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey },
      maxAttempts: 1,
      // Bedrock speaks HTTP/2 and HTTP/1.1; the fake (like Sightline's adapter) uses HTTP/1.1.
      requestHandler: new NodeHttpHandler(),
    });

  beforeAll(async () => {
    server = await startFakeBedrockServer(KEY);
  });
  afterAll(() => server.close());

  const question = 'What does a span record?';
  const expected = runMockModel({
    messages: [
      { role: 'system', content: [{ text: 'Be brief.' }] },
      { role: 'user', content: [{ text: question }] },
    ],
  }) as MockReply;

  it('answers Converse with the mock model reply, stop reason and usage; the SigV4 signature checks out', async () => {
    const answer = await client().send(
      new ConverseCommand({
        modelId: MODEL,
        system: [{ text: 'Be brief.' }],
        messages: [{ role: 'user', content: [{ text: question }] }],
      }),
    );
    expect(answer.output?.message?.content).toEqual([{ text: expected.content }]);
    expect(answer.stopReason).toBe('end_turn');
    expect(answer.usage).toEqual({
      inputTokens: expected.usage.inputTokens,
      outputTokens: expected.usage.outputTokens,
      totalTokens: expected.usage.totalTokens,
    });
    const recorded = server.requests.at(-1)!;
    expect(recorded.path).toBe(`/model/${encodeURIComponent(MODEL)}/converse`);
    expect(recorded.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDSIGHTLINETEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/,
    );
  });

  it('streams ConverseStream as binary event-stream messages the SDK decodes', async () => {
    const answer = await client().send(
      new ConverseStreamCommand({
        modelId: MODEL,
        system: [{ text: 'Be brief.' }],
        messages: [{ role: 'user', content: [{ text: question }] }],
      }),
    );
    const events: ConverseStreamOutput[] = [];
    for await (const event of answer.stream!) events.push(event);
    const kinds = events.map((e) =>
      Object.keys(e).find((k) => (e as unknown as Record<string, unknown>)[k] !== undefined),
    );
    expect(kinds[0]).toBe('messageStart');
    expect(kinds.slice(-3)).toEqual(['contentBlockStop', 'messageStop', 'metadata']);
    const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
    expect(text).toBe(expected.content);
    expect(events.at(-1)?.metadata?.usage?.outputTokens).toBe(expected.usage.outputTokens);
  });

  it('streams a tool call as a toolUse block start then input fragments', async () => {
    const answer = await client().send(
      new ConverseStreamCommand({
        modelId: MODEL,
        messages: [{ role: 'user', content: [{ text: 'Paris weather [mock:tool:get_weather]' }] }],
        toolConfig: {
          tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object' } } } }],
        },
      }),
    );
    const events: ConverseStreamOutput[] = [];
    for await (const event of answer.stream!) events.push(event);
    expect(events[1].contentBlockStart?.start?.toolUse).toMatchObject({ name: 'get_weather' });
    const input = events.map((e) => e.contentBlockDelta?.delta?.toolUse?.input ?? '').join('');
    expect(JSON.parse(input)).toEqual({ input: 'Paris weather' });
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('tool_use');
  });

  it('refuses a request signed with another secret (InvalidSignatureException, 403)', async () => {
    const call = client('not-the-secret').send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
    );
    await expect(call).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('answers the error hook with the AWS error type of that status', async () => {
    const call = client().send(
      new ConverseCommand({
        modelId: MODEL,
        messages: [{ role: 'user', content: [{ text: 'hi [mock:error:429]' }] }],
      }),
    );
    await expect(call).rejects.toMatchObject({
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 429 },
    });
  });

  it('refuses a conversation whose roles do not alternate (ValidationException)', async () => {
    const call = client().send(
      new ConverseCommand({
        modelId: MODEL,
        messages: [
          { role: 'user', content: [{ text: 'a' }] },
          { role: 'user', content: [{ text: 'b' }] },
        ],
      }),
    );
    await expect(call).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/alternate/),
    });
  });
});
