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

  it('leaves a result for another call id alone', () => {
    const answers = recordedAnswers(
      [{ id: 'call_x', name: 'lookup' }],
      [{ name: 'lookup', toolCallId: 'call_y', output: 'not this one' }],
    );
    expect(answers.size).toBe(0);
  });
});
