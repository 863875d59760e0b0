import { InvalidInputError } from '../../../common/errors';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '../chat-completions';
import type { WireEvent } from '../wire-format';
import { bedrockConverseFormat as format } from './bedrock-converse.format';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
} as const;

/** A conversation with a system prompt, an image, two parallel tool calls and their results. */
const toolConversation: ChatCompletionRequest = {
  model: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
  messages: [
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather in Paris and Rome? ' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: 'tooluse_1',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
        {
          id: 'tooluse_2',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
        },
      ],
    },
    { role: 'tool', tool_call_id: 'tooluse_1', content: 'sunny' },
    { role: 'tool', tool_call_id: 'tooluse_2', content: 'rainy' },
    { role: 'user', content: 'Thanks. Which is warmer?' },
  ],
  tools: [weatherTool],
  tool_choice: 'auto',
  max_tokens: 200,
  temperature: 0.2,
  top_p: 0.9,
  stop: ['END'],
};

function unsupportedError(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).reason).toBe('unsupported_feature');
    return error as InvalidInputError;
  }
  throw new Error('expected an unsupported_feature error');
}

describe('Bedrock Converse wire format: requests', () => {
  it('translates system prompts, images, parallel tool calls and their results, tools and inference settings', () => {
    expect(format.fromChatRequest(toolConversation)).toEqual({
      system: [{ text: 'Be brief.' }],
      messages: [
        {
          role: 'user',
          content: [
            { text: 'Weather in Paris and Rome? ' },
            { image: { format: 'png', source: { bytes: PNG } } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
            { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather', input: { city: 'Rome' } } },
          ],
        },
        {
          // Both results and the next question share one user turn: Converse alternates roles.
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'tooluse_1', content: [{ text: 'sunny' }] } },
            { toolResult: { toolUseId: 'tooluse_2', content: [{ text: 'rainy' }] } },
            { text: 'Thanks. Which is warmer?' },
          ],
        },
      ],
      inferenceConfig: { maxTokens: 200, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'get_weather',
              description: 'Weather in a city',
              inputSchema: { json: weatherTool.function.parameters },
            },
          },
        ],
      },
    });
  });

  it('round-trips a hub request through Converse', () => {
    const { model: _model, tool_choice: _auto, ...rest } = toolConversation;
    const back = format.toChatRequest(format.fromChatRequest(toolConversation));
    expect(back).toEqual({
      ...rest,
      model: '',
      messages: [
        ...rest.messages.slice(0, 2),
        { ...rest.messages[2], content: null },
        ...rest.messages.slice(3),
      ],
    });
  });

  it('maps tool_choice required and a named function to any and tool', () => {
    const required = format.fromChatRequest({ ...toolConversation, tool_choice: 'required' }) as {
      toolConfig: { toolChoice: unknown };
    };
    expect(required.toolConfig.toolChoice).toEqual({ any: {} });
    const named = format.fromChatRequest({
      ...toolConversation,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    }) as { toolConfig: { toolChoice: unknown } };
    expect(named.toolConfig.toolChoice).toEqual({ tool: { name: 'get_weather' } });
  });

  it('sends JSON schema and JSON mode as outputConfig.textFormat, and reads them back', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    const base = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
    const withSchema = format.fromChatRequest({
      ...base,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } },
    });
    expect(withSchema).toMatchObject({
      outputConfig: {
        textFormat: {
          type: 'json_schema',
          structure: { jsonSchema: { name: 'answer', schema: JSON.stringify(schema) } },
        },
      },
    });
    expect(format.toChatRequest(withSchema).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema },
    });
    const jsonMode = format.fromChatRequest({ ...base, response_format: { type: 'json_object' } });
    expect(format.toChatRequest(jsonMode).response_format).toEqual({ type: 'json_object' });
  });

  it.each<[string, Partial<ChatCompletionRequest>, string]>([
    ['n > 1', { n: 2 }, 'n'],
    ['seed', { seed: 7 }, 'seed'],
    ['logprobs', { logprobs: true }, 'logprobs'],
    ['parallel_tool_calls: false', { parallel_tool_calls: false }, 'parallel_tool_calls'],
    ['an unknown field', { frobnicate: 1 }, 'frobnicate'],
  ])('refuses %s, naming it', (_name, extra, param) => {
    const error = unsupportedError(() => format.fromChatRequest({ ...toolConversation, ...extra }));
    expect(error.param).toBe(param);
    expect(error.message).toContain(param);
  });

  it("refuses a participant 'name' on a message, naming where it is", () => {
    const error = unsupportedError(() =>
      format.fromChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi', name: 'alice' }] }),
    );
    expect(error.param).toBe('messages.0.name');
  });

  it('refuses an image given by http URL (Converse takes bytes only)', () => {
    const error = unsupportedError(() =>
      format.fromChatRequest({
        model: 'm',
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x.test/a.png' } }] },
        ],
      }),
    );
    expect(error.message).toMatch(/image by URL/);
    expect(error.param).toBe('messages.0.content.0.image_url.url');
  });

  it("refuses tool_choice 'none' once the conversation holds tool calls, and drops the tools before", () => {
    unsupportedError(() => format.fromChatRequest({ ...toolConversation, tool_choice: 'none' }));
    const fresh = format.fromChatRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [weatherTool],
      tool_choice: 'none',
    });
    expect(fresh).not.toHaveProperty('toolConfig');
  });

  it('refuses tool arguments that are not JSON with a 400 naming them', () => {
    const call = { id: 'tooluse_1', type: 'function' as const, function: { name: 'f', arguments: '{oops' } };
    const bad: ChatCompletionRequest = {
      model: 'm',
      messages: [...toolConversation.messages.slice(0, 2), { role: 'assistant', tool_calls: [call] }],
    };
    expect(() => format.fromChatRequest(bad)).toThrow(
      expect.objectContaining({
        reason: 'invalid_value',
        param: 'messages.2.tool_calls.0.function.arguments',
      }),
    );
  });

  it('refuses Converse-only fields when a Converse body is read', () => {
    unsupportedError(() =>
      format.toChatRequest({
        messages: [],
        guardrailConfig: { guardrailIdentifier: 'g', guardrailVersion: '1' },
      }),
    );
  });
});

