import { describe, expect, it } from 'vitest';
import { estimateText, progressText } from './experiments';
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
