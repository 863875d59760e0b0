import type { RecordedUsage } from '@sightline/schemas';
import { Map as ImmutableMap } from 'immutable';
import type { ModelPrice } from '../catalog/catalog-model';
import { ModelCatalog } from '../catalog/model-catalog';
import { PRICE_TABLE_VERSION } from '../catalog/models.data';
import type { ControlPlane } from '../control/control-plane';
import { CatalogPricing } from './catalog-pricing';
import { nanoToUsd } from './price-math';

/**
 * Costs of the shipped catalog on a test set worked out by hand from the providers' published
 * prices (USD per 1M tokens; the working is in each row), exact to the nano-dollar.
 */
const pricing = new CatalogPricing(new ModelCatalog(), { forProject: () => [] }, {
  current: { customPrices: ImmutableMap() },
} as unknown as ControlPlane);

type Counts = Partial<Omit<RecordedUsage, 'source'>>;
const usage = (counts: Counts): RecordedUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  totalTokens: 0,
  cachedTokens: 0,
  reasoningTokens: 0,
  source: 'reported',
  ...counts,
});

const NOW = new Date('2026-11-30T12:00:00Z');

const CASES: [string, string, string, Counts, string, Date?][] = [
  // 1,234 × 2.50 + 567 × 10 = 3,085 + 5,670 = 8,755 micro-USD
  ['gpt-4o', 'openai', 'gpt-4o', { inputTokens: 1_234, outputTokens: 567 }, '0.008755000'],
  // 10,000 in of which 8,000 cached: 2,000 × 0.15 + 8,000 × 0.075 + 1,000 × 0.60 = 300 + 600 + 600 µ$
  [
    'gpt-4o-mini cached',
    'openai',
    'gpt-4o-mini',
    { inputTokens: 10_000, cachedTokens: 8_000, outputTokens: 1_000 },
    '0.001500000',
  ],
  // o3: 2,000 in × 2 + 5,000 out (4,000 reasoning, at the output price) × 8 = 4,000 + 40,000 µ$
  [
    'o3 reasoning',
    'openai',
    'o3',
    { inputTokens: 2_000, outputTokens: 5_000, reasoningTokens: 4_000 },
    '0.044000000',
  ],
  // Sonnet 4.5: 3,000 in of which 1,000 read and 1,000 written: 1,000 × 3 + 1,000 × 0.30 + 1,000 × 3.75
  // + 2,000 out × 15 = 3,000 + 300 + 3,750 + 30,000 = 37,050 µ$
  [
    'claude-sonnet-4-5 cache read and write',
    'anthropic',
    'claude-sonnet-4-5-20250929',
    { inputTokens: 3_000, cachedTokens: 1_000, cacheWriteTokens: 1_000, outputTokens: 2_000 },
    '0.037050000',
  ],
  // Sonnet 4.5 above 200k: 250,000 in × 6 + 1,000 out × 22.50 = 1.5 + 0.0225 USD
  [
    'claude-sonnet-4-5 long context',
    'anthropic',
    'claude-sonnet-4-5',
    { inputTokens: 250_000, outputTokens: 1_000 },
    '1.522500000',
  ],
  // Gemini 2.5 Pro within 200k: 200,000 × 1.25 + 10,000 × 10 = 0.25 + 0.10 USD
  [
    'gemini-2.5-pro base tier',
    'gemini',
    'gemini-2.5-pro',
    { inputTokens: 200_000, outputTokens: 10_000 },
    '0.350000000',
  ],
  // Above: 300,000 in (100,000 cached) → 200,000 × 2.50 + 100,000 × 0.25 + 10,000 × 15 = 0.5 + 0.025 + 0.15
  [
    'gemini-2.5-pro long tier',
    'gemini',
    'gemini-2.5-pro',
    { inputTokens: 300_000, cachedTokens: 100_000, outputTokens: 10_000 },
    '0.675000000',
  ],
  // Perplexity Sonar: 500 × 1 + 300 × 1 = 800 µ$, plus the $5 per 1,000 requests fee = 5,800 µ$
  ['sonar request fee', 'perplexity', 'sonar', { inputTokens: 500, outputTokens: 300 }, '0.005800000'],
  // Nova Micro: 1,001 × 0.035 = 35.035 µ$; 7 × 0.14 = 0.98 µ$ → 36.015 µ$
  [
    'nova micro sub-micro',
    'bedrock',
    'amazon.nova-micro-v1:0',
    { inputTokens: 1_001, outputTokens: 7 },
    '0.000036015',
  ],
  // DeepSeek before its 2025-09-29 cut: 1M in × 0.56 + 1M out × 1.68 = 2.24 USD; after: 0.28 + 0.42
  [
    'deepseek-chat before the cut',
    'deepseek',
    'deepseek-chat',
    { inputTokens: 1_000_000, outputTokens: 1_000_000 },
    '2.240000000',
    new Date('2025-09-28T23:59:59Z'),
  ],
  [
    'deepseek-chat after the cut',
    'deepseek',
    'deepseek-chat',
    { inputTokens: 1_000_000, outputTokens: 1_000_000 },
    '0.700000000',
  ],
  // o3 at launch, before the 2025-06-10 cut: 2,000 in × 10 + 5,000 out × 40 = 20,000 + 200,000 µ$
  [
    'o3 before the cut',
    'openai',
    'o3',
    { inputTokens: 2_000, outputTokens: 5_000, reasoningTokens: 4_000 },
    '0.220000000',
    new Date('2025-06-09T23:59:59Z'),
  ],
  // Haiku 4.5: 10,000 in of which 6,000 read and 2,000 written: 2,000 × 1 + 6,000 × 0.10 + 2,000 × 1.25
  // + 500 out × 5 = 2,000 + 600 + 2,500 + 2,500 = 7,600 µ$
  [
    'claude-haiku-4-5 cache read and write',
    'anthropic',
    'claude-haiku-4-5',
    { inputTokens: 10_000, cachedTokens: 6_000, cacheWriteTokens: 2_000, outputTokens: 500 },
    '0.007600000',
  ],
  // Grok 4 above 128k: 150,000 in (50,000 cached) → 100,000 × 6 + 50,000 × 0.75 + 2,000 out × 30
  // = 600,000 + 37,500 + 60,000 = 697,500 µ$
  [
    'grok-4 above 128k',
    'xai',
    'grok-4',
    { inputTokens: 150_000, cachedTokens: 50_000, outputTokens: 2_000 },
    '0.697500000',
  ],
  // Grok 4 at 128k exactly stays in the base tier: 128,000 × 3 + 1,000 × 15 = 384,000 + 15,000 µ$
  ['grok-4 at 128k', 'xai', 'grok-4', { inputTokens: 128_000, outputTokens: 1_000 }, '0.399000000'],
  // Sonar Pro: 2,000 × 3 + 1,000 × 15 = 6,000 + 15,000 µ$, plus the $6 per 1,000 requests fee = 27,000 µ$
  [
    'sonar-pro request fee',
    'perplexity',
    'sonar-pro',
    { inputTokens: 2_000, outputTokens: 1_000 },
    '0.027000000',
  ],
  // Gemini 2.5 Flash: 40,000 in of which 30,000 cached: 10,000 × 0.30 + 30,000 × 0.03 + 4,000 out × 2.50
  // = 3,000 + 900 + 10,000 = 13,900 µ$
  [
    'gemini-2.5-flash cached',
    'gemini',
    'gemini-2.5-flash',
    { inputTokens: 40_000, cachedTokens: 30_000, outputTokens: 4_000 },
    '0.013900000',
  ],
  // Gemini 2.5 Flash with audio: 10,000 in of which 4,000 audio: 6,000 × 0.30 + 4,000 × 1.00 + 1,000 out × 2.50
  // = 1,800 + 4,000 + 2,500 = 8,300 µ$
  [
    'gemini-2.5-flash audio input',
    'gemini',
    'gemini-2.5-flash',
    { inputTokens: 10_000, audioInputTokens: 4_000, outputTokens: 1_000 },
    '0.008300000',
  ],
  // Groq gpt-oss-120b with reasoning: 3,000 × 0.15 + 2,000 out (1,500 reasoning, at the output price) × 0.60
  // = 450 + 1,200 = 1,650 µ$
  [
    'groq gpt-oss-120b reasoning',
    'groq',
    'openai/gpt-oss-120b',
    { inputTokens: 3_000, outputTokens: 2_000, reasoningTokens: 1_500 },
    '0.001650000',
  ],
];

