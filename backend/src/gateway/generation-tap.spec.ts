import type { ChatCompletionChunk } from '../providers/wire/chat-completions';
import { GenerationTap } from './generation-tap';

const chunk = (
  choices: ChatCompletionChunk['choices'],
  usage?: ChatCompletionChunk['usage'],
): ChatCompletionChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices,
  ...(usage ? { usage } : {}),
});

describe('GenerationTap', () => {
  it('given tool calls streamed as id/name then argument fragments, in parallel, records them whole', () => {
    const tap = new GenerationTap();
    tap.chunk(chunk([{ index: 0, delta: { role: 'assistant', content: null }, finish_reason: null }]), 1);
    tap.chunk(
      chunk([
        {
          index: 0,
          delta: {
            tool_calls: [
              { index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } },
              { index: 1, id: 'call_b', type: 'function', function: { name: 'time', arguments: '{}' } },
            ],
          },
          finish_reason: null,
        },
      ]),
      7,
    );
    for (const piece of ['{"ci', 'ty":', '"Paris"}'])
      tap.chunk(
        chunk([
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] },
            finish_reason: null,
          },
        ]),
        9,
      );
    tap.chunk(chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]), 10);
    expect(tap.choices).toEqual([
      {
        index: 0,
        content: null,
        toolCalls: [
          { id: 'call_a', name: 'weather', arguments: '{"city":"Paris"}' },
          { id: 'call_b', name: 'time', arguments: '{}' },
        ],
        finishReason: 'tool_calls',
      },
    ]);
    expect(tap.timeToFirstTokenMs).toBe(7);
  });

  it('given n choices interleaved, with refusal and reasoning, keeps each choice apart; usage from the usage chunk', () => {
    const tap = new GenerationTap();
    tap.chunk(chunk([{ index: 1, delta: { content: 'B' }, finish_reason: null }]), 3);
    tap.chunk(
      chunk([{ index: 0, delta: { reasoning_content: 'think', content: 'A' }, finish_reason: null }]),
      4,
    );
    tap.chunk(chunk([{ index: 1, delta: { refusal: 'no' }, finish_reason: 'stop' }]), 5);
    tap.chunk(chunk([{ index: 0, delta: { content: 'a' }, finish_reason: 'length' }]), 6);
    const usage = { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 };
    tap.chunk(chunk([], usage), 8);
    expect(tap.choices).toEqual([
      { index: 0, content: 'Aa', reasoning: 'think', toolCalls: [], finishReason: 'length' },
      { index: 1, content: 'B', refusal: 'no', toolCalls: [], finishReason: 'stop' },
    ]);
    expect(tap.usage).toEqual(usage);
    expect(tap.timeToFirstTokenMs).toBe(3);
  });

  it('given a stream that stopped early, keeps what arrived (no finish reason, no usage)', () => {
    const tap = new GenerationTap();
    tap.chunk(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]), 1);
    tap.chunk(chunk([{ index: 0, delta: { content: 'Half' }, finish_reason: null }]), 2);
    expect(tap.choices).toEqual([{ index: 0, content: 'Half', toolCalls: [], finishReason: null }]);
    expect(tap.usage).toBeNull();
    expect(tap.timeToFirstTokenMs).toBe(2);
  });

  it('given a whole answer, records its choices and usage', () => {
    const tap = new GenerationTap();
    tap.completion({
      id: 'x',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    });
    expect(tap.choices).toEqual([
      {
        index: 0,
        content: null,
        toolCalls: [{ id: 'c1', name: 'f', arguments: '{"a":1}' }],
        finishReason: 'tool_calls',
      },
    ]);
    expect(tap.usage).toMatchObject({ total_tokens: 3 });
  });
});
