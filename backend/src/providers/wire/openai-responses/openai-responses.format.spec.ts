import { InvalidInputError, ProviderError } from '../../../common/errors';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '../chat-completions';
import type { WireEvent } from '../wire-format';
import { openAiResponsesFormat as format } from './openai-responses.format';

const weather = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
};

function thrown(fn: () => unknown): InvalidInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

/** Splits SSE text as a client would: one `{ event, data }` per blank-line-terminated block. */
function sse(text: string): WireEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6) ?? '';
      return { event, data: JSON.parse(data) as unknown };
    });
}

describe('OpenAI Responses request → hub', () => {
  it('turns instructions and a string input into a system and a user message', () => {
    const request = format.toChatRequest({
      model: 'gpt-4.1',
      instructions: 'Be brief.',
      input: 'Hello',
      max_output_tokens: 50,
      temperature: 0.2,
      store: false,
    });
    expect(request).toEqual({
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      max_completion_tokens: 50,
      temperature: 0.2,
    });
  });

  it('turns items into messages: text and image parts, function calls of one turn, their outputs', () => {
    const request = format.toChatRequest({
      model: 'gpt-4.1',
      stream: true,
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Weather here?' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
          ],
        },
        { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call', call_id: 'call_2', name: 'weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '3°C' },
        { type: 'function_call_output', call_id: 'call_2', output: '18°C' },
        {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Cold in Oslo.', annotations: [] }],
        },
      ],
      tools: [
        { type: 'function', name: 'weather', description: 'Weather', parameters: weather, strict: true },
      ],
      tool_choice: { type: 'function', name: 'weather' },
      text: { format: { type: 'json_schema', name: 'answer', schema: weather, strict: true } },
      reasoning: { effort: 'low' },
    });
    expect(request).toEqual({
      model: 'gpt-4.1',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
            { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '3°C' },
        { role: 'tool', tool_call_id: 'call_2', content: '18°C' },
        { role: 'assistant', content: 'Cold in Oslo.' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'weather', description: 'Weather', parameters: weather, strict: true },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: weather, strict: true },
      },
      reasoning_effort: 'low',
    });
  });

  it.each([
    [{ previous_response_id: 'resp_1' }, 'previous_response_id'],
    [{ store: true }, 'store'],
    [{ conversation: 'conv_1' }, 'conversation'],
    [{ background: true }, 'background'],
    [{ tools: [{ type: 'web_search' }] }, 'tools[0].type'],
    [{ tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }] }, 'tools[0].type'],
    [{ tools: [{ type: 'computer_use_preview' }] }, 'tools[0].type'],
    [{ input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0].type'],
    [
      { input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] },
      'input[0].content[0].file_id',
    ],
    [{ reasoning: { effort: 'high', summary: 'auto' } }, 'reasoning.summary'],
    [{ include: ['reasoning.encrypted_content'] }, 'include'],
    [{ brand_new_option: 1 }, 'brand_new_option'],
  ])('refuses %j naming it (unsupported_feature)', (extra, param) => {
    const error = thrown(() => format.toChatRequest({ model: 'claude-sonnet-4-5', input: 'Hi', ...extra }));
    expect(error.reason).toBe('unsupported_feature');
    expect(error.param).toBe(param);
  });

  it('refuses a body without a model or input as invalid', () => {
    expect(thrown(() => format.toChatRequest({ input: 'Hi' })).param).toBe('model');
    expect(thrown(() => format.toChatRequest({ model: 'm' })).param).toBe('input');
    expect(thrown(() => format.toChatRequest({ model: 'm', input: 42 })).param).toBe('input');
  });
});

