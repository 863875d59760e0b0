import type { LatestRestatedCost } from './restatement-store';
import { toRestatedCostView } from './restatement.view';

const restated = (over: Partial<LatestRestatedCost>): LatestRestatedCost => ({
  spanId: 's',
  restatementId: 'r',
  restatedAt: '2026-12-01T00:00:00.000Z',
  totalNanoUsd: '1500',
  inputNanoUsd: '1000',
  outputNanoUsd: '500',
  cachedInputNanoUsd: '0',
  cacheWriteNanoUsd: '0',
  reasoningNanoUsd: '0',
  audioNanoUsd: '0',
  imageNanoUsd: '0',
  requestFeeNanoUsd: '0',
  priceVersion: 'catalog:1',
  flags: [],
  ...over,
});

describe('toRestatedCostView', () => {
  it('shows a priced restated cost as exact USD with its price', () => {
    expect(toRestatedCostView(restated({}))).toMatchObject({
      cost: '0.000001500',
      costBreakdown: { input: '0.000001000', output: '0.000000500' },
      priceVersion: 'catalog:1',
      costFlags: [],
    });
  });

  it('has no amount and no price for a generation no price was in force for: unpriced, not $0', () => {
    const view = toRestatedCostView(
      restated({
        totalNanoUsd: '0',
        inputNanoUsd: '0',
        outputNanoUsd: '0',
        priceVersion: 'none',
        flags: ['unpriced'],
      }),
    );
    expect(view).toMatchObject({
      cost: null,
      costBreakdown: null,
      priceVersion: null,
      costFlags: ['UNPRICED'],
    });
  });

  it('keeps a zero that is a price: nothing billed', () => {
    expect(
      toRestatedCostView(
        restated({ totalNanoUsd: '0', inputNanoUsd: '0', outputNanoUsd: '0', priceVersion: 'not_billed' }),
      ),
    ).toMatchObject({ cost: '0.000000000', priceVersion: 'not_billed' });
  });
});