describe('catalog prices on a hand-computed test set', () => {
  it.each(CASES)('%s', (_name, provider, model, counts, usd, at = NOW) => {
    const cost = pricing.costOf('p', model, provider, usage(counts), at);
    expect(cost.flags).toEqual([]);
    expect(nanoToUsd(cost.totalNanoUsd)).toBe(usd);
  });

  it('names the price table version in every cost', () => {
    const cost = pricing.costOf('p', 'gpt-4o', 'openai', usage({ inputTokens: 1 }), NOW);
    expect(cost.priceVersion).toBe('catalog:2026-12-01.2');
  });

  it('has a price with a source page and the day it was checked for every catalog model but the free mock', () => {
    const sourced = (p: ModelPrice) =>
      /^https:\/\/\S+$/.test(p.source.url) &&
      /^\d{4}-\d{2}-\d{2}$/.test(p.source.checkedOn) &&
      p.source.checkedOn >= p.effectiveFrom &&
      p.source.checkedOn <= PRICE_TABLE_VERSION.slice(0, 10);
    const unpriced = new ModelCatalog().models.filter(
      (m) => m.provider !== 'mock' && (m.prices.length === 0 || !m.prices.every(sourced)),
    );
    expect(unpriced).toEqual([]);
  });

  it('prices every name a catalog model goes by: id, wire name and aliases with its provider; id and aliases alone', () => {
    const names = new ModelCatalog().models
      .filter((m) => m.provider !== 'mock')
      .flatMap((m) => [
        ...[m.id, m.wireModel, ...(m.aliases ?? [])].map((name) => ({ provider: m.provider, name })),
        // Ingestion may name no provider: the catalog resolves ids and aliases (wire names need one).
        ...[m.id, ...(m.aliases ?? [])].map((name) => ({ provider: undefined, name })),
      ])
      .filter((n): n is { provider: string | undefined; name: string } => n.name !== undefined);
    expect(names.length).toBeGreaterThan(100);
    const unpriced = names
      .map(({ provider, name }) => {
        const cost = pricing.costOf('p', name, provider, usage({ inputTokens: 1_000 }), NOW);
        return { provider, name, flags: cost.flags, usd: nanoToUsd(cost.totalNanoUsd) };
      })
      .filter((c) => c.flags.length > 0 || c.usd === '0.000000000');
    expect(unpriced).toEqual([]);
  });

  // The moving aliases providers document, sent as they are: priced as the entry they point at.
  it.each([
    ['mistral', 'mistral-small-latest', 'mistral-small-2503'],
    ['mistral', 'mistral-medium-latest', 'mistral-medium-2505'],
    ['mistral', 'mistral-large-latest', 'mistral-large-2411'],
    ['mistral', 'codestral-latest', 'codestral-2501'],
    ['gemini', 'gemini-flash-latest', 'gemini-2.5-flash'],
    ['gemini', 'gemini-flash-lite-latest', 'gemini-2.5-flash-lite'],
    ['xai', 'grok-4-fast-reasoning-latest', 'grok-4-fast-reasoning'],
    ['xai', 'grok-4-latest', 'grok-4-0709'],
    ['anthropic', 'claude-3-7-sonnet-latest', 'claude-3-7-sonnet-20250219'],
    ['openai', 'gpt-4o-2024-08-06', 'gpt-4o'],
    ['openai', 'gpt-4o-2024-11-20', 'gpt-4o'],
    ['gemini', 'gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash'],
    ['gemini', 'gemini-2.5-flash-lite-preview-09-2025', 'gemini-2.5-flash-lite'],
  ])('prices %s %s as %s', (provider, alias, id) => {
    const counts = usage({ inputTokens: 12_345, outputTokens: 678 });
    const byAlias = pricing.costOf('p', alias, provider, counts, NOW);
    expect(byAlias.flags).toEqual([]);
    expect(byAlias).toEqual(pricing.costOf('p', id, provider, counts, NOW));
    // Routed by name alone (no provider given), as ingestion does.
    expect(pricing.costOf('p', alias, undefined, counts, NOW)).toEqual(byAlias);
  });
});