describe('hub request → OpenAI Responses', () => {
  const hub: ChatCompletionRequest = {
    model: 'o3-pro',
    messages: [
      { role: 'system', content: 'You are terse.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather?' },
          { type: 'image_url', image_url: { url: 'https://example.test/a.png', detail: 'high' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'weather', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_9', content: 'sunny' },
    ],
    tools: [{ type: 'function', function: { name: 'weather', parameters: weather } }],
    tool_choice: 'required',
    response_format: { type: 'json_object' },
    max_completion_tokens: 100,
    reasoning_effort: 'high',
    temperature: 1,
  };

  it('flattens tools, moves the format to text.format and stores nothing', () => {
    expect(format.fromChatRequest(hub)).toEqual({
      model: 'o3-pro',
      temperature: 1,
      input: [
        { role: 'system', content: 'You are terse.' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Weather?' },
            { type: 'input_image', image_url: 'https://example.test/a.png', detail: 'high' },
          ],
        },
        { role: 'assistant', content: 'Checking.' },
        { type: 'function_call', call_id: 'call_9', name: 'weather', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_9', output: 'sunny' },
      ],
      tools: [{ type: 'function', name: 'weather', parameters: weather }],
      tool_choice: 'required',
      text: { format: { type: 'json_object' } },
      max_output_tokens: 100,
      reasoning: { effort: 'high' },
      store: false,
    });
  });

  it('round-trips back to the same hub request', () => {
    expect(format.toChatRequest(format.fromChatRequest(hub))).toEqual(hub);
  });

  it.each([
    [{ n: 2 }, 'n'],
    [{ stop: ['END'] }, 'stop'],
    [{ seed: 7 }, 'seed'],
    [{ frequency_penalty: 0.5 }, 'frequency_penalty'],
    [
      { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
      'messages[0].content[0].type',
    ],
  ])('refuses %j naming it', (extra, param) => {
    const error = thrown(() => format.fromChatRequest({ ...hub, ...extra } as ChatCompletionRequest));
    expect(error.reason).toBe('unsupported_feature');
    expect(error.param).toBe(param);
  });
});

/** A non-streamed answer as the API reference shows it: reasoning, a cited text and a function call. */
const responseBody = {
  id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
  object: 'response',
  created_at: 1741476542,
  status: 'completed',
  error: null,
  incomplete_details: null,
  model: 'gpt-4.1-2025-04-14',
  output: [
    {
      type: 'reasoning',
      id: 'rs_1',
      summary: [{ type: 'summary_text', text: 'Looked it up.' }],
    },
    {
      type: 'message',
      id: 'msg_1',
      status: 'completed',
      role: 'assistant',
      content: [
        {
          type: 'output_text',
          text: 'Oslo is cold.',
          annotations: [
            { type: 'url_citation', start_index: 0, end_index: 4, url: 'https://yr.no', title: 'Yr' },
          ],
        },
      ],
    },
    {
      type: 'function_call',
      id: 'fc_1',
      call_id: 'call_1',
      name: 'weather',
      arguments: '{"city":"Oslo"}',
      status: 'completed',
    },
  ],
  usage: {
    input_tokens: 36,
    input_tokens_details: { cached_tokens: 4 },
    output_tokens: 87,
    output_tokens_details: { reasoning_tokens: 20 },
    total_tokens: 123,
  },
  service_tier: 'default',
};

describe('OpenAI Responses answer ↔ hub', () => {
  it('reads text, citations, function calls, reasoning and usage', () => {
    expect(format.toChatCompletion(responseBody)).toEqual({
      id: responseBody.id,
      object: 'chat.completion',
      created: 1741476542,
      model: 'gpt-4.1-2025-04-14',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Oslo is cold.',
            refusal: null,
            annotations: [
              {
                type: 'url_citation',
                url_citation: { start_index: 0, end_index: 4, url: 'https://yr.no', title: 'Yr' },
              },
            ],
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
            ],
            reasoning_content: 'Looked it up.',
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 36,
        completion_tokens: 87,
        total_tokens: 123,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 20 },
      },
      service_tier: 'default',
    });
  });

  it('maps an incomplete answer to finish reason length', () => {
    const cut = {
      ...responseBody,
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    };
    expect(format.toChatCompletion(cut).choices[0].finish_reason).toBe('length');
  });

  it('writes a hub answer as a response object that reads back the same', () => {
    const hub = format.toChatCompletion(responseBody);
    const written = format.fromChatCompletion(hub) as Record<string, unknown>;
    expect(written).toMatchObject({
      id: responseBody.id,
      object: 'response',
      status: 'completed',
      usage: responseBody.usage,
      output: [
        { type: 'reasoning', content: [{ type: 'reasoning_text', text: 'Looked it up.' }] },
        {
          type: 'message',
          role: 'assistant',
          content: [
            {
              type: 'output_text',
              text: 'Oslo is cold.',
              annotations: responseBody.output[1].content?.[0].annotations,
            },
          ],
        },
        { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' },
      ],
    });
    expect(format.toChatCompletion(written)).toEqual(hub);
  });

  it('gives a chat answer from another provider a response id', () => {
    const completion: ChatCompletion = {
      id: 'msg_01abc',
      object: 'chat.completion',
      created: 1,
      model: 'claude-sonnet-4-5',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'length' }],
    };
    const written = format.fromChatCompletion(completion) as Record<string, unknown>;
    expect(written).toMatchObject({
      id: 'resp_msg_01abc',
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      usage: null,
    });
  });
});

