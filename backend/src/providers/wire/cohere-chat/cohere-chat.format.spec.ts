import { InvalidInputError, ProviderError } from '../../../common/errors';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../chat-completions';
import type { WireEvent } from '../wire-format';
import { cohereChatFormat as format } from './cohere-chat.format';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
} as const;

const calls = [
  { id: 'get_weather_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
  { id: 'get_weather_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
] as const;

const toolConversation: ChatCompletionRequest = {
  model: 'command-a-03-2025',
  messages: [
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather in Paris and Rome?' },
        { type: 'image_url', image_url: { url: 'https://example.test/map.png', detail: 'low' } },
      ],
    },
    { role: 'assistant', content: 'I will look both up.', tool_calls: calls },
    { role: 'tool', tool_call_id: 'get_weather_1', content: 'sunny' },
    { role: 'tool', tool_call_id: 'get_weather_2', content: 'rainy' },
    { role: 'user', content: 'Which is warmer?' },
  ],
  tools: [weatherTool],
  max_tokens: 200,
  temperature: 0.2,
  top_p: 0.9,
  stop: 'END',
  seed: 42,
  stream: true,
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

describe('Cohere Chat v2 wire format: requests', () => {
  it('translates system prompts, images, the tool plan, parallel tool calls and results, and sampling settings', () => {
    expect(format.fromChatRequest(toolConversation)).toEqual({
      model: 'command-a-03-2025',
      stream: true,
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in Paris and Rome?' },
            { type: 'image_url', image_url: { url: 'https://example.test/map.png', detail: 'low' } },
          ],
        },
        { role: 'assistant', tool_plan: 'I will look both up.', tool_calls: calls },
        { role: 'tool', tool_call_id: 'get_weather_1', content: 'sunny' },
        { role: 'tool', tool_call_id: 'get_weather_2', content: 'rainy' },
        { role: 'user', content: 'Which is warmer?' },
      ],
      tools: [weatherTool],
      max_tokens: 200,
      temperature: 0.2,
      p: 0.9,
      stop_sequences: ['END'],
      seed: 42,
    });
  });

  it('round-trips a hub request through Cohere', () => {
    expect(format.toChatRequest(format.fromChatRequest(toolConversation))).toEqual({
      ...toolConversation,
      stop: ['END'],
    });
  });

  it('maps tool_choice: required and none, and a named function to REQUIRED with only that tool', () => {
    const other = { type: 'function' as const, function: { name: 'other', parameters: { type: 'object' } } };
    const base = { ...toolConversation, tools: [weatherTool, other] };
    expect(format.fromChatRequest({ ...base, tool_choice: 'required' })).toMatchObject({
      tool_choice: 'REQUIRED',
    });
    expect(format.fromChatRequest({ ...base, tool_choice: 'none' })).toMatchObject({ tool_choice: 'NONE' });
    const named = format.fromChatRequest({
      ...base,
      tool_choice: { type: 'function', function: { name: 'other' } },
    });
    expect(named).toMatchObject({ tool_choice: 'REQUIRED', tools: [other] });
  });

  it('sends JSON mode and JSON schema as response_format json_object', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    const base = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
    expect(format.fromChatRequest({ ...base, response_format: { type: 'json_object' } })).toMatchObject({
      response_format: { type: 'json_object' },
    });
    const withSchema = format.fromChatRequest({
      ...base,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } },
    });
    expect(withSchema).toMatchObject({ response_format: { type: 'json_object', json_schema: schema } });
    expect(format.toChatRequest(withSchema).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema },
    });
  });

  it.each<[string, Partial<ChatCompletionRequest>, string]>([
    ['n > 1', { n: 3 }, 'n'],
    ['top_logprobs', { logprobs: true, top_logprobs: 2 }, 'top_logprobs'],
    ['logit_bias', { logit_bias: { '1': 2 } }, 'logit_bias'],
    ['audio output', { modalities: ['text', 'audio'] }, 'modalities'],
  ])('refuses %s, naming it', (_name, extra, param) => {
    const error = unsupportedError(() => format.fromChatRequest({ ...toolConversation, ...extra }));
    expect(error.param).toBe(param);
  });

  it("refuses a participant 'name' on a message, naming where it is", () => {
    const error = unsupportedError(() =>
      format.fromChatRequest({ model: 'm', messages: [{ role: 'user', content: 'hi', name: 'alice' }] }),
    );
    expect(error.param).toBe('messages.0.name');
  });

  it('refuses an audio content part, naming where it is', () => {
    const error = unsupportedError(() =>
      format.fromChatRequest({
        model: 'm',
        messages: [
          { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] },
        ],
      }),
    );
    expect(error.param).toBe('messages.0.content.0');
    expect(error.message).toContain('input_audio');
  });

  it('refuses Cohere-only features (documents for RAG) when a Cohere body is read', () => {
    const error = unsupportedError(() =>
      format.toChatRequest({ model: 'm', messages: [], documents: [{ data: { text: 'x' } }] }),
    );
    expect(error.param).toBe('documents');
  });
});

