import { describe, expect, it } from 'vitest';
import type { Measures } from '../charts/series';
import { buildStats } from './panels';

const measures = (over: Partial<Measures>): Measures => ({
  requests: 10,
  errors: 0,
  errorRate: 0,
  inputTokens: 100,
  outputTokens: 20,
  cost: '0.001500000',
  unpricedCount: 0,
  estimatedCount: 0,
  ...over,
});

const stat = (current: Measures, id: string) =>
  buildStats({ current, baseline: measures({}) }).find((s) => s.id === id)!;

describe('dashboard headline cards', () => {
  it('say "unpriced" for a zero cost with unpriced generations, never $0', () => {
    const cost = stat(measures({ cost: '0.000000000', unpricedCount: 3 }), 'cost');
    expect(cost.marks).toEqual({ unpriced: true, partial: false, estimated: false });
    expect(cost.note).toMatch(/^3 generations without a price/);
  });

  it('mark a partial cost and one resting on estimated tokens, and the tokens with it', () => {
    const current = measures({ unpricedCount: 1, estimatedCount: 2 });
    expect(stat(current, 'cost')).toMatchObject({
      marks: { unpriced: false, partial: true, estimated: true },
      detail: '1 unpriced left out',
    });
    expect(stat(current, 'tokens').marks).toEqual({ unpriced: false, partial: false, estimated: true });
    expect(stat(measures({}), 'cost').marks).toEqual({ unpriced: false, partial: false, estimated: false });
  });
});