/** The events OpenAI streams for a text answer (shapes from the streaming reference). */
function textStream(): WireEvent[] {
  const response = {
    id: 'resp_1',
    object: 'response',
    created_at: 10,
    model: 'gpt-4.1',
    status: 'in_progress',
    output: [],
    usage: null,
  };
  const item = { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] };
  const where = { item_id: 'msg_1', output_index: 0, content_index: 0 };
  const events: Record<string, unknown>[] = [
    { type: 'response.created', response },
    { type: 'response.in_progress', response },
    { type: 'response.output_item.added', output_index: 0, item },
    {
      type: 'response.content_part.added',
      ...where,
      part: { type: 'output_text', text: '', annotations: [] },
    },
    { type: 'response.output_text.delta', ...where, delta: 'Hel', logprobs: [] },
    { type: 'response.output_text.delta', ...where, delta: 'lo', logprobs: [] },
    { type: 'response.output_text.done', ...where, text: 'Hello', logprobs: [] },
    {
      type: 'response.content_part.done',
      ...where,
      part: { type: 'output_text', text: 'Hello', annotations: [] },
    },
    { type: 'response.output_item.done', output_index: 0, item: { ...item, status: 'completed' } },
    {
      type: 'response.completed',
      response: { ...response, status: 'completed', usage: responseBody.usage, service_tier: 'default' },
    },
  ];
  return events.map((data, i) => ({ event: String(data.type), data: { ...data, sequence_number: i } }));
}

function decodeAll(events: readonly WireEvent[]): ChatCompletionChunk[] {
  const decoder = format.streamDecoder();
  return [...events.flatMap((event) => decoder.push(event)), ...decoder.end()];
}

describe('OpenAI Responses stream → hub', () => {
  it('decodes a text answer with its usage', () => {
    const chunks = decodeAll(textStream());
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hel' },
      { content: 'lo' },
      {},
      null,
    ]);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({
      id: 'resp_1',
      model: 'gpt-4.1',
      created: 10,
      choices: [],
      service_tier: 'default',
      usage: { prompt_tokens: 36, completion_tokens: 87, total_tokens: 123 },
    });
  });

  it('decodes a function call as id and name, then argument fragments', () => {
    const call = {
      type: 'function_call',
      id: 'fc_1',
      call_id: 'call_1',
      name: 'weather',
      arguments: '',
      status: 'in_progress',
    };
    const chunks = decodeAll([
      {
        event: 'response.created',
        data: { type: 'response.created', response: { id: 'resp_2', created_at: 1, model: 'm' } },
      },
      { event: 'x', data: { type: 'response.output_item.added', output_index: 0, item: call } },
      {
        event: 'x',
        data: {
          type: 'response.function_call_arguments.delta',
          item_id: 'fc_1',
          output_index: 0,
          delta: '{"ci',
        },
      },
      {
        event: 'x',
        data: {
          type: 'response.function_call_arguments.delta',
          item_id: 'fc_1',
          output_index: 0,
          delta: 'ty":"Oslo"}',
        },
      },
      {
        event: 'x',
        data: {
          type: 'response.completed',
          response: { id: 'resp_2', status: 'completed', usage: responseBody.usage },
        },
      },
    ]);
    expect(chunks.slice(1, 4).map((c) => c.choices[0].delta.tool_calls)).toEqual([
      [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '' } }],
      [{ index: 0, function: { arguments: '{"ci' } }],
      [{ index: 0, function: { arguments: 'ty":"Oslo"}' } }],
    ]);
    expect(chunks[4].choices[0].finish_reason).toBe('tool_calls');
  });

  it('throws the provider error of an error event or a failed response', () => {
    const decoder = format.streamDecoder();
    expect(() =>
      decoder.push({
        event: 'error',
        data: { type: 'error', code: 'server_error', message: 'Boom', param: null },
      }),
    ).toThrow(new ProviderError('Boom (server_error)', null, 'provider_error'));
    expect(() =>
      format.streamDecoder().push({
        event: 'response.failed',
        data: {
          type: 'response.failed',
          response: { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Slow down' } },
        },
      }),
    ).toThrow('Slow down (rate_limit_exceeded)');
  });
});

