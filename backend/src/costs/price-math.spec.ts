import type { RecordedUsage } from '@sightline/schemas';
import type { ModelPrice } from '../catalog/catalog-model';
import { ABSURD_TOKENS, compilePrices, costOfUsage, nanoToUsd, priceAt, usdToNano } from './price-math';

const source = { url: 'https://example.test/pricing', checkedOn: '2026-11-30' };

function usage(counts: Partial<RecordedUsage>): RecordedUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    cachedTokens: 0,
    reasoningTokens: 0,
    source: 'reported',
    ...counts,
  };
}

const at = (iso: string) => Date.parse(iso);

describe('usdToNano / nanoToUsd', () => {
  it('reads the decimal a number prints as, exactly', () => {
    expect(usdToNano(0.00875)).toBe(8_750_000n);
    expect(usdToNano(1.25)).toBe(1_250_000_000n);
    expect(usdToNano('0.000000001')).toBe(1n);
    expect(usdToNano(1e-7)).toBe(100n);
    expect(usdToNano(15)).toBe(15_000_000_000n);
  });

  it('refuses amounts finer than a nano-dollar, negative or not finite', () => {
    expect(() => usdToNano('0.0000000001')).toThrow(RangeError);
    expect(() => usdToNano(-1)).toThrow(RangeError);
    expect(() => usdToNano(Number.NaN)).toThrow(RangeError);
  });

  it('prints nano-USD as a 9-decimal USD string', () => {
    expect(nanoToUsd(1_234_500n)).toBe('0.001234500');
    expect(nanoToUsd(12_000_000_000n)).toBe('12.000000000');
    expect(nanoToUsd(0n)).toBe('0.000000000');
  });
});

describe('costOfUsage', () => {
  // Given Claude Sonnet 4.5's published prices: $3 in, $15 out, $0.30 cache read, $3.75 cache write,
  // and above 200k input tokens $6 / $22.50 / $0.60 / $7.50.
  const sonnet: ModelPrice = {
    effectiveFrom: '2025-09-29',
    currency: 'USD',
    inputPerMTok: 3,
    outputPerMTok: 15,
    cachedInputPerMTok: 0.3,
    cacheWritePerMTok: 3.75,
    tiers: [
      {
        aboveInputTokens: 200_000,
        inputPerMTok: 6,
        outputPerMTok: 22.5,
        cachedInputPerMTok: 0.6,
        cacheWritePerMTok: 7.5,
      },
    ],
    source,
  };
  const [price] = compilePrices([sonnet], 'catalog:test');

  it('prices each part at its rate: 1,000 in (200 read, 100 written), 500 out', () => {
    const cost = costOfUsage(
      price,
      usage({ inputTokens: 1_000, cachedTokens: 200, cacheWriteTokens: 100, outputTokens: 500 }),
    );
    // 700 × $3/M = $0.0021; 200 × $0.30/M = $0.00006; 100 × $3.75/M = $0.000375; 500 × $15/M = $0.0075
    expect(cost.breakdown).toMatchObject({
      input: 2_100_000n,
      cachedInput: 60_000n,
      cacheWrite: 375_000n,
      output: 7_500_000n,
    });
    expect(nanoToUsd(cost.totalNanoUsd)).toBe('0.010035000');
    expect(cost.priceVersion).toBe('catalog:test');
    expect(cost.flags).toEqual([]);
  });

  it('prices a request above 200k input tokens wholly at the long-context tier', () => {
    const cost = costOfUsage(price, usage({ inputTokens: 200_001, outputTokens: 1_000 }));
    // 200,001 × $6/M = $1.200006; 1,000 × $22.50/M = $0.0225
    expect(nanoToUsd(cost.totalNanoUsd)).toBe('1.222506000');
    const atThreshold = costOfUsage(price, usage({ inputTokens: 200_000, outputTokens: 1_000 }));
    expect(nanoToUsd(atThreshold.totalNanoUsd)).toBe('0.615000000');
  });

  it('prices reasoning at the output rate unless it has its own, plus the request fee', () => {
    const [fee] = compilePrices(
      [{ ...sonnet, tiers: [], reasoningPerMTok: 20, perRequestUsd: 0.005 }],
      'catalog:test',
    );
    const cost = costOfUsage(fee, usage({ inputTokens: 10, outputTokens: 1_000, reasoningTokens: 400 }));
    // 10 × $3/M = $0.00003; 600 × $15/M = $0.009; 400 × $20/M = $0.008; fee $0.005
    expect(cost.breakdown).toMatchObject({
      input: 30_000n,
      output: 9_000_000n,
      reasoning: 8_000_000n,
      requestFee: 5_000_000n,
    });
    expect(cost.totalNanoUsd).toBe(22_030_000n);
  });

  it('rounds each part half up to the nano-dollar', () => {
    // Nova Micro's cache read: $0.00875/M = 8.75 nano-USD a token.
    const [micro] = compilePrices(
      [{ ...sonnet, tiers: [], inputPerMTok: 0.035, cachedInputPerMTok: 0.00875 }],
      'catalog:test',
    );
    const cached = (n: number) =>
      costOfUsage(micro, usage({ inputTokens: n, cachedTokens: n })).breakdown.cachedInput;
    expect(cached(1)).toBe(9n); // 8.75
    expect(cached(2)).toBe(18n); // 17.5
    expect(cached(3)).toBe(26n); // 26.25
  });

  it('flags no price as unpriced, never a silent zero', () => {
    const cost = costOfUsage(undefined, usage({ inputTokens: 100, outputTokens: 5 }));
    expect(cost).toMatchObject({ totalNanoUsd: 0n, priceVersion: 'none', flags: ['unpriced'] });
  });

  it('flags negative, fractional, absurd or inconsistent counts as suspicious and prices them clamped', () => {
    expect(costOfUsage(price, usage({ inputTokens: -5, outputTokens: 10 })).flags).toEqual([
      'suspicious_usage',
    ]);
    expect(costOfUsage(price, usage({ inputTokens: 1.5 })).flags).toEqual(['suspicious_usage']);
    const absurd = costOfUsage(price, usage({ outputTokens: 2e9 }));
    expect(absurd.flags).toEqual(['suspicious_usage']);
    // Priced at the documented bound, 100M tokens, not 2 billion.
    expect(absurd.breakdown.output).toBe(
      costOfUsage(price, usage({ outputTokens: ABSURD_TOKENS })).breakdown.output,
    );
    const more = costOfUsage(price, usage({ inputTokens: 100, cachedTokens: 300 }));
    expect(more.flags).toEqual(['suspicious_usage']);
    // The 300 cached are cut to the 100 input: 100 × $0.30/M.
    expect(more.breakdown).toMatchObject({ input: 0n, cachedInput: 30_000n });
  });

  it('flags counted usage as estimated, and approximate when no tokenizer fits', () => {
    const cost = costOfUsage(
      price,
      usage({ inputTokens: 10, source: 'estimated', tokenizer: 'approximation' }),
    );
    expect(cost.flags).toEqual(['estimated_usage', 'approximate_tokens']);
  });
});

