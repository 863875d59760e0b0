import { describe, expect, it } from 'vitest';
import { applyChunk, figures, startedRun } from './run-state';

describe('a streamed answer', () => {
  it('given text chunks, joins them and notes when the first token came', () => {
    let state = startedRun(100);
    state = applyChunk(state, { choices: [{ index: 0, delta: {} }] }, 110);
    expect(state.firstTokenAt).toBeNull();
    state = applyChunk(state, { choices: [{ index: 0, delta: { content: 'Hel' } }] }, 150);
    state = applyChunk(state, { choices: [{ index: 0, delta: { content: 'lo' } }] }, 170);
    expect(state).toMatchObject({ text: 'Hello', firstTokenAt: 150 });
  });

  it('given tool-call fragments (id and name, then arguments in pieces), joins them per call', () => {
    let state = startedRun(0);
    const call = (index: number, delta: object) => ({
      choices: [{ index: 0, delta: { tool_calls: [{ index, ...delta }] } }],
    });
    state = applyChunk(state, call(0, { id: 'a', function: { name: 'weather', arguments: '' } }), 1);
    state = applyChunk(state, call(1, { id: 'b', function: { name: 'time', arguments: '{}' } }), 2);
    state = applyChunk(state, call(0, { function: { arguments: '{"city":' } }), 3);
    state = applyChunk(state, call(0, { function: { arguments: '"Lyon"}' } }), 4);
    expect(state.toolCalls).toEqual([
      { id: 'a', name: 'weather', arguments: '{"city":"Lyon"}' },
      { id: 'b', name: 'time', arguments: '{}' },
    ]);
  });

  it('given the usage chunk and the end, derives TTFT, latency and tokens per second', () => {
    let state = startedRun(1000);
    state = applyChunk(
      state,
      { choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] },
      1200,
    );
    state = applyChunk(state, { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }, 2100);
    state = applyChunk(state, { choices: [], usage: { prompt_tokens: 12, completion_tokens: 45 } }, 2200);
    state = { ...state, status: 'done', endedAt: 2200 };
    expect(state.finishReason).toBe('stop');
    expect(figures(state)).toEqual({
      ttftMs: 200,
      latencyMs: 1200,
      outputTokens: 45,
      tokensPerSecond: 45,
      estimated: false,
    });
  });

  it('while streaming, before any usage, estimates output tokens and tokens per second from the text so far', () => {
    let state = startedRun(1000);
    expect(figures(state, 1100)).toMatchObject({
      outputTokens: null,
      tokensPerSecond: null,
      estimated: false,
    });
    state = applyChunk(state, { choices: [{ index: 0, delta: { content: 'x'.repeat(40) } }] }, 1200);
    state = applyChunk(state, { choices: [{ index: 0, delta: { content: 'y'.repeat(40) } }] }, 1600);
    // 80 characters ≈ 20 tokens, in the 2 s since the first token.
    expect(figures(state, 3200)).toEqual({
      ttftMs: 200,
      latencyMs: null,
      outputTokens: 20,
      tokensPerSecond: 10,
      estimated: true,
    });
    state = applyChunk(state, { choices: [], usage: { prompt_tokens: 5, completion_tokens: 18 } }, 3200);
    expect(figures(state, 3200)).toMatchObject({ outputTokens: 18, tokensPerSecond: 9, estimated: false });
  });

  it('given an error chunk mid-stream, fails with its message and keeps the text so far', () => {
    let state = applyChunk(startedRun(0), { choices: [{ index: 0, delta: { content: 'par' } }] }, 5);
    state = applyChunk(state, { error: { message: 'overloaded' } }, 9);
    expect(state).toMatchObject({ status: 'failed', error: 'overloaded', text: 'par', endedAt: 9 });
  });
});
