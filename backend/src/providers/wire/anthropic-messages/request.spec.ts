import { InvalidInputError } from '../../../common/errors';
import type { ChatCompletionRequest } from '../chat-completions';
import { anthropicMessagesFormat as format } from './anthropic-messages.format';
import { DEFAULT_MAX_TOKENS, JSON_OBJECT_TOOL } from './request-from-chat';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function refused(run: () => unknown): InvalidInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

/** A conversation using most of what both formats share: system, images, parallel tool calls and results. */
const anthropicBody = {
  model: 'claude-sonnet-4-5',
  max_tokens: 512,
  system: 'Be brief.',
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather in Paris and Rome? See the map.' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/map.jpg' } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking both.' },
        { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'toolu_2', name: 'weather', input: { city: 'Rome' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' },
        {
          type: 'tool_result',
          tool_use_id: 'toolu_2',
          content: [{ type: 'text', text: 'down' }],
          is_error: true,
        },
        { type: 'text', text: 'Summarise.' },
      ],
    },
  ],
  tools: [
    {
      name: 'weather',
      description: 'Weather of a city',
      input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  ],
  tool_choice: { type: 'auto', disable_parallel_tool_use: true },
  stop_sequences: ['END'],
  temperature: 0.3,
  top_p: 0.9,
  top_k: 40,
  metadata: { user_id: 'user-42' },
  output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
  stream: true,
};

const hubRequest: ChatCompletionRequest = {
  top_k: 40,
  model: 'claude-sonnet-4-5',
  max_tokens: 512,
  messages: [
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Weather in Paris and Rome? See the map.' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
        { type: 'image_url', image_url: { url: 'https://example.com/map.jpg' } },
      ],
    },
    {
      role: 'assistant',
      content: 'Checking both.',
      tool_calls: [
        { id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
        { id: 'toolu_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
    { role: 'tool', tool_call_id: 'toolu_2', content: 'down', is_error: true },
    { role: 'user', content: 'Summarise.' },
  ],
  stream: true,
  stream_options: { include_usage: true },
  temperature: 0.3,
  top_p: 0.9,
  stop: ['END'],
  tools: [
    {
      type: 'function',
      function: {
        name: 'weather',
        description: 'Weather of a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
  ],
  tool_choice: 'auto',
  parallel_tool_calls: false,
  response_format: {
    type: 'json_schema',
    json_schema: { name: 'output', schema: { type: 'object' }, strict: true },
  },
  user: 'user-42',
};

describe('Anthropic Messages requests → hub', () => {
  it('translates system, images, parallel tool calls and results, tools, sampling and structured output', () => {
    expect(format.toChatRequest(anthropicBody)).toEqual(hubRequest);
  });

  it('joins a system prompt given as blocks, and drops cache_control hints', () => {
    const hub = format.toChatRequest({
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      cache_control: { type: 'ephemeral' },
      system: [
        { type: 'text', text: 'One.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Two.' },
      ],
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(hub).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 10,
      messages: [
        { role: 'system', content: 'One.\n\nTwo.' },
        { role: 'user', content: 'hi' },
      ],
    });
  });

  it('maps thinking to reasoning effort and keeps thinking blocks of earlier turns', () => {
    const thinking = { type: 'thinking', thinking: 'Let me see.', signature: 'sig-1' };
    const hub = format.toChatRequest({
      model: 'claude-opus-4-5',
      max_tokens: 30_000,
      thinking: { type: 'enabled', budget_tokens: 20_000 },
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: [thinking, { type: 'text', text: 'b' }] },
        { role: 'user', content: 'c' },
      ],
    });
    expect(hub.reasoning_effort).toBe('high');
    expect(hub.messages[1]).toEqual({
      role: 'assistant',
      content: 'b',
      reasoning_content: 'Let me see.',
      thinking_blocks: [thinking],
    });
    const low = {
      model: 'm',
      max_tokens: 5000,
      messages: [],
      thinking: { type: 'enabled', budget_tokens: 1024 },
    };
    expect(format.toChatRequest(low).reasoning_effort).toBe('low');
    expect(format.toChatRequest({ ...low, output_config: { effort: 'medium' } }).reasoning_effort).toBe(
      'medium',
    );
    expect(format.toChatRequest({ ...low, thinking: { type: 'disabled' } }).reasoning_effort).toBeUndefined();
  });

  it('maps every tool choice', () => {
    const choice = (tool_choice: unknown) =>
      format.toChatRequest({ model: 'm', max_tokens: 1, messages: [], tool_choice }).tool_choice;
    expect(choice({ type: 'auto' })).toBe('auto');
    expect(choice({ type: 'any' })).toBe('required');
    expect(choice({ type: 'none' })).toBe('none');
    expect(choice({ type: 'tool', name: 'weather' })).toEqual({
      type: 'function',
      function: { name: 'weather' },
    });
  });

  it('keeps fields it has no Chat Completions form for under their own names', () => {
    const hub = format.toChatRequest({ model: 'm', max_tokens: 1, messages: [], container: 'c-1' });
    expect(hub.container).toBe('c-1');
  });

  it('carries documents, file images and server tools in their Anthropic shape, and gives them back', () => {
    const doc = {
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' },
    };
    const fileImage = { type: 'image', source: { type: 'file', file_id: 'file_1' } };
    const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 3 };
    const serverUse = {
      type: 'server_tool_use',
      id: 'srvtoolu_1',
      name: 'web_search',
      input: { query: 'x' },
    };
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [
        { role: 'user', content: [doc, fileImage, { type: 'text', text: 'Summarise.' }] },
        { role: 'assistant', content: [serverUse, { type: 'text', text: 'Done.' }] },
      ],
      tools: [webSearch],
    };
    const hub = format.toChatRequest(body);
    expect(hub.messages[0].content).toEqual([doc, fileImage, { type: 'text', text: 'Summarise.' }]);
    expect(hub.tools).toEqual([webSearch]);
    expect(format.fromChatRequest(hub)).toEqual(body);
  });

  it('refuses a malformed body, naming the field', () => {
    expect(refused(() => format.toChatRequest({ model: 'm', messages: [] }))).toMatchObject({
      param: 'max_tokens',
    });
    expect(refused(() => format.toChatRequest({ max_tokens: 1, messages: [] }))).toMatchObject({
      param: 'model',
    });
    expect(refused(() => format.toChatRequest({ model: 'm', max_tokens: 1 }))).toMatchObject({
      param: 'messages',
    });
    const badRole = { model: 'm', max_tokens: 1, messages: [{ role: 'tool', content: 'x' }] };
    expect(refused(() => format.toChatRequest(badRole))).toMatchObject({ param: 'messages.0.role' });
  });

  it('says a field sent with a bad value must be something, not that it is missing', () => {
    const bad = (change: object) =>
      refused(() => format.toChatRequest({ model: 'm', max_tokens: 1, messages: [], ...change }));
    expect(bad({ max_tokens: -1 }).message).toBe('max_tokens: must be a positive integer (got -1)');
    expect(bad({ max_tokens: 2.5 }).message).toBe('max_tokens: must be a positive integer (got 2.5)');
    expect(bad({ model: 7 }).message).toBe('model: must be a non-empty string (got 7)');
    expect(bad({ messages: 'hi' }).message).toBe('messages: must be an array of messages (got "hi")');
    expect(bad({ max_tokens: undefined }).message).toBe('max_tokens: Field required (a positive integer)');
  });
});

