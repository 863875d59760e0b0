import type { GenerationCostData, RecordedUsage } from '@sightline/schemas';
import type { ChatCompletionRequest } from '../providers/wire/chat-completions';
import { nanoToUsd, usdToNano, ZERO_BREAKDOWN } from './price-math';

/**
 * The shared costs interface. USD amounts are exact decimals: integer nano-dollars (1e-9 USD) as
 * `bigint` inside, decimal strings at the edges (events, GraphQL, ClickHouse `Decimal`).
 */

/**
 * - `unpriced`: no price was in force for the model at that time (the cost is 0 and must not be read as free).
 * - `suspicious_usage`: negative, non-integer, absurd or inconsistent token counts (parts larger than
 *   their total); priced from the counts clamped into range.
 * - `estimated_usage`: Sightline counted the tokens because the provider reported none.
 * - `approximate_tokens`: counted without the model's own tokenizer (a documented approximation).
 * - `caller_supplied`: the total is the one the caller sent with an ingested span, not Sightline's price.
 */
export type CostFlag =
  'unpriced' | 'suspicious_usage' | 'estimated_usage' | 'approximate_tokens' | 'caller_supplied';

/** Each part in nano-USD; the parts sum to the total. */
export interface CostBreakdown {
  /** Input tokens that were not cache reads, cache writes, audio or image. */
  readonly input: bigint;
  /** Output tokens that were not reasoning or audio. */
  readonly output: bigint;
  /** Cache reads. */
  readonly cachedInput: bigint;
  /** Cache writes, where the provider prices them apart (Anthropic). */
  readonly cacheWrite: bigint;
  readonly reasoning: bigint;
  /** Audio tokens, input and output. */
  readonly audio: bigint;
  /** Image tokens, input and output. */
  readonly image: bigint;
  /** Fixed fee per request (Perplexity's search fee...). */
  readonly requestFee: bigint;
}

export interface GenerationCost {
  readonly totalNanoUsd: bigint;
  readonly breakdown: CostBreakdown;
  /**
   * The price used: `catalog:<PRICE_TABLE_VERSION>`, `custom:<customPriceId>`,
   * `project-model:<modelId>`, or `none` when unpriced.
   */
  readonly priceVersion: string;
  readonly flags: readonly CostFlag[];
}

/** What a request would cost on one model, before it runs. */
export interface CostEstimate {
  /** As asked. */
  readonly model: string;
  /** Who would serve it; null when no rule routes the name. */
  readonly provider: string | null;
  readonly inputTokens: number;
  /** Always true for now: counted by Sightline, not by the provider. */
  readonly inputTokensEstimated: boolean;
  /** The tokenizer used (`o200k_base`, `cl100k_base`...), or `approximation` when none fits the model. */
  readonly tokenizer: string;
  /** Input only (the answer could be empty). */
  readonly minNanoUsd: bigint;
  /** Input plus the maximum output (the request's max tokens, else the model's limit). */
  readonly maxNanoUsd: bigint;
  readonly maxOutputTokens: number;
  readonly priceVersion: string;
  readonly flags: readonly CostFlag[];
}

/** Prices generations and requests. Nest injection token, provided by `CostsModule` (global). */
export abstract class Pricing {
  /**
   * The cost of a generation served by `provider`'s `model` (as named on its wire, or a catalog id)
   * with `usage`, at the price in force at `at` (the request's start): the project's custom price,
   * else its own model's price, else the catalog's. `provider` undefined (a span reported without
   * one): the provider the catalog routes `model` to. Never throws.
   */
  abstract costOf(
    projectId: string,
    model: string,
    provider: string | undefined,
    usage: RecordedUsage,
    at: Date,
  ): GenerationCost;

  /** Per model in `models` (names as callers send them), the input token count and the cost range. */
  abstract estimate(
    projectId: string,
    request: ChatCompletionRequest,
    models: readonly string[],
    at: Date,
  ): CostEstimate[];
}

/** An answer from Sightline's response cache: no provider was called, nothing was billed. */
export const CACHE_HIT_COST: GenerationCost = {
  totalNanoUsd: 0n,
  breakdown: ZERO_BREAKDOWN,
  priceVersion: 'cache_hit',
  flags: [],
};

/** A call that broke before the provider produced or reported anything: nothing was billed. */
export const NOT_BILLED_COST: GenerationCost = {
  totalNanoUsd: 0n,
  breakdown: ZERO_BREAKDOWN,
  priceVersion: 'not_billed',
  flags: [],
};

/** A cost as events carry it: exact decimal USD strings. */
export function costData(cost: GenerationCost): GenerationCostData {
  const b = cost.breakdown;
  return {
    totalUsd: nanoToUsd(cost.totalNanoUsd),
    breakdown: {
      input: nanoToUsd(b.input),
      output: nanoToUsd(b.output),
      cachedInput: nanoToUsd(b.cachedInput),
      cacheWrite: nanoToUsd(b.cacheWrite),
      reasoning: nanoToUsd(b.reasoning),
      audio: nanoToUsd(b.audio),
      image: nanoToUsd(b.image),
      requestFee: nanoToUsd(b.requestFee),
    },
    priceVersion: cost.priceVersion,
    flags: [...cost.flags],
  };
}

/** A cost as an event carried it, back in nano-USD (a cost recorded with its total only has a zero breakdown). */
export function costFromData(data: GenerationCostData): GenerationCost {
  const b = data.breakdown;
  return {
    totalNanoUsd: usdToNano(data.totalUsd),
    breakdown: b
      ? {
          input: usdToNano(b.input),
          output: usdToNano(b.output),
          cachedInput: usdToNano(b.cachedInput),
          cacheWrite: usdToNano(b.cacheWrite),
          reasoning: usdToNano(b.reasoning),
          audio: usdToNano(b.audio),
          image: usdToNano(b.image),
          requestFee: usdToNano(b.requestFee),
        }
      : ZERO_BREAKDOWN,
    priceVersion: data.priceVersion,
    flags: [...data.flags],
  };
}
