import type { RecordedUsage } from '@sightline/schemas';
import type { ChatCompletionRequest } from '../providers/wire/chat-completions';
import { ZERO_BREAKDOWN } from './price-math';
import { Pricing, type CostEstimate, type GenerationCost } from './pricing';

const UNPRICED: GenerationCost = {
  totalNanoUsd: 0n,
  breakdown: ZERO_BREAKDOWN,
  priceVersion: 'none',
  flags: ['unpriced'],
};

/**
 * Prices nothing: every generation unpriced, no estimate. Only for the pricing on/off benchmark
 * (`SIGHTLINE_BENCH_NO_PRICING=1`, `load-tests/src/scenarios/pricing-overhead.ts`), to measure what
 * pricing adds to the gateway path.
 */
export class NoPricing extends Pricing {
  costOf(
    _projectId: string,
    _model: string,
    _provider: string | undefined,
    _usage: RecordedUsage,
  ): GenerationCost {
    return UNPRICED;
  }

  estimate(_projectId: string, _request: ChatCompletionRequest, _models: readonly string[]): CostEstimate[] {
    return [];
  }
}
