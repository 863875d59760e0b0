// The "Model prices" table of Settings → Prices: the catalog's price of every model beside the
// project's custom price where one is in force today.
import type { ModelPriceCellFragment, ModelPricesQuery } from '$lib/graphql/generated';

export type PricedModel = ModelPricesQuery['models'][number];

/** A USD-per-1M rate as the table shows it; null/undefined: the provider does not price it apart. */
export function rate(n: number | null | undefined): string {
  if (n == null) return '—';
  return `$${Number(n.toFixed(9))}`;
}

/** Each long-context tier in a line: `above 200k input: $6 in · $22.5 out · $0.6 cached`. */
export function tierNotes(price: ModelPriceCellFragment | null | undefined): string[] {
  return (price?.tiers ?? []).map((t) => {
    const k =
      t.aboveInputTokens >= 1000
        ? `${Number((t.aboveInputTokens / 1000).toFixed(1))}k`
        : `${t.aboveInputTokens}`;
    const parts = [`${rate(t.inputPerMTok)} in`, `${rate(t.outputPerMTok)} out`];
    if (t.cachedInputPerMTok != null) parts.push(`${rate(t.cachedInputPerMTok)} cached`);
    if (t.cacheWritePerMTok != null) parts.push(`${rate(t.cacheWritePerMTok)} cache write`);
    return `above ${k} input: ${parts.join(' · ')}`;
  });
}

/** Audio and image rates priced apart, in a line (empty when none). */
export function mediaNote(price: ModelPriceCellFragment | null | undefined): string {
  if (!price) return '';
  const parts: string[] = [];
  if (price.audioInputPerMTok != null) parts.push(`audio in ${rate(price.audioInputPerMTok)}`);
  if (price.audioOutputPerMTok != null) parts.push(`audio out ${rate(price.audioOutputPerMTok)}`);
  if (price.imageInputPerMTok != null) parts.push(`image in ${rate(price.imageInputPerMTok)}`);
  if (price.imageOutputPerMTok != null) parts.push(`image out ${rate(price.imageOutputPerMTok)}`);
  return parts.join(' · ');
}

/** Models whose id or provider contains every word of `query` (case-insensitive), custom-priced first. */
export function filterModels(models: readonly PricedModel[], query: string): PricedModel[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return models
    .filter((m) => words.every((w) => m.id.toLowerCase().includes(w) || m.provider.toLowerCase().includes(w)))
    .sort((a, b) => Number(b.priceInForce?.custom ?? false) - Number(a.priceInForce?.custom ?? false));
}