describe('priceAt', () => {
  // Given DeepSeek's two prices and a price that ended with no successor.
  const prices = compilePrices(
    [
      {
        effectiveFrom: '2025-09-05',
        currency: 'USD',
        inputPerMTok: 0.56,
        outputPerMTok: 1.68,
        cachedInputPerMTok: 0.07,
        source,
      },
      {
        effectiveFrom: '2025-09-29',
        effectiveUntil: '2026-01-01',
        currency: 'USD',
        inputPerMTok: 0.28,
        outputPerMTok: 0.42,
        cachedInputPerMTok: 0.028,
        source,
      },
      {
        effectiveFrom: '2026-02-01',
        currency: 'USD',
        inputPerMTok: 0.3,
        outputPerMTok: 0.5,
        cachedInputPerMTok: null,
        source,
      },
    ],
    'catalog:test',
  );

  it('picks the price in force at the request time, from its first UTC day', () => {
    expect(priceAt(prices, at('2025-09-04T23:59:59Z'))).toBeUndefined();
    expect(priceAt(prices, at('2025-09-05T00:00:00Z'))?.base.input).toBe(560_000_000n);
    expect(priceAt(prices, at('2025-09-28T23:59:59Z'))?.base.input).toBe(560_000_000n);
    expect(priceAt(prices, at('2025-09-29T00:00:00Z'))?.base.input).toBe(280_000_000n);
  });

  it('leaves a gap unpriced, and a null cache price at the input rate', () => {
    expect(priceAt(prices, at('2026-01-15T00:00:00Z'))).toBeUndefined();
    expect(priceAt(prices, at('2026-03-01T00:00:00Z'))?.base.cachedInput).toBe(300_000_000n);
  });
});
