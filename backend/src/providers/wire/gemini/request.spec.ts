import { InvalidInputError } from '../../../common/errors';
import type { ChatCompletionRequest } from '../chat-completions';
import { gemini } from './gemini.format';

/** The error a translation throws (fails the test when it throws none). */
function errorOf(translate: () => unknown): InvalidInputError {
  try {
    translate();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected the translation to throw');
}

const weather = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('gemini: hub request → Gemini body (fromChatRequest)', () => {
  it('hoists system and developer messages, maps roles and every sampling parameter', () => {
    const given: ChatCompletionRequest = {
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Bonjour', reasoning_content: 'They greet me.' },
        { role: 'user', content: 'Weather?' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      max_completion_tokens: 256,
      n: 2,
      stop: 'END',
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: 0.25,
      logprobs: true,
      top_logprobs: 3,
      user: 'user-1',
      stream: true,
      stream_options: { include_usage: true },
    };

    expect(gemini.fromChatRequest(given)).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }] },
        { role: 'model', parts: [{ text: 'They greet me.', thought: true }, { text: 'Bonjour' }] },
        { role: 'user', parts: [{ text: 'Weather?' }] },
      ],
      generationConfig: {
        temperature: 0.2,
        topP: 0.9,
        topK: 40,
        maxOutputTokens: 256,
        candidateCount: 2,
        stopSequences: ['END'],
        seed: 7,
        presencePenalty: 0.5,
        frequencyPenalty: 0.25,
        responseLogprobs: true,
        logprobs: 3,
      },
    });
  });

  it('sends parallel tool calls as function calls and their results, in call order, as function responses', () => {
    const given: ChatCompletionRequest = {
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'user', content: 'Weather in Paris and Oslo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_p',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'call_o',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
            },
          ],
        },
        // Results answered out of order: Gemini matches them by order, so they are put back in call order.
        { role: 'tool', tool_call_id: 'call_o', content: 'snow' },
        { role: 'tool', tool_call_id: 'call_p', content: '{"sky":"sunny","celsius":21}' },
      ],
      tools: [weather],
      tool_choice: 'required',
    };

    expect(gemini.fromChatRequest(given)).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris and Oslo?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
            { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { sky: 'sunny', celsius: 21 } } },
            { functionResponse: { name: 'get_weather', response: { output: 'snow' } } },
          ],
        },
      ],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'get_weather',
              description: 'Weather in a city',
              parametersJsonSchema: weather.function.parameters,
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
    });
  });

  it.each([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
    [
      { type: 'function', function: { name: 'get_weather' } },
      { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    ],
    [
      {
        type: 'allowed_tools',
        allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'a' } }] },
      },
      { mode: 'AUTO', allowedFunctionNames: ['a'] },
    ],
  ])('tool_choice %j → functionCallingConfig %j', (choice, expected) => {
    const body = gemini.fromChatRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      tools: [weather],
      tool_choice: choice,
    });
    expect(body).toMatchObject({ toolConfig: { functionCallingConfig: expected } });
  });

  it('sends images inline (data URL) or by URL (fileData) when the URL names an image type', () => {
    const body = gemini.fromChatRequest({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            {
              type: 'image_url',
              image_url: { url: 'https://example.com/cat.JPG?size=large', detail: 'high' },
            },
          ],
        },
      ],
    });

    expect(body).toEqual({
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'Compare' },
            { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
            { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.JPG?size=large' } },
          ],
        },
      ],
    });
  });

  it('refuses an image URL whose type it cannot tell, naming the part', () => {
    const error = errorOf(() =>
      gemini.fromChatRequest({
        model: 'm',
        messages: [
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: 'https://example.com/render?id=4' } }],
          },
        ],
      }),
    );
    expect(error.reason).toBe('unsupported_feature');
    expect(error.param).toBe('messages.0.content.0.image_url.url');
    expect(error.message).toMatch(/image URL/);
  });

  it('asks for JSON with the caller’s JSON Schema (json_schema) or without one (json_object)', () => {
    const schema = { type: 'object', properties: { answer: { type: 'integer' } }, required: ['answer'] };
    const withSchema = gemini.fromChatRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } },
    });
    const jsonMode = gemini.fromChatRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      response_format: { type: 'json_object' },
    });

    expect(withSchema).toMatchObject({
      generationConfig: { responseMimeType: 'application/json', responseJsonSchema: schema },
    });
    expect(jsonMode).toMatchObject({ generationConfig: { responseMimeType: 'application/json' } });
  });

  it.each([
    ['none', { thinkingBudget: 0 }],
    ['low', { thinkingBudget: 1024, includeThoughts: true }],
    ['high', { thinkingBudget: 24576, includeThoughts: true }],
  ])('reasoning_effort %s → thinkingConfig %j', (effort, expected) => {
    const body = gemini.fromChatRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      reasoning_effort: effort,
    });
    expect(body).toMatchObject({ generationConfig: { thinkingConfig: expected } });
  });

  it.each<[string, Partial<ChatCompletionRequest>, string]>([
    ['logit_bias', { logit_bias: { '50256': -100 } }, 'logit_bias'],
    ['parallel_tool_calls: false', { parallel_tool_calls: false }, 'parallel_tool_calls'],
    ['a participant name', { messages: [{ role: 'user', content: 'x', name: 'ann' }] }, 'messages.0.name'],
    [
      'a file by id',
      { messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] },
      'messages.0.content.0.file',
    ],
    ['an unknown reasoning effort', { reasoning_effort: 'xhigh' }, 'reasoning_effort'],
    ['service_tier flex', { service_tier: 'flex' }, 'service_tier'],
  ])('refuses %s with unsupported_feature naming it', (_, extra, param) => {
    const error = errorOf(() =>
      gemini.fromChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], ...extra }),
    );
    expect(error.reason).toBe('unsupported_feature');
    expect(error.param).toBe(param);
  });

  it('refuses a tool result that answers no earlier call (Gemini needs the function name)', () => {
    const error = errorOf(() =>
      gemini.fromChatRequest({
        model: 'm',
        messages: [
          { role: 'user', content: 'x' },
          { role: 'tool', tool_call_id: 'nope', content: '1' },
        ],
      }),
    );
    expect(error.reason).toBe('invalid_value');
    expect(error.param).toBe('messages.1.tool_call_id');
  });
});

