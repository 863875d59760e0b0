import { ProviderError } from '../../../common/errors';
import type { ChatCompletionChunk } from '../chat-completions';
import type { WireEvent } from '../wire-format';
import { gemini } from './gemini.format';

const event = (data: unknown): WireEvent => ({ event: 'message', data });

function decode(events: readonly WireEvent[]): ChatCompletionChunk[] {
  const decoder = gemini.streamDecoder();
  return [...events.flatMap((e) => decoder.push(e)), ...decoder.end()];
}

/** The `data:` payloads of Gemini SSE text (events end with CRLF CRLF). */
function payloads(text: string): unknown[] {
  return text
    .split('\r\n\r\n')
    .filter((block) => block !== '')
    .map((block) => {
      expect(block.startsWith('data: ')).toBe(true);
      return JSON.parse(block.slice('data: '.length)) as unknown;
    });
}

const head = { modelVersion: 'gemini-2.5-flash', responseId: 'r1' };

/** A text answer as Gemini streams it: usage so far on every event, the last with finishReason. */
const textStream = [
  {
    candidates: [{ content: { role: 'model', parts: [{ text: 'Thinking…', thought: true }] }, index: 0 }],
    usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
    ...head,
  },
  {
    candidates: [{ content: { role: 'model', parts: [{ text: 'Hello' }] }, index: 0 }],
    usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 },
    ...head,
  },
  {
    candidates: [{ content: { role: 'model', parts: [{ text: ' world' }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      promptTokenCount: 8,
      candidatesTokenCount: 2,
      thoughtsTokenCount: 3,
      totalTokenCount: 13,
    },
    ...head,
  },
];

describe('gemini: stream decoder (streamGenerateContent?alt=sse → hub chunks)', () => {
  it('turns each event into a chunk and the last usage into the final usage chunk', () => {
    const chunks = decode(textStream.map(event));

    const base = { id: 'r1', object: 'chat.completion.chunk', created: 0, model: 'gemini-2.5-flash' };
    expect(chunks).toEqual([
      {
        ...base,
        choices: [
          { index: 0, delta: { role: 'assistant', reasoning_content: 'Thinking…' }, finish_reason: null },
        ],
      },
      { ...base, choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: null }] },
      { ...base, choices: [{ index: 0, delta: { content: ' world' }, finish_reason: 'stop' }] },
      {
        ...base,
        choices: [],
        usage: {
          prompt_tokens: 8,
          completion_tokens: 5,
          total_tokens: 13,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 3 },
        },
      },
    ]);
  });

  it('passes a thought signature that comes alone on the last event with that chunk, as the message carries it', () => {
    const chunks = decode([
      event({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, index: 0 }], ...head }),
      event({
        candidates: [
          {
            content: { role: 'model', parts: [{ text: '', thoughtSignature: 'c2ln' }] },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        ...head,
      }),
    ]);

    expect(chunks.map((c) => c.choices[0])).toEqual([
      { index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null },
      {
        index: 0,
        delta: { extra_content: { google: { thought_signature: 'c2ln' } } },
        finish_reason: 'stop',
      },
    ]);
  });

  it('sends each function call whole as one tool-call delta (its thought signature with it), indexes and ids continuing across events', () => {
    const chunks = decode([
      event({
        candidates: [
          {
            content: {
              role: 'model',
              parts: [{ functionCall: { name: 'a', args: { x: 1 } }, thoughtSignature: 'c2ln' }],
            },
            index: 0,
          },
        ],
        ...head,
      }),
      event({
        candidates: [
          {
            content: { role: 'model', parts: [{ functionCall: { name: 'b', args: {} } }] },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        ...head,
      }),
    ]);

    expect(chunks.map((c) => c.choices[0])).toEqual([
      {
        index: 0,
        delta: {
          role: 'assistant',
          tool_calls: [
            {
              index: 0,
              id: 'call_r1_0_0',
              type: 'function',
              function: { name: 'a', arguments: '{"x":1}' },
              extra_content: { google: { thought_signature: 'c2ln' } },
            },
          ],
        },
        finish_reason: null,
      },
      {
        index: 0,
        delta: {
          tool_calls: [
            { index: 1, id: 'call_r1_0_1', type: 'function', function: { name: 'b', arguments: '{}' } },
          ],
        },
        finish_reason: 'tool_calls',
      },
    ]);
    // Same ids as the non-streamed answer would carry.
    const whole = gemini.toChatCompletion({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [
              { functionCall: { name: 'a', args: { x: 1 } } },
              { functionCall: { name: 'b', args: {} } },
            ],
          },
        },
      ],
      ...head,
    });
    expect(whole.choices[0].message.tool_calls?.map((c) => c.id)).toEqual(['call_r1_0_0', 'call_r1_0_1']);
  });

  it('throws an error event as the provider error it reports', () => {
    const decoder = gemini.streamDecoder();
    decoder.push(event(textStream[0]));
    const error = (() => {
      try {
        decoder.push(
          event({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }),
        );
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      providerStatus: 503,
      message: 'UNAVAILABLE: The model is overloaded.',
      providerBody: { format: 'gemini', text: expect.stringContaining('"status":"UNAVAILABLE"') },
    });
  });
});

describe('gemini: stream encoder (hub chunks → Gemini SSE)', () => {
  const base = { id: 'chatcmpl-9', object: 'chat.completion.chunk' as const, created: 1, model: 'gpt-4o' };
  /** As OpenAI streams parallel tool calls: id and name first, then argument fragments. */
  const hubChunks: ChatCompletionChunk[] = [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: { content: 'On it.' }, finish_reason: null }] },
    {
      ...base,
      choices: [
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '' } },
            ],
          },
          finish_reason: null,
        },
      ],
    },
    {
      ...base,
      choices: [
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] },
          finish_reason: null,
        },
      ],
    },
    {
      ...base,
      choices: [
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 1, id: 'call_b', type: 'function', function: { name: 'g', arguments: '{}' } },
            ],
          },
          finish_reason: null,
        },
      ],
    },
    {
      ...base,
      choices: [
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] },
          finish_reason: null,
        },
      ],
    },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    { ...base, choices: [], usage: { prompt_tokens: 4, completion_tokens: 6, total_tokens: 10 } },
  ];

  it('writes text as it comes and whole function calls with finishReason and usage in the last event', () => {
    const encoder = gemini.streamEncoder();
    const text = hubChunks.map((c) => encoder.push(c)).join('') + encoder.end();

    expect(payloads(text)).toEqual([
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'On it.' }] }, index: 0 }],
        modelVersion: 'gpt-4o',
        responseId: 'chatcmpl-9',
      },
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                { functionCall: { name: 'f', args: { q: 'x' } } },
                { functionCall: { name: 'g', args: {} } },
              ],
            },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        modelVersion: 'gpt-4o',
        responseId: 'chatcmpl-9',
        usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 6, totalTokenCount: 10 },
      },
    ]);
  });

  it('round trip: Gemini events → hub chunks → Gemini SSE → hub chunks gives the same chunks', () => {
    const once = decode(textStream.map(event));
    const encoder = gemini.streamEncoder();
    const text = once.map((c) => encoder.push(c)).join('') + encoder.end();
    const twice = decode(payloads(text).map(event));

    expect(twice).toEqual(once);
  });
});
