import { describe, expect, it } from 'vitest';
import type { ModelPriceCellFragment } from '$lib/graphql/generated';
import { filterModels, mediaNote, rate, tierNotes, type PricedModel } from './model-prices';

const price = (over: Partial<ModelPriceCellFragment> = {}): ModelPriceCellFragment => ({
  effectiveFrom: '2025-01-01',
  inputPerMTok: 3,
  outputPerMTok: 15,
  cachedInputPerMTok: 0.3,
  cacheWritePerMTok: 3.75,
  reasoningPerMTok: null,
  audioInputPerMTok: null,
  audioOutputPerMTok: null,
  imageInputPerMTok: null,
  imageOutputPerMTok: null,
  perRequestUsd: null,
  tiers: [],
  priceVersion: 'catalog:1',
  custom: false,
  sourceUrl: 'https://example.com',
  checkedOn: '2026-11-30',
  ...over,
});

describe('model prices', () => {
  it('formats rates without float noise and a dash for rates not priced apart', () => {
    expect(rate(0.075)).toBe('$0.075');
    expect(rate(0.1 + 0.2)).toBe('$0.3');
    expect(rate(null)).toBe('—');
  });

  it('notes each tier by its threshold', () => {
    const tiers = [
      {
        aboveInputTokens: 200_000,
        inputPerMTok: 6,
        outputPerMTok: 22.5,
        cachedInputPerMTok: 0.6,
        cacheWritePerMTok: 7.5,
      },
    ];
    expect(tierNotes(price({ tiers }))).toEqual([
      'above 200k input: $6 in · $22.5 out · $0.6 cached · $7.5 cache write',
    ]);
    expect(tierNotes(null)).toEqual([]);
  });

  it('notes audio and image rates priced apart', () => {
    expect(mediaNote(price({ audioInputPerMTok: 1 }))).toBe('audio in $1');
    expect(mediaNote(price())).toBe('');
  });

  it('filters by model or provider words and puts custom-priced models first', () => {
    const m = (id: string, provider: string, custom = false): PricedModel => ({
      id,
      provider,
      projectModelId: null,
      price: price(),
      priceInForce: price({ custom }),
    });
    const list = [
      m('gpt-4o', 'openai'),
      m('claude-sonnet-4-5', 'anthropic'),
      m('gpt-4o-mini', 'openai', true),
    ];
    expect(filterModels(list, 'GPT').map((x) => x.id)).toEqual(['gpt-4o-mini', 'gpt-4o']);
    expect(filterModels(list, 'anthropic sonnet').map((x) => x.id)).toEqual(['claude-sonnet-4-5']);
    expect(filterModels(list, '')).toHaveLength(3);
  });
});
