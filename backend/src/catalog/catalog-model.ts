export type Modality = 'text' | 'image' | 'audio' | 'video' | 'file';

/**
 * A price that applies from `effectiveFrom` until the next entry's date. USD per 1M tokens.
 * Costs record `PRICE_TABLE_VERSION` with the price they used, so a later correction is visible.
 */
export interface ModelPrice {
  /** First UTC day (ISO `YYYY-MM-DD`) the price applies to. */
  readonly effectiveFrom: string;
  readonly currency: 'USD';
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  /** Cache hits / cached input; null when the provider gives no cache discount. */
  readonly cachedInputPerMTok: number | null;
  /** Cache writes billed on their own (Anthropic's 5-minute writes); absent when not. */
  readonly cacheWritePerMTok?: number;
  /** The provider's page the figures come from, and the day they were last compared with it. */
  readonly source: { readonly url: string; readonly checkedOn: string };
}

/** One model as Sightline knows it: limits, capabilities and prices. */
export interface CatalogModel {
  /** What callers send and `/v1/models` lists, unique across providers. */
  readonly id: string;
  /** Provider id (`catalog/providers.ts`). */
  readonly provider: string;
  /** The name on the provider's wire when it differs from `id` (e.g. `groq/…` ids). */
  readonly wireModel?: string;
  /** Other names the provider itself accepts for it (sent as they are), e.g. `claude-sonnet-4-5`. */
  readonly aliases?: readonly string[];
  /** Tokens, input and output together. */
  readonly contextWindow: number;
  readonly maxOutputTokens: number;
  readonly input: readonly Modality[];
  readonly output: readonly Modality[];
  /** Function / tool calling. */
  readonly tools: boolean;
  /** JSON-schema structured output (not only JSON mode). */
  readonly structuredOutput: boolean;
  /** Oldest first; empty for models without a public price (self-hosted, the mock). */
  readonly prices: readonly ModelPrice[];
}

/** The price of `model` on `day` (ISO date), if it has one then. */
export function priceOn(model: Pick<CatalogModel, 'prices'>, day: string): ModelPrice | undefined {
  let found: ModelPrice | undefined;
  for (const price of model.prices) if (price.effectiveFrom <= day) found = price;
  return found;
}
