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

/**
 * The cost of one reported span: the caller's total when it sent one (it wins: negotiated or
 * in-house prices Sightline cannot know), else, for a generation reporting both its model and its
 * usage, the price in force at its start (else at `at`). Undefined for any other span: a span
 * reported in parts is priced by the part that carries both.
 */
export function reportedSpanCost(
  span: SpanFields,
  at: string,
  price: PriceGeneration,
  caller?: number | string,
): GenerationCostData | undefined {
  if (caller !== undefined) return callerCost(caller);
  if (span.kind !== 'generation' || !span.model || !span.usage) return undefined;
  const usage: RecordedUsage = { ...span.usage, source: 'reported' };
  return price(span.model, span.provider, usage, new Date(span.startedAt ?? at));
}