describe('hub requests → Anthropic Messages', () => {
  it('gives back the Anthropic body it came from (round trip)', () => {
    const { output_config: _format, ...rest } = anthropicBody;
    const back = format.fromChatRequest(format.toChatRequest(anthropicBody));
    expect(back).toEqual({
      ...rest,
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
      // A tool result given as text blocks comes back as their text.
      messages: anthropicBody.messages.map((m, i) =>
        i === 2
          ? {
              ...m,
              content: [
                m.content[0],
                { type: 'tool_result', tool_use_id: 'toolu_2', content: 'down', is_error: true },
                m.content[2],
              ],
            }
          : m,
      ),
      system: [{ type: 'text', text: 'Be brief.' }],
    });
  });

  it('hoists system and developer messages, merges tool results into one user turn', () => {
    const body = format.fromChatRequest({
      model: 'claude-haiku-4-5',
      messages: [
        { role: 'system', content: 'S1' },
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, tool_calls: [
          { id: 'a', type: 'function', function: { name: 'f', arguments: '{"x":1}' } },
          { id: 'b', type: 'function', function: { name: 'g', arguments: '' } },
        ] }, // prettier-ignore
        { role: 'tool', tool_call_id: 'a', content: [{ type: 'text', text: 'r1' }] },
        { role: 'tool', tool_call_id: 'b', content: 'r2' },
        { role: 'developer', content: 'S2' },
      ],
      stop: 'STOP',
      max_completion_tokens: 100,
      max_tokens: 200,
    });
    expect(body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      system: [
        { type: 'text', text: 'S1' },
        { type: 'text', text: 'S2' },
      ],
      stop_sequences: ['STOP'],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'q' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'a', name: 'f', input: { x: 1 } },
            { type: 'tool_use', id: 'b', name: 'g', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'a', content: 'r1' },
            { type: 'tool_result', tool_use_id: 'b', content: 'r2' },
          ],
        },
      ],
    });
  });

  it(`defaults max_tokens to ${DEFAULT_MAX_TOKENS}, and maps reasoning effort to a thinking budget below it`, () => {
    const hi = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
    expect(format.fromChatRequest(hi)).toMatchObject({ max_tokens: DEFAULT_MAX_TOKENS });
    expect(format.fromChatRequest({ ...hi, reasoning_effort: 'high' })).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: DEFAULT_MAX_TOKENS - 1 },
    });
    expect(format.fromChatRequest({ ...hi, reasoning_effort: 'low', max_tokens: 8000 })).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    expect(
      refused(() => format.fromChatRequest({ ...hi, reasoning_effort: 'low', max_tokens: 500 })),
    ).toMatchObject({ reason: 'unsupported_feature', param: 'reasoning_effort' });
  });

  it('turns JSON mode into a forced tool and JSON-schema output into output_config.format', () => {
    const hi = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
    expect(format.fromChatRequest({ ...hi, response_format: { type: 'json_object' } })).toMatchObject({
      tools: [{ name: JSON_OBJECT_TOOL, input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: JSON_OBJECT_TOOL },
    });
    const schema = { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] };
    expect(
      format.fromChatRequest({
        ...hi,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema } },
      }),
    ).toMatchObject({ output_config: { format: { type: 'json_schema', schema } } });
  });

  it('maps tool choices and parallel_tool_calls: false', () => {
    const hi = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
    const choice = (tool_choice: unknown, parallel?: boolean) =>
      (
        format.fromChatRequest({ ...hi, tool_choice, parallel_tool_calls: parallel }) as {
          tool_choice?: unknown;
        }
      ).tool_choice;
    expect(choice('required')).toEqual({ type: 'any' });
    expect(choice('none')).toEqual({ type: 'none' });
    expect(choice({ type: 'function', function: { name: 'f' } })).toEqual({ type: 'tool', name: 'f' });
    expect(choice(undefined, false)).toEqual({ type: 'auto', disable_parallel_tool_use: true });
  });

  it.each([
    [{ n: 2 }, 'n', 'n > 1 (several choices)'],
    [{ logprobs: true }, 'logprobs', 'logprobs'],
    [{ seed: 7 }, 'seed', "The 'seed' parameter"],
    [{ frequency_penalty: 0.5 }, 'frequency_penalty', "The 'frequency_penalty' parameter"],
    [{ audio: { voice: 'alloy' } }, 'audio', "The 'audio' parameter"],
    [{ service_tier: 'flex' }, 'service_tier', "service_tier 'flex'"],
  ])('refuses %j, naming it', (extra, param, feature) => {
    const request = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], ...extra };
    expect(refused(() => format.fromChatRequest(request))).toMatchObject({
      reason: 'unsupported_feature',
      param,
      message: `${feature} cannot be translated to Anthropic Messages.`,
    });
  });

  it('accepts the values some clients always send that ask for nothing', () => {
    const request = {
      model: 'm',
      messages: [{ role: 'user' as const, content: 'hi' }],
      frequency_penalty: 0,
      presence_penalty: 0,
      store: false,
      modalities: ['text'],
      logit_bias: {},
      n: 1,
      logprobs: false,
      parallel_tool_calls: true,
    };
    expect(format.fromChatRequest(request)).toEqual({
      model: 'm',
      max_tokens: DEFAULT_MAX_TOKENS,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
  });

  it('refuses audio parts, message names and tool arguments that are not a JSON object', () => {
    const audio = { type: 'input_audio', input_audio: { data: 'x', format: 'wav' } };
    expect(
      refused(() => format.fromChatRequest({ model: 'm', messages: [{ role: 'user', content: [audio] }] })),
    ).toMatchObject({
      reason: 'unsupported_feature',
      param: 'messages.0.content.0',
      message: expect.stringMatching(/^Audio input/),
    });
    expect(
      refused(() =>
        format.fromChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x', name: 'ann' }] }),
      ),
    ).toMatchObject({ reason: 'unsupported_feature', param: 'messages.0.name' });
    const call = { id: 'a', type: 'function' as const, function: { name: 'f', arguments: '{"x":' } };
    expect(
      refused(() =>
        format.fromChatRequest({ model: 'm', messages: [{ role: 'assistant', tool_calls: [call] }] }),
      ),
    ).toMatchObject({ reason: 'invalid_request', param: 'messages.0.tool_calls.0.function.arguments' });
    const gif = { type: 'image_url', image_url: { url: 'data:image/tiff;base64,AAAA' } };
    expect(
      refused(() => format.fromChatRequest({ model: 'm', messages: [{ role: 'user', content: [gif] }] })),
    ).toMatchObject({ reason: 'unsupported_feature', param: 'messages.0.content.0' });
  });
});
