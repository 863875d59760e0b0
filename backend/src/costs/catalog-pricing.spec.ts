import type { CustomPriceState, RecordedUsage } from '@sightline/schemas';
import { Map as ImmutableMap } from 'immutable';
import type { CatalogModel } from '../catalog/catalog-model';
import { ModelCatalog } from '../catalog/model-catalog';
import type { ProjectModels } from '../catalog/project-models';
import type { ControlPlane } from '../control/control-plane';
import { CatalogPricing } from './catalog-pricing';
import { CATALOG_PRICE_VERSION } from './price-book';

const usage: RecordedUsage = {
  inputTokens: 1_000_000,
  outputTokens: 100_000,
  totalTokens: 1_100_000,
  cachedTokens: 0,
  reasoningTokens: 0,
  source: 'reported',
};

const custom = (over: Partial<CustomPriceState>): CustomPriceState => ({
  priceId: 'cp_1',
  projectId: 'p',
  model: 'gpt-4o',
  provider: null,
  effectiveFrom: '2026-01-01',
  effectiveUntil: '2026-02-01',
  inputPerMTok: 2,
  outputPerMTok: 8,
  cachedInputPerMTok: null,
  cacheWritePerMTok: null,
  reasoningPerMTok: null,
  perRequestUsd: null,
  note: '',
  createdAt: '2025-12-01T00:00:00.000Z',
  createdBy: null,
  removedAt: null,
  ...over,
});

/** Given the catalog, the project's own models and its custom prices. */
function pricing(prices: CustomPriceState[], own: CatalogModel[] = []) {
  const control = {
    current: { customPrices: ImmutableMap(prices.map((p) => [p.priceId, p])) },
  } as unknown as ControlPlane;
  const projectModels: ProjectModels = { forProject: (id) => (id === 'p' ? own : []) };
  return new CatalogPricing(new ModelCatalog(), projectModels, control);
}

const at = (iso: string) => new Date(iso);

