import type { ChatCompletion } from '../chat-completions';
import { gemini } from './gemini.format';

const usageMetadata = {
  promptTokenCount: 120,
  candidatesTokenCount: 30,
  cachedContentTokenCount: 100,
  thoughtsTokenCount: 12,
  totalTokenCount: 162,
};

describe('gemini: Gemini answer → hub completion (toChatCompletion)', () => {
  it('sorts text and thoughts, maps usage (thoughts count as completion and reasoning tokens)', () => {
    const given = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [{ text: 'Weighing it.', thought: true }, { text: 'Hello' }, { text: ' world' }],
          },
          finishReason: 'STOP',
          index: 0,
          safetyRatings: [],
        },
      ],
      usageMetadata,
      modelVersion: 'gemini-2.5-flash',
      responseId: 'resp-1',
    };

    expect(gemini.toChatCompletion(given)).toEqual({
      id: 'resp-1',
      object: 'chat.completion',
      created: 0,
      model: 'gemini-2.5-flash',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello world', reasoning_content: 'Weighing it.' },
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 42,
        total_tokens: 162,
        prompt_tokens_details: { cached_tokens: 100 },
        completion_tokens_details: { reasoning_tokens: 12 },
      },
    });
  });

  it('turns parallel function calls into tool calls with stable ids (a thought signature kept on its call), finishing with tool_calls', () => {
    const answer = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2ln' },
              { functionCall: { name: 'get_weather', args: { city: 'Oslo' } } },
            ],
          },
          finishReason: 'STOP',
        },
      ],
      responseId: 'r/9+x',
    };

    const completion = gemini.toChatCompletion(answer);

    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_r9x_0_0',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            extra_content: { google: { thought_signature: 'c2ln' } },
          },
          {
            id: 'call_r9x_0_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
          },
        ],
      },
      finish_reason: 'tool_calls',
    });
    // The same answer always gives the same ids.
    expect(gemini.toChatCompletion(answer)).toEqual(completion);
  });

  it("keeps a text part's thought signature on the message, and gives it back on the text (Gemini 3 signs the last part)", () => {
    const answer = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Pondering.', thought: true },
              { text: 'Hello' },
              { text: '!', thoughtSignature: 'dGV4dA==' },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      responseId: 'r2',
    };

    const completion = gemini.toChatCompletion(answer);

    expect(completion.choices[0].message).toEqual({
      role: 'assistant',
      content: 'Hello!',
      reasoning_content: 'Pondering.',
      extra_content: { google: { thought_signature: 'dGV4dA==' } },
    });
    expect(gemini.fromChatCompletion(completion)).toMatchObject({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Pondering.', thought: true },
              { text: 'Hello!', thoughtSignature: 'dGV4dA==' },
            ],
          },
        },
      ],
    });
  });

  it.each([
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['OTHER', 'stop'],
    ['MALFORMED_FUNCTION_CALL', 'stop'],
  ])('finishReason %s → finish_reason %s', (reason, expected) => {
    const completion = gemini.toChatCompletion({
      candidates: [{ content: { role: 'model', parts: [{ text: 'x' }] }, finishReason: reason }],
    });
    expect(completion.choices[0].finish_reason).toBe(expected);
  });

  it('answers a blocked prompt (no candidates) with one empty content_filter choice', () => {
    const completion = gemini.toChatCompletion({
      promptFeedback: { blockReason: 'SAFETY' },
      usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
    });
    expect(completion.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: null }, finish_reason: 'content_filter' },
    ]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 0, total_tokens: 9 });
  });

  it('keeps every candidate as a choice, with its log probabilities', () => {
    const completion = gemini.toChatCompletion({
      candidates: [
        {
          index: 0,
          content: { role: 'model', parts: [{ text: 'Yes' }] },
          finishReason: 'STOP',
          logprobsResult: {
            chosenCandidates: [{ token: 'Yes', logProbability: -0.1 }],
            topCandidates: [
              {
                candidates: [
                  { token: 'Yes', logProbability: -0.1 },
                  { token: 'No', logProbability: -2.5 },
                ],
              },
            ],
          },
        },
        { index: 1, content: { role: 'model', parts: [{ text: 'No' }] }, finishReason: 'STOP' },
      ],
    });

    expect(completion.choices.map((c) => c.message.content)).toEqual(['Yes', 'No']);
    expect(completion.choices[0].logprobs).toEqual({
      content: [
        {
          token: 'Yes',
          logprob: -0.1,
          bytes: [89, 101, 115],
          top_logprobs: [
            { token: 'Yes', logprob: -0.1, bytes: [89, 101, 115] },
            { token: 'No', logprob: -2.5, bytes: [78, 111] },
          ],
        },
      ],
    });
  });

  it('refuses an answer part the hub cannot carry (generated image), naming it', () => {
    expect(() =>
      gemini.toChatCompletion({
        candidates: [
          { content: { role: 'model', parts: [{ inlineData: { mimeType: 'image/png', data: 'AA==' } }] } },
        ],
      }),
    ).toThrow(
      expect.objectContaining({ reason: 'unsupported_feature', param: 'candidates.0.content.parts.0' }),
    );
  });
});

describe('gemini: hub completion → Gemini answer (fromChatCompletion)', () => {
  it('writes model parts, finish reasons and usage metadata', () => {
    const completion: ChatCompletion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    };

    expect(gemini.fromChatCompletion(completion)).toEqual({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [{ text: 'Checking.' }, { functionCall: { name: 'f', args: { a: 1 } } }],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
      modelVersion: 'gpt-4o',
      responseId: 'chatcmpl-1',
    });
  });

  it('round trip: a Gemini answer → hub → Gemini answer is unchanged', () => {
    const answer = {
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { text: 'Plan.', thought: true },
              { text: 'Calling.' },
              { functionCall: { name: 'f', args: { q: 'x' } }, thoughtSignature: 'c2lnbmF0dXJl' },
            ],
          },
          finishReason: 'STOP',
          index: 0,
        },
        { content: { role: 'model', parts: [{ text: 'Cut' }] }, finishReason: 'MAX_TOKENS', index: 1 },
      ],
      usageMetadata,
      modelVersion: 'gemini-2.5-pro',
      responseId: 'abc',
    };

    expect(gemini.fromChatCompletion(gemini.toChatCompletion(answer))).toEqual(answer);
  });
});
