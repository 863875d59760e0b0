import type { ChatCompletionChunk } from '../providers/wire/chat-completions';
import { generationProgressed } from './generation-events';
import { GenerationTap } from './generation-tap';
import { cutPoint, MAX_HELD_CHARS, ProgressCoalescer, type Progress } from './progress-coalescer';

type Delta = NonNullable<ChatCompletionChunk['choices']>[number]['delta'];

/** A stream: at each time, one chunk's delta for choice `index` (0 unless given). */
function stream(steps: readonly (readonly [ms: number, delta: Delta, index?: number])[]): Progress[] {
  const tap = new GenerationTap();
  const coalescer = new ProgressCoalescer();
  const out: Progress[] = [];
  for (const [ms, delta, index = 0] of steps) {
    tap.chunk(
      {
        id: 'c',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [{ index, delta, finish_reason: null }],
      },
      ms,
    );
    if (!coalescer.due(ms)) continue;
    const progress = coalescer.take(tap.choices, ms);
    if (progress) out.push(progress);
  }
  return out;
}

describe('ProgressCoalescer', () => {
  it('given tokens every 20 ms, sends the first text at once, then at most every 100 ms, each delta only the new words', () => {
    const words = [
      'Hello ',
      'there, ',
      'how ',
      'are ',
      'you ',
      'doing ',
      'today? ',
      'Fine ',
      'thanks ',
      'and ',
      'you? ',
    ];
    const progress = stream([
      [0, { role: 'assistant', content: '' }],
      ...words.map((w, i) => [20 * (i + 1), { content: w }] as const),
    ]);
    expect(progress.map((p) => [p.seq, p.elapsedMs, p.choices])).toEqual([
      [1, 20, [{ index: 0, content: 'Hello ' }]],
      [2, 120, [{ index: 0, content: 'there, how are you doing ' }]],
      [3, 220, [{ index: 0, content: 'today? Fine thanks and you? ' }]],
    ]);
    const gaps = progress.slice(1).map((p, i) => p.elapsedMs - progress[i].elapsedMs);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
  });

  it('given a slow stream (one token a second), sends every token as it comes', () => {
    const progress = stream([
      [1_000, { content: 'One ' }],
      [2_000, { content: 'two ' }],
      [3_000, { content: 'three ' }],
    ]);
    expect(progress.map((p) => p.choices[0].content)).toEqual(['One ', 'two ', 'three ']);
  });

  it('holds a word back until it is whole, so a secret never straddles two deltas', () => {
    const progress = stream([
      [0, { content: 'key: sk-proj-' }],
      [150, { content: 'abcdef' }],
      [300, { content: '123456 done ' }],
    ]);
    expect(progress.map((p) => p.choices[0].content)).toEqual(['key: ', 'sk-proj-abcdef123456 done ']);
  });

  it('sends a run without whitespace once it is longer than the hold limit', () => {
    const run = 'x'.repeat(MAX_HELD_CHARS + 1);
    expect(stream([[0, { content: run }]]).map((p) => p.choices[0].content)).toEqual([run]);
  });

  it('given tool calls as id/name then argument fragments, and two choices, sends each new piece once', () => {
    const progress = stream([
      [
        0,
        {
          tool_calls: [
            { index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } },
          ],
        },
      ],
      [10, { content: 'Second ' }, 1],
      [120, { tool_calls: [{ index: 0, function: { arguments: '{"city": ' } }] }],
      [240, { tool_calls: [{ index: 0, function: { arguments: '"Paris"} ' } }] }],
    ]);
    expect(progress.map((p) => p.choices)).toEqual([
      [{ index: 0, toolCalls: [{ position: 0, id: 'call_a', name: 'weather' }] }],
      [
        { index: 0, toolCalls: [{ position: 0, arguments: '{"city": ' }] },
        { index: 1, content: 'Second ' },
      ],
      [{ index: 0, toolCalls: [{ position: 0, arguments: '"Paris"} ' }] }],
    ]);
  });

  it('sends nothing before the first text, and nothing when only role or empty chunks came', () => {
    expect(
      stream([
        [0, { role: 'assistant' }],
        [200, { content: '' }],
        [400, {}],
      ]),
    ).toEqual([]);
  });

  it('refusal and reasoning text go out like content', () => {
    const progress = stream([
      [0, { reasoning_content: 'Thinking it over ' }],
      [100, { refusal: 'I cannot help. ' }],
    ]);
    expect(progress.map((p) => p.choices)).toEqual([
      [{ index: 0, reasoning: 'Thinking it over ' }],
      [{ index: 0, refusal: 'I cannot help. ' }],
    ]);
  });
});

describe('cutPoint', () => {
  it('cuts after the last whitespace of the unsent text, or not at all', () => {
    expect(cutPoint('ab cd', 0)).toBe(3);
    expect(cutPoint('ab cd\n', 0)).toBe(6);
    expect(cutPoint('ab cd', 3)).toBe(3);
    expect(cutPoint('abcd', 0)).toBe(0);
  });
});

describe('generationProgressed', () => {
  const span = {
    projectId: 'p',
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    source: 'gateway' as const,
    startedAt: new Date('2026-11-30T10:00:00Z'),
  };
  const chunk = (delta: Delta, usage?: ChatCompletionChunk['usage']): ChatCompletionChunk => ({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: null }],
    ...(usage ? { usage } : {}),
  });

  it('carries the new text, TTFT and the output tokens so far: estimated, or reported mid-stream', () => {
    const tap = new GenerationTap();
    tap.chunk(chunk({ content: 'Sixteen chars!! ' }), 40);
    const progress = { seq: 1, elapsedMs: 40, choices: [{ index: 0, content: 'Sixteen chars!! ' }] };
    const at = new Date('2026-11-30T10:00:00.040Z');
    expect(generationProgressed(span, progress, tap, tap.choices, at)).toMatchObject({
      type: 'generation.progressed',
      version: 1,
      spanId: span.spanId,
      occurredAt: at.toISOString(),
      data: {
        seq: 1,
        elapsedMs: 40,
        timeToFirstTokenMs: 40,
        outputTokens: 4,
        outputTokensSource: 'estimated',
      },
    });
    tap.chunk(chunk({}, { prompt_tokens: 3, completion_tokens: 7, total_tokens: 10 }), 90);
    expect(generationProgressed(span, progress, tap, tap.choices, at).data).toMatchObject({
      outputTokens: 7,
      outputTokensSource: 'reported',
    });
  });
});
