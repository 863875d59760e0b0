import { describe, expect, it } from 'vitest';
import { recordedAnswers } from './tool-answers';

describe('answers from recorded tool results', () => {
  it('matches a result by call id, else by tool name in order, each result used once', () => {
    const answers = recordedAnswers(
      [
        { id: 'call_a', name: 'lookup' },
        { id: 'call_b', name: 'lookup' },
        { id: 'call_c', name: 'weather' },
        { id: 'call_d', name: 'lookup' },
      ],
      [
        { name: 'execute_tool lookup', output: 'first lookup' },
        { name: 'weather', toolCallId: 'call_c', output: 'sunny' },
        { name: 'lookup', output: 'second lookup' },
      ],
    );
    expect([...answers]).toEqual([
      ['call_a', 'first lookup'],
      ['call_b', 'second lookup'],
      ['call_c', 'sunny'],
    ]);
  });

  it('falls back to the tool name, in order, when the recorded call ids are not this run’s', () => {
    const answers = recordedAnswers(
      [
        { id: 'call_new1', name: 'lookup' },
        { id: 'call_new2', name: 'lookup' },
        { id: 'call_new3', name: 'weather' },
      ],
      [
        { name: 'lookup', toolCallId: 'call_old1', output: 'first lookup' },
        { name: 'weather', toolCallId: 'call_old3', output: 'sunny' },
        { name: 'lookup', toolCallId: 'call_old2', output: 'second lookup' },
      ],
    );
    expect([...answers]).toEqual([
      ['call_new1', 'first lookup'],
      ['call_new2', 'second lookup'],
      ['call_new3', 'sunny'],
    ]);
  });

  it('keeps a result naming a call of this run for that call, even when an earlier one has its tool', () => {
    const answers = recordedAnswers(
      [
        { id: 'call_a', name: 'lookup' },
        { id: 'call_b', name: 'lookup' },
      ],
      [
        { name: 'lookup', toolCallId: 'call_b', output: 'for b' },
        { name: 'lookup', output: 'for a' },
      ],
    );
    expect([...answers]).toEqual([
      ['call_a', 'for a'],
      ['call_b', 'for b'],
    ]);
  });
});
