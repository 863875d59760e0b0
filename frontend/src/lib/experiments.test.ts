import { describe, expect, it } from 'vitest';
import {
  configurationInput,
  emptyConfiguration,
  estimateText,
  overBudget,
  progressText,
} from './experiments';
import type { ExperimentFieldsFragment } from './graphql/generated';

const experiment = (spent: string, unpriced: number) =>
  ({
    status: 'FINISHED',
    progress: {
      done: 8,
      total: 8,
      failed: 0,
      fraction: 1,
      requestsPerSecond: null,
      etaSeconds: 0,
      spent,
      unpriced,
    },
  }) as ExperimentFieldsFragment;

describe('an experiment’s figures', () => {
  it('shows what was spent, and says when replays had no price instead of an unmarked $0', () => {
    expect(progressText(experiment('0.420000000', 0))).toBe('100% · 8 / 8 replays · $0.4200 spent');
    expect(progressText(experiment('0.000000000', 8))).toBe(
      '100% · 8 / 8 replays · spend unpriced (8 replays)',
    );
    expect(progressText(experiment('0.420000000', 2))).toBe(
      '100% · 8 / 8 replays · $0.4200 +? spent (2 unpriced)',
    );
  });

  it('marks an estimate ≈, partly or wholly unpriced', () => {
    expect(estimateText('0.08', 0)).toBe('≈$0.0800');
    expect(estimateText('0.08', null)).toBe('≈$0.0800');
    expect(estimateText('0.08', 3)).toBe('≈$0.0800 +? (3 unpriced)');
    expect(estimateText('0', 8)).toBe('unpriced');
  });
});

describe('experiments start form', () => {
  it('compares an estimate with a budget exactly, so a raised budget needs no new estimate', () => {
    expect(overBudget('0.080000000', '0.05')).toBe(true);
    expect(overBudget('0.080000000', '0.08')).toBe(false);
    expect(overBudget('0.080000001', '0.08')).toBe(true);
    expect(overBudget('0.08', '10')).toBe(false);
    expect(overBudget('0.08', 'ten')).toBeNull();
    expect(overBudget('0.08', '')).toBeNull();
  });

  it('turns a configuration row into the API input: model, temperature and max tokens as params, a prompt version', () => {
    expect(configurationInput(emptyConfiguration('mock-1'), 0)).toEqual({ model: 'mock-1' });
    expect(
      configurationInput(
        {
          model: ' mock-large ',
          temperature: '0.2',
          maxTokens: '50',
          prompt: 'support@production',
          variables: '',
        },
        1,
      ),
    ).toEqual({
      model: 'mock-large',
      params: '{"temperature":0.2,"max_tokens":50}',
      prompt: 'support@production',
    });
    expect(configurationInput(emptyConfiguration(), 0)).toEqual({}); // as recorded
    expect(() => configurationInput({ ...emptyConfiguration('m'), temperature: 'hot' }, 2)).toThrow(
      'Configuration 3: temperature is a number from 0 to 2.',
    );
    expect(() => configurationInput({ ...emptyConfiguration('m'), maxTokens: '1.5' }, 0)).toThrow(
      'Configuration 1: max tokens',
    );
  });

  it('sends a prompt version’s variables as JSON text, refuses what is not an object of texts, ignores them without a prompt', () => {
    const row = { ...emptyConfiguration(), prompt: 'support@2', variables: ' {"customer": "Ada"} ' };
    expect(configurationInput(row, 0)).toEqual({ prompt: 'support@2', variables: '{"customer":"Ada"}' });
    expect(configurationInput({ ...row, variables: '  ' }, 0)).toEqual({ prompt: 'support@2' });
    expect(configurationInput({ ...row, variables: '{}' }, 0)).toEqual({ prompt: 'support@2' });
    for (const bad of ['customer=Ada', '["Ada"]', '{"n": 1}', 'null'])
      expect(() => configurationInput({ ...row, variables: bad }, 1)).toThrow(
        'Configuration 2: variables is a JSON object of texts',
      );
    // The field shows only with a prompt version: a value left in it is not sent without one.
    expect(configurationInput({ ...row, prompt: '' }, 0)).toEqual({});
  });
});
