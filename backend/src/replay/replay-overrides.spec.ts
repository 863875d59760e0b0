import { changesOf } from './replay-overrides';

describe('what a replay changed', () => {
  it('names each override besides the model, parameters with their values', () => {
    expect(
      changesOf({
        model: 'mock-large',
        prompt: 'support@production',
        variables: { customer: 'Ada' },
        system: 'Be brief.',
        params: { temperature: 0.9, seed: null, stop: ['x'.repeat(60)] },
        toolResults: 'recorded',
      }),
    ).toEqual([
      'prompt version support@production',
      'prompt variables customer',
      'system prompt',
      `parameters temperature=0.9, seed removed, stop=["${'x'.repeat(37)}…`,
      'tool results supplied',
    ]);
  });

  it('says nothing for a replay as recorded or on another model only', () => {
    expect(changesOf({})).toEqual([]);
    expect(changesOf({ model: 'mock-large', toolResults: 'none', params: {} })).toEqual([]);
  });
});