const cohereAnswer = {
  id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
  finish_reason: 'TOOL_CALL',
  message: {
    role: 'assistant',
    tool_plan: 'I will look both up.',
    tool_calls: calls,
  },
  usage: {
    billed_units: { input_tokens: 30, output_tokens: 12 },
    tokens: { input_tokens: 950, output_tokens: 60 },
    cached_tokens: 8,
  },
};

describe('Cohere Chat v2 wire format: answers', () => {
  it('translates an answer with a tool plan and parallel tool calls, finish reason and billed usage', () => {
    expect(format.toChatCompletion(cohereAnswer)).toEqual({
      id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
      object: 'chat.completion',
      created: 0,
      model: '',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'I will look both up.', tool_calls: calls },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 30,
        completion_tokens: 12,
        total_tokens: 42,
        prompt_tokens_details: { cached_tokens: 8 },
      },
    });
  });

  it('translates text, thinking and log-probabilities', () => {
    const answer = {
      id: 'x',
      finish_reason: 'MAX_TOKENS',
      message: {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Short.' },
          { type: 'text', text: 'Hello world' },
        ],
      },
      logprobs: [
        { text: 'Hello', token_ids: [1], logprobs: [-0.5] },
        { text: ' world', token_ids: [2, 3], logprobs: [-0.25, -0.25] },
      ],
    };
    const choice = format.toChatCompletion(answer).choices[0];
    expect(choice.message).toEqual({
      role: 'assistant',
      content: 'Hello world',
      reasoning_content: 'Short.',
    });
    expect(choice.finish_reason).toBe('length');
    expect(choice.logprobs).toEqual({
      content: [
        { token: 'Hello', logprob: -0.5, bytes: null, top_logprobs: [] },
        { token: ' world', logprob: -0.5, bytes: null, top_logprobs: [] },
      ],
    });
  });

  it('round-trips an answer through the hub (processed-token counts aside)', () => {
    const back = format.fromChatCompletion(format.toChatCompletion(cohereAnswer));
    expect(back).toEqual({
      ...cohereAnswer,
      usage: { ...cohereAnswer.usage, tokens: { input_tokens: 30, output_tokens: 12 } },
    });
  });
});

/** A v2 stream: a tool plan, then two tool calls with fragmented arguments. */
const streamEvents: WireEvent[] = [
  {
    event: 'message-start',
    data: {
      id: 'gen-1',
      type: 'message-start',
      delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } },
    },
  },
  {
    event: 'content-start',
    data: { type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } },
  },
  {
    event: 'content-delta',
    data: { type: 'content-delta', index: 0, delta: { message: { content: { text: 'Checking' } } } },
  },
  {
    event: 'content-delta',
    data: { type: 'content-delta', index: 0, delta: { message: { content: { text: ' both.' } } } },
  },
  { event: 'content-end', data: { type: 'content-end', index: 0 } },
  {
    event: 'tool-call-start',
    data: {
      type: 'tool-call-start',
      index: 0,
      delta: {
        message: {
          tool_calls: {
            id: 'get_weather_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        },
      },
    },
  },
  {
    event: 'tool-call-delta',
    data: {
      type: 'tool-call-delta',
      index: 0,
      delta: { message: { tool_calls: { function: { arguments: '{"city":' } } } },
    },
  },
  {
    event: 'tool-call-delta',
    data: {
      type: 'tool-call-delta',
      index: 0,
      delta: { message: { tool_calls: { function: { arguments: '"Paris"}' } } } },
    },
  },
  { event: 'tool-call-end', data: { type: 'tool-call-end', index: 0 } },
  {
    event: 'tool-call-start',
    data: {
      type: 'tool-call-start',
      index: 1,
      delta: {
        message: {
          tool_calls: {
            id: 'get_weather_2',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        },
      },
    },
  },
  {
    event: 'tool-call-delta',
    data: {
      type: 'tool-call-delta',
      index: 1,
      delta: { message: { tool_calls: { function: { arguments: '{"city":"Rome"}' } } } },
    },
  },
  { event: 'tool-call-end', data: { type: 'tool-call-end', index: 1 } },
  {
    event: 'message-end',
    data: {
      type: 'message-end',
      delta: {
        finish_reason: 'TOOL_CALL',
        usage: {
          billed_units: { input_tokens: 30, output_tokens: 12 },
          tokens: { input_tokens: 30, output_tokens: 12 },
        },
      },
    },
  },
  { event: 'message', data: '[DONE]' },
];

function decode(events: readonly WireEvent[]): ChatCompletionChunk[] {
  const decoder = format.streamDecoder();
  return [...events.flatMap((e) => decoder.push(e)), ...decoder.end()];
}

/** Parses SSE text into events the way the gateway's SSE reader hands them over. */
function parseSse(text: string): WireEvent[] {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const fields = Object.fromEntries(
        block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
      );
      const data = fields.data === '[DONE]' ? '[DONE]' : (JSON.parse(fields.data) as unknown);
      return { event: fields.event ?? 'message', data };
    });
}

