import { describe, expect, it } from 'vitest';
import { restatedTotal } from './restated';

const generation = (id: string, cost: string | null) => ({ id, kind: 'GENERATION', cost });
const restated = (spanId: string, cost: string | null) => ({ spanId, restatedCost: { cost } });

describe('restatedTotal', () => {
  it('is null while nothing was restated', () => {
    expect(restatedTotal([generation('a', '0.100000000')], [])).toBeNull();
  });

  it('sums restated generations at their restated cost and the others as recorded, to the nano-dollar', () => {
    const spans = [
      generation('a', '0.100000001'),
      generation('b', '0.200000000'),
      generation('unpriced', null),
      { id: 'tool', kind: 'TOOL', cost: null },
    ];
    expect(restatedTotal(spans, [restated('a', '0.300000002'), restated('unpriced', '1.000000000')])).toEqual(
      { usd: '1.500000002', unpriced: 0 },
    );
  });

  it('is unpriced, not $0, when no generation has a price after the restatement; counts unpriced ones apart', () => {
    expect(restatedTotal([generation('a', null)], [restated('a', null)])).toEqual({ usd: null, unpriced: 1 });
    expect(
      restatedTotal([generation('a', '0.100000000'), generation('b', null)], [restated('b', null)]),
    ).toEqual({ usd: '0.100000000', unpriced: 1 });
  });
});
