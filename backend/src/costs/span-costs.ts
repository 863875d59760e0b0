import type { GenerationCostData, RecordedUsage, SpanRecorded } from '@sightline/schemas';
import { nanoToUsd, usdToNano } from './price-math';

/**
 * Prices a generation of `provider`'s `model` (`Pricing.costOf` in the app); `provider` undefined:
 * the one the catalog routes the model's name to.
 */
export type PriceGeneration = (
  model: string,
  provider: string | undefined,
  usage: RecordedUsage,
  at: Date,
) => GenerationCostData;

type SpanFields = Omit<SpanRecorded['data'], 'cost'>;

/**
 * A total the caller computed, exact to the nano-dollar: a decimal string as sent (at most 9
 * decimals), a number rounded to the nano-dollar. Recorded without a breakdown.
 */
export function callerCost(usd: number | string): GenerationCostData {
  const nano = usdToNano(typeof usd === 'number' ? usd.toFixed(9) : usd);
  return { totalUsd: nanoToUsd(nano), priceVersion: 'caller', flags: ['caller_supplied'] };
}

/** What of a reported span is priced: a generation's model, provider, usage and start. */
export interface PricedSpan {
  readonly model: string;
  readonly provider: string | undefined;
  readonly usage: RecordedUsage;
  readonly at: Date;
}

/**
 * The part of a span Sightline prices: a generation reporting both its model and its usage, at its
 * start (else at `at`, when it was reported). Undefined for any other span: a span reported in parts
 * is priced by the part that carries both.
 */
export function pricedSpan(span: SpanFields, at: string): PricedSpan | undefined {
  if (span.kind !== 'generation' || !span.model || !span.usage) return undefined;
  const usage: RecordedUsage = { ...span.usage, source: 'reported' };
  return { model: span.model, provider: span.provider, usage, at: new Date(span.startedAt ?? at) };
}

/**
 * The cost of one reported span: the caller's total when it sent one (it wins: negotiated or
 * in-house prices Sightline cannot know), else the price of its `pricedSpan` part in force at its
 * start. Undefined for a span with nothing to price.
 */
export function reportedSpanCost(
  span: SpanFields,
  at: string,
  price: PriceGeneration,
  caller?: number | string,
): GenerationCostData | undefined {
  if (caller !== undefined) return callerCost(caller);
  const priced = pricedSpan(span, at);
  return priced && price(priced.model, priced.provider, priced.usage, priced.at);
}