describe('gemini: Gemini body → hub request (toChatRequest)', () => {
  it('gives calls without ids stable synthetic ids and matches results by name in call order', () => {
    const given = {
      model: 'models/gemini-2.5-pro',
      systemInstruction: { parts: [{ text: 'You are a forecaster.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Paris and Oslo?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
            { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { output: 'sunny' } } },
            { functionResponse: { name: 'get_weather', response: { output: 'snow' } } },
          ],
        },
      ],
    };

    expect(gemini.toChatRequest(given)).toEqual({
      model: 'gemini-2.5-pro',
      messages: [
        { role: 'system', content: 'You are a forecaster.' },
        { role: 'user', content: 'Paris and Oslo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_gemini_1_0',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'call_gemini_1_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_gemini_1_0', content: '{"output":"sunny"}' },
        { role: 'tool', tool_call_id: 'call_gemini_1_1', content: '{"output":"snow"}' },
      ],
    });
  });

  it('maps the generation config, an OpenAPI response schema and the thinking level', () => {
    const hub = gemini.toChatRequest({
      model: 'gemini-3-pro',
      stream: true,
      contents: [
        {
          role: 'user',
          parts: [{ text: 'x' }, { inlineData: { mimeType: 'image/webp', data: 'UklGRg==' } }],
        },
      ],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'f',
              parameters: { type: 'OBJECT', properties: { q: { type: 'STRING', nullable: true } } },
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } },
      generationConfig: {
        stopSequences: ['\n\n'],
        maxOutputTokens: 100,
        candidateCount: 1,
        responseMimeType: 'application/json',
        responseSchema: { type: 'ARRAY', items: { type: 'INTEGER' }, propertyOrdering: [] },
        thinkingConfig: { thinkingLevel: 'LOW' },
      },
    });

    expect(hub).toEqual({
      model: 'gemini-3-pro',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'x' },
            { type: 'image_url', image_url: { url: 'data:image/webp;base64,UklGRg==' } },
          ],
        },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'f',
            parameters: { type: 'object', properties: { q: { type: ['string', 'null'] } } },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'f' } },
      stop: ['\n\n'],
      max_completion_tokens: 100,
      n: 1,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'response', schema: { type: 'array', items: { type: 'integer' } } },
      },
      reasoning_effort: 'low',
    });
  });

  it.each([
    [
      'safety settings',
      { safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }] },
      'safetySettings',
    ],
    ['Google Search', { tools: [{ googleSearch: {} }] }, 'tools.0'],
    [
      'response modalities',
      { generationConfig: { responseModalities: ['AUDIO'] } },
      'generationConfig.responseModalities',
    ],
    [
      'video input',
      { contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'video/mp4', data: 'AA==' } }] }] },
      'contents.0.parts.0.inlineData',
    ],
  ])('refuses %s with unsupported_feature naming it', (_, extra, param) => {
    const error = errorOf(() =>
      gemini.toChatRequest({ model: 'm', contents: [{ role: 'user', parts: [{ text: 'x' }] }], ...extra }),
    );
    expect(error.reason).toBe('unsupported_feature');
    expect(error.param).toBe(param);
  });

  it('round trip: a Gemini body → hub → Gemini body is unchanged, thought signatures (of calls and of text) included', () => {
    const body = {
      systemInstruction: { parts: [{ text: 'Be exact.' }] },
      contents: [
        {
          role: 'user',
          parts: [{ text: 'Weather?' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }],
        },
        {
          role: 'model',
          parts: [
            { text: 'Looking it up.', thought: true },
            { text: 'One moment.', thoughtSignature: 'dGV4dA==' },
            { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2ln' },
            { functionCall: { name: 'get_time', args: {} } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { output: 'sunny' } } },
            { functionResponse: { name: 'get_time', response: { hour: 9 } } },
          ],
        },
      ],
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', parametersJsonSchema: weather.function.parameters },
            { name: 'get_time' },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
      generationConfig: {
        temperature: 1,
        topK: 20,
        maxOutputTokens: 50,
        stopSequences: ['x'],
        responseMimeType: 'application/json',
        responseJsonSchema: { type: 'object' },
        thinkingConfig: { thinkingBudget: 8192, includeThoughts: true },
      },
    };

    expect(gemini.fromChatRequest(gemini.toChatRequest({ ...body, model: 'gemini-2.5-flash' }))).toEqual(
      body,
    );
  });
});
