export type Modality = 'text' | 'image' | 'audio' | 'video' | 'file';

/**
 * USD per 1M tokens of each kind (at most 9 decimals, so nano-dollar math stays exact). Parts a
 * provider does not price apart fall back: reasoning and audio/image output to `outputPerMTok`,
 * audio/image input to `inputPerMTok`, cache reads to the input price when null.
 */
export interface TokenRates {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  /** Cache hits / cached input; null when the provider gives no cache discount. */
  readonly cachedInputPerMTok: number | null;
  /** Cache writes billed on their own (Anthropic's 5-minute writes); absent when not. */
  readonly cacheWritePerMTok?: number;
  readonly reasoningPerMTok?: number;
  readonly audioInputPerMTok?: number;
  readonly audioOutputPerMTok?: number;
  readonly imageInputPerMTok?: number;
  readonly imageOutputPerMTok?: number;
}

/** Rates that replace the base ones for a whole request whose input tokens exceed `aboveInputTokens`. */
export interface PriceTier extends TokenRates {
  readonly aboveInputTokens: number;
}

/**
 * A price that applies from `effectiveFrom` until the next entry's date (or `effectiveUntil`,
 * exclusive, when the price ended with no successor: a gap, during which the model is unpriced).
 * Costs record `PRICE_TABLE_VERSION` with the price they used, so a later correction is visible.
 */
export interface ModelPrice extends TokenRates {
  /** First UTC day (ISO `YYYY-MM-DD`) the price applies to. */
  readonly effectiveFrom: string;
  /** First UTC day it no longer applies to; absent = until the next entry. */
  readonly effectiveUntil?: string;
  readonly currency: 'USD';
  /** Fee per request in USD, on top of tokens (Perplexity's request fee). */
  readonly perRequestUsd?: number;
  /** Long-context prices, lowest threshold first. */
  readonly tiers?: readonly PriceTier[];
  /** The provider's page the figures come from, and the day they were last compared with it. */
  readonly source: { readonly url: string; readonly checkedOn: string };
  /** What costs name as their price version; absent for catalog prices (`catalog:<PRICE_TABLE_VERSION>`). */
  readonly version?: string;
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
  return found?.effectiveUntil !== undefined && found.effectiveUntil <= day ? undefined : found;
}