describe('CatalogPricing', () => {
  it('uses the catalog price: gpt-4o 1M in at $2.50 + 100k out at $10/M = $3.50', () => {
    const cost = pricing([]).costOf('p', 'gpt-4o', 'openai', usage, at('2026-03-01T00:00:00Z'));
    expect(cost).toMatchObject({ totalNanoUsd: 3_500_000_000n, priceVersion: CATALOG_PRICE_VERSION });
  });

  it('prefers the project’s custom price within its dates, for its project only', () => {
    const priced = pricing([custom({})]);
    // $2 × 1M + $8 × 100k/1M = $2.80
    expect(priced.costOf('p', 'gpt-4o', 'openai', usage, at('2026-01-15T12:00:00Z'))).toMatchObject({
      totalNanoUsd: 2_800_000_000n,
      priceVersion: 'custom:cp_1',
    });
    expect(priced.costOf('p', 'gpt-4o', 'openai', usage, at('2026-02-01T00:00:00Z')).priceVersion).toBe(
      CATALOG_PRICE_VERSION,
    );
    expect(priced.costOf('q', 'gpt-4o', 'openai', usage, at('2026-01-15T12:00:00Z')).priceVersion).toBe(
      CATALOG_PRICE_VERSION,
    );
  });

  it('matches a custom price on the catalog id of a served alias, and only for its provider when it names one', () => {
    const priced = pricing([custom({ provider: 'azure' })]);
    expect(priced.costOf('p', 'gpt-4o', 'openai', usage, at('2026-01-15T00:00:00Z')).priceVersion).toBe(
      CATALOG_PRICE_VERSION,
    );
    const byAlias = pricing([custom({})]);
    expect(
      byAlias.costOf('p', 'gpt-4o-2024-08-06', 'openai', usage, at('2026-01-15T00:00:00Z')).priceVersion,
    ).toBe('custom:cp_1');
  });

  it('finds a custom price set on an alias for a call naming the dated id, and one set as provider/model', () => {
    const jan = at('2026-01-15T00:00:00Z');
    // Kept as an older build kept it: the alias, not resolved.
    const byAlias = pricing([custom({ model: 'claude-haiku-4-5' })]);
    expect(byAlias.costOf('p', 'claude-haiku-4-5-20251001', 'anthropic', usage, jan).priceVersion).toBe(
      'custom:cp_1',
    );
    expect(byAlias.costOf('p', 'claude-haiku-4-5', 'anthropic', usage, jan).priceVersion).toBe('custom:cp_1');
    const prefixed = pricing([custom({ model: 'openai/gpt-4o-mini' })]);
    expect(prefixed.costOf('p', 'gpt-4o-mini', 'openai', usage, jan).priceVersion).toBe('custom:cp_1');
    expect(prefixed.costOf('p', 'openai/gpt-4o-mini', 'openai', usage, jan).priceVersion).toBe('custom:cp_1');
    // The prefix named the provider: not Azure's.
    expect(prefixed.costOf('p', 'gpt-4o-mini', 'azure', usage, jan).priceVersion).not.toBe('custom:cp_1');
  });

  it('prices an absurd prompt (500M tokens of gpt-4.1) at the documented bound of 100M, flagged suspicious', () => {
    const priced = pricing([]);
    const when = at('2026-03-01T00:00:00Z');
    const prompt = (inputTokens: number): RecordedUsage => ({
      ...usage,
      inputTokens,
      outputTokens: 0,
      totalTokens: inputTokens,
    });
    const absurd = priced.costOf('p', 'gpt-4.1', 'openai', prompt(500_000_000), when);
    // $2 per 1M input: 100M tokens are $200, not the $1000 of 500M.
    expect(absurd.totalNanoUsd).toBe(200_000_000_000n);
    expect(absurd.flags).toEqual(['suspicious_usage']);
  });

  it('applies a custom price for any provider to a generation reported without one', () => {
    const jan = at('2026-01-15T00:00:00Z');
    const priced = pricing([custom({ model: 'my-finetune', provider: null })]);
    // $2 × 1M + $8 × 100k/1M = $2.80
    expect(priced.costOf('p', 'my-finetune', undefined, usage, jan)).toMatchObject({
      totalNanoUsd: 2_800_000_000n,
      priceVersion: 'custom:cp_1',
      flags: [],
    });
    // A catalog model routed by its name, too.
    expect(pricing([custom({})]).costOf('p', 'gpt-4o', undefined, usage, jan).priceVersion).toBe(
      'custom:cp_1',
    );
    // A price for one provider cannot be matched without one.
    const vllm = pricing([custom({ model: 'my-finetune', provider: 'vllm' })]);
    expect(vllm.costOf('p', 'my-finetune', undefined, usage, jan).flags).toEqual(['unpriced']);
  });

  it('ignores removed custom prices, and flags a model nobody priced', () => {
    const priced = pricing([custom({ removedAt: '2025-12-02T00:00:00.000Z' })]);
    expect(priced.costOf('p', 'gpt-4o', 'openai', usage, at('2026-01-15T00:00:00Z')).priceVersion).toBe(
      CATALOG_PRICE_VERSION,
    );
    expect(priced.costOf('p', 'my-llama', 'vllm', usage, at('2026-01-15T00:00:00Z')).flags).toEqual([
      'unpriced',
    ]);
  });

  it('caps the estimate’s output at the model’s own limit when the request asks for more', () => {
    const request = {
      model: 'gpt-4o',
      messages: [{ role: 'user' as const, content: 'hello there' }],
      max_tokens: 10_000_000,
    };
    const [gpt] = pricing([]).estimate('p', request, ['gpt-4o'], at('2026-03-01T00:00:00Z'));
    // gpt-4o writes 16,384 tokens at most: $10/M × 16,384 + 8 input tokens × $2.50/M.
    expect(gpt.maxOutputTokens).toBe(16_384);
    expect(gpt.maxNanoUsd).toBe(20_000n + 163_840_000n);
    const [two] = pricing([]).estimate('p', { ...request, n: 2 }, ['gpt-4o'], at('2026-03-01T00:00:00Z'));
    expect(two.maxOutputTokens).toBe(2 * 16_384);
  });

  it('estimates per model: tokens with its tokenizer, input-only to full-output cost', () => {
    const request = {
      model: 'gpt-4o',
      messages: [{ role: 'user' as const, content: 'hello there' }],
      max_tokens: 1_000,
    };
    const [gpt, claude, unknown] = pricing([]).estimate(
      'p',
      request,
      ['gpt-4o', 'claude-sonnet-4-5', 'no-such-model'],
      at('2026-03-01T00:00:00Z'),
    );
    // 3 priming + 3 per message + 2 tokens of text = 8 input tokens; $2.50/M in, $10/M out.
    expect(gpt).toMatchObject({
      provider: 'openai',
      inputTokens: 8,
      tokenizer: 'o200k_base',
      flags: ['estimated_usage'],
    });
    expect(gpt.minNanoUsd).toBe(20_000n);
    expect(gpt.maxNanoUsd).toBe(20_000n + 10_000_000n);
    expect(claude).toMatchObject({
      provider: 'anthropic',
      tokenizer: 'approximation',
      flags: ['estimated_usage', 'approximate_tokens'],
    });
    expect(unknown).toMatchObject({
      provider: null,
      flags: ['estimated_usage', 'approximate_tokens', 'unpriced'],
    });
  });
});