describe('hub stream → OpenAI Responses events', () => {
  const head = {
    id: 'chatcmpl-7',
    object: 'chat.completion.chunk' as const,
    created: 5,
    model: 'claude-sonnet-4-5',
  };
  const chunks: ChatCompletionChunk[] = [
    { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
    { ...head, choices: [{ index: 0, delta: { reasoning_content: 'Think.' }, finish_reason: null }] },
    { ...head, choices: [{ index: 0, delta: { content: 'Let me ' }, finish_reason: null }] },
    { ...head, choices: [{ index: 0, delta: { content: 'check.' }, finish_reason: null }] },
    {
      ...head,
      choices: [
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 0, id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '' } },
            ],
          },
          finish_reason: null,
        },
      ],
    },
    {
      ...head,
      choices: [
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
          finish_reason: null,
        },
      ],
    },
    {
      ...head,
      choices: [
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] },
          finish_reason: null,
        },
      ],
    },
    { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    { ...head, choices: [], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } },
  ];

  function encodeAll(input: readonly ChatCompletionChunk[]): string {
    const encoder = format.streamEncoder();
    return input.map((chunk) => encoder.push(chunk)).join('') + encoder.end();
  }

  it('sends the documented event sequence with increasing sequence numbers', () => {
    const events = sse(encodeAll(chunks));
    expect(events.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.reasoning_text.delta',
      'response.reasoning_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    events.forEach((e, i) => expect(e.data).toMatchObject({ type: e.event, sequence_number: i }));
    expect(events[12].data).toMatchObject({
      text: 'Let me check.',
      item_id: 'msg_resp_chatcmpl-7_1',
      output_index: 1,
    });
    expect(events[18].data).toMatchObject({ name: 'weather', arguments: '{"city":"Oslo"}', output_index: 2 });
    expect(events.at(-1)?.data).toMatchObject({
      response: {
        id: 'resp_chatcmpl-7',
        status: 'completed',
        model: 'claude-sonnet-4-5',
        usage: { input_tokens: 9, output_tokens: 4, total_tokens: 13 },
        output: [
          { type: 'reasoning', content: [{ type: 'reasoning_text', text: 'Think.' }] },
          { type: 'message', status: 'completed', content: [{ type: 'output_text', text: 'Let me check.' }] },
          {
            type: 'function_call',
            call_id: 'toolu_1',
            name: 'weather',
            arguments: '{"city":"Oslo"}',
            status: 'completed',
          },
        ],
      },
    });
  });

  it('decodes what it encodes back to the same content, tool call, finish and usage', () => {
    const decoded = decodeAll(sse(encodeAll(chunks)));
    const deltas = decoded.flatMap((c) => c.choices.map((choice) => choice.delta));
    expect(deltas.map((d) => d.content ?? '').join('')).toBe('Let me check.');
    expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toBe('Think.');
    expect(deltas.flatMap((d) => d.tool_calls ?? [])).toEqual([
      { index: 0, id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '' } },
      { index: 0, function: { arguments: '{"city":' } },
      { index: 0, function: { arguments: '"Oslo"}' } },
    ]);
    expect(decoded.at(-2)?.choices[0].finish_reason).toBe('tool_calls');
    expect(decoded.at(-1)?.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 });
  });

  it('ends a cut answer with response.incomplete', () => {
    const events = sse(
      encodeAll([
        { ...head, choices: [{ index: 0, delta: { content: 'Partial' }, finish_reason: 'length' }] },
      ]),
    );
    expect(events.at(-1)).toMatchObject({
      event: 'response.incomplete',
      data: { response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } },
    });
  });
});