describe('Cohere Chat v2 wire format: streams', () => {
  it('decodes v2 stream events into hub chunks: role, text, tool calls by index, finish, usage', () => {
    const chunks = decode(streamEvents);
    expect(chunks.every((c) => c.id === 'gen-1')).toBe(true);
    const deltas = chunks.map((c) =>
      c.choices.length ? [c.choices[0].delta, c.choices[0].finish_reason] : c.usage,
    );
    expect(deltas).toEqual([
      [{ role: 'assistant', content: '' }, null],
      [{ content: 'Checking' }, null],
      [{ content: ' both.' }, null],
      [
        {
          tool_calls: [
            {
              index: 0,
              id: 'get_weather_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '' },
            },
          ],
        },
        null,
      ],
      [{ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, null],
      [{ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, null],
      [
        {
          tool_calls: [
            {
              index: 1,
              id: 'get_weather_2',
              type: 'function',
              function: { name: 'get_weather', arguments: '' },
            },
          ],
        },
        null,
      ],
      [{ tool_calls: [{ index: 1, function: { arguments: '{"city":"Rome"}' } }] }, null],
      [{}, 'tool_calls'],
      { prompt_tokens: 30, completion_tokens: 12, total_tokens: 42 },
    ]);
  });

  it('encodes hub chunks into the same SSE events (decode → encode → decode gives the same chunks)', () => {
    const chunks = decode(streamEvents);
    const encoder = format.streamEncoder();
    const text = chunks.map((c) => encoder.push(c)).join('') + encoder.end();
    const events = parseSse(text);
    expect(events.map((e) => e.event)).toEqual(streamEvents.map((e) => e.event));
    expect(text).toMatch(/^event: message-start\ndata: \{"type":"message-start","id":"gen-1",/);
    expect(
      text.endsWith(
        'event: message-end\ndata: {"type":"message-end","delta":{"finish_reason":"TOOL_CALL","usage":{"billed_units":{"input_tokens":30,"output_tokens":12},"tokens":{"input_tokens":30,"output_tokens":12}}}}\n\ndata: [DONE]\n\n',
      ),
    ).toBe(true);
    expect(decode(events)).toEqual(chunks);
  });

  it('decodes thinking as reasoning_content and a tool plan as content', () => {
    const chunks = decode([
      {
        event: 'content-delta',
        data: { type: 'content-delta', index: 0, delta: { message: { content: { thinking: 'Hmm' } } } },
      },
      {
        event: 'tool-plan-delta',
        data: { type: 'tool-plan-delta', delta: { message: { tool_plan: 'I will' } } },
      },
    ]);
    expect(chunks.map((c) => c.choices[0].delta)).toEqual([
      { reasoning_content: 'Hmm' },
      { content: 'I will' },
    ]);
  });

  it('throws a ProviderError when the stream ends with finish_reason ERROR', () => {
    const decoder = format.streamDecoder();
    expect(() =>
      decoder.push({
        event: 'message-end',
        data: { type: 'message-end', delta: { finish_reason: 'ERROR', error: 'internal failure' } },
      }),
    ).toThrow(ProviderError);
  });
});