const converseAnswer = {
  output: {
    message: {
      role: 'assistant',
      content: [
        { reasoningContent: { reasoningText: { text: 'Two cities.', signature: 'sig' } } },
        { text: 'Checking both.' },
        { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
        { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather', input: { city: 'Rome' } } },
      ],
    },
  },
  stopReason: 'tool_use',
  // Converse counts the cache apart from inputTokens, inside totalTokens; the hub's prompt_tokens counts it.
  usage: {
    inputTokens: 30,
    outputTokens: 12,
    totalTokens: 50,
    cacheReadInputTokens: 8,
    cacheWriteInputTokens: 0,
  },
  metrics: { latencyMs: 321 },
};

describe('Bedrock Converse wire format: answers', () => {
  it('translates an answer with reasoning, text and parallel tool calls, stop reason and usage', () => {
    expect(format.toChatCompletion(converseAnswer)).toEqual({
      id: '',
      object: 'chat.completion',
      created: 0,
      model: '',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Checking both.',
            reasoning_content: 'Two cities.',
            tool_calls: [
              {
                id: 'tooluse_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              {
                id: 'tooluse_2',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Rome"}' },
              },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 38,
        completion_tokens: 12,
        total_tokens: 50,
        prompt_tokens_details: { cached_tokens: 8 },
      },
    });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['guardrail_intervened', 'content_filter'],
    ['malformed_tool_use', 'malformed_tool_use'],
  ])('maps stopReason %s to finish_reason %s', (stopReason, finish) => {
    const answer = {
      ...converseAnswer,
      output: { message: { role: 'assistant', content: [{ text: 'x' }] } },
      stopReason,
    };
    expect(format.toChatCompletion(answer).choices[0].finish_reason).toBe(finish);
  });

  it('round-trips an answer through the hub (signatures aside)', () => {
    const back = format.fromChatCompletion(format.toChatCompletion(converseAnswer));
    const content = converseAnswer.output.message.content.map((block) =>
      block.reasoningContent ? { reasoningContent: { reasoningText: { text: 'Two cities.' } } } : block,
    );
    expect(back).toEqual({
      ...converseAnswer,
      output: { message: { role: 'assistant', content } },
      usage: { inputTokens: 30, outputTokens: 12, totalTokens: 50, cacheReadInputTokens: 8 },
      metrics: { latencyMs: 0 },
    });
  });
});

/** A ConverseStream as the transport decodes it: text, then two tool calls with fragmented input. */
const streamEvents: WireEvent[] = [
  { event: 'messageStart', data: { role: 'assistant', p: 'abcd' } },
  {
    event: 'contentBlockDelta',
    data: { contentBlockIndex: 0, delta: { reasoningContent: { text: 'Hmm.' } } },
  },
  { event: 'contentBlockStop', data: { contentBlockIndex: 0 } },
  { event: 'contentBlockDelta', data: { contentBlockIndex: 1, delta: { text: 'Checking' } } },
  { event: 'contentBlockDelta', data: { contentBlockIndex: 1, delta: { text: ' both.' } } },
  { event: 'contentBlockStop', data: { contentBlockIndex: 1 } },
  {
    event: 'contentBlockStart',
    data: { contentBlockIndex: 2, start: { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather' } } },
  },
  { event: 'contentBlockDelta', data: { contentBlockIndex: 2, delta: { toolUse: { input: '{"city":' } } } },
  { event: 'contentBlockDelta', data: { contentBlockIndex: 2, delta: { toolUse: { input: '"Paris"}' } } } },
  { event: 'contentBlockStop', data: { contentBlockIndex: 2 } },
  {
    event: 'contentBlockStart',
    data: { contentBlockIndex: 3, start: { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather' } } },
  },
  {
    event: 'contentBlockDelta',
    data: { contentBlockIndex: 3, delta: { toolUse: { input: '{"city":"Rome"}' } } },
  },
  { event: 'contentBlockStop', data: { contentBlockIndex: 3 } },
  { event: 'messageStop', data: { stopReason: 'tool_use' } },
  {
    event: 'metadata',
    data: { usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 }, metrics: { latencyMs: 99 } },
  },
];

function decode(events: readonly WireEvent[]): ChatCompletionChunk[] {
  const decoder = format.streamDecoder();
  return [...events.flatMap((e) => decoder.push(e)), ...decoder.end()];
}

describe('Bedrock Converse wire format: streams', () => {
  it('decodes ConverseStream events into hub chunks: role, reasoning, text, tool calls by index, finish, usage', () => {
    const deltas = decode(streamEvents).map((c) =>
      c.choices.length ? [c.choices[0].delta, c.choices[0].finish_reason] : c.usage,
    );
    expect(deltas).toEqual([
      [{ role: 'assistant', content: '' }, null],
      [{ reasoning_content: 'Hmm.' }, null],
      [{ content: 'Checking' }, null],
      [{ content: ' both.' }, null],
      [
        {
          tool_calls: [
            { index: 0, id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ],
        },
        null,
      ],
      [{ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, null],
      [{ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, null],
      [
        {
          tool_calls: [
            { index: 1, id: 'tooluse_2', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ],
        },
        null,
      ],
      [{ tool_calls: [{ index: 1, function: { arguments: '{"city":"Rome"}' } }] }, null],
      [{}, 'tool_calls'],
      { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 },
    ]);
  });

  it('encodes hub chunks back into the same events (decode → encode → decode gives the same chunks)', () => {
    const chunks = decode(streamEvents);
    const encoder = format.streamEncoder();
    const text = chunks.map((c) => encoder.push(c)).join('') + encoder.end();
    const reEvents = text
      .trim()
      .split('\n')
      .map((line) => {
        const [[event, data]] = Object.entries(JSON.parse(line) as Record<string, unknown>);
        return { event, data };
      });
    expect(reEvents.map((e) => e.event)).toEqual(streamEvents.map((e) => e.event));
    expect(decode(reEvents)).toEqual(chunks);
  });

  it('ignores events it has no use for (a future event type)', () => {
    expect(decode([{ event: 'somethingNew', data: {} }])).toEqual([]);
  });
});

describe('Bedrock Converse wire format: hub answers for Converse callers', () => {
  it('writes a hub answer as a Converse answer', () => {
    const completion: ChatCompletion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    };
    expect(format.fromChatCompletion(completion)).toEqual({
      output: { message: { role: 'assistant', content: [{ text: 'Hello' }] } },
      stopReason: 'max_tokens',
      usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
      metrics: { latencyMs: 0 },
    });
  });
});
