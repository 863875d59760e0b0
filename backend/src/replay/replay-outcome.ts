import { assertNever } from '../common/assert-never';
import type { GenerationEnd } from '../gateway/generation-recording';
import type { MaskedValue } from './masked-values';

/** How a replay ended. */
export interface ReplayOutcome {
  /** The replay's own generation (span id); recorded whenever a provider was tried. */
  readonly generationId: string;
  /** A new trace, holding the replay alone. */
  readonly traceId: string;
  /** The generation replayed. */
  readonly replayOf: string;
  readonly status: 'completed' | 'failed';
  /** What the replay cost in nano-USD (10⁻⁹ USD); null when unpriced or failed. */
  readonly costNanoUsd: bigint | null;
  /** Milliseconds from the request to the end of the answer; null when nothing was recorded. */
  readonly latencyMs: number | null;
  /** Why it failed: `code` is the stable reason (`model_not_found`, `rate_limited`, `timeout`...). */
  readonly error?: { readonly code: string; readonly message: string };
  /** The values the replay sent masked, as they were recorded (redaction ran before recording). */
  readonly masked: readonly MaskedValue[];
}

/** Status, cost, latency and error of the replay's recorded end. */
export function outcomeOf(
  end: GenerationEnd,
): Omit<ReplayOutcome, 'generationId' | 'traceId' | 'replayOf' | 'masked'> {
  switch (end.type) {
    case 'generation.completed': {
      const cost = end.data.cost;
      const priced = cost && !cost.flags.includes('unpriced');
      return {
        status: 'completed',
        costNanoUsd: priced ? nanoUsd(cost.totalUsd) : null,
        latencyMs: end.data.latencyMs,
      };
    }
    case 'generation.failed':
      return {
        status: 'failed',
        costNanoUsd: null,
        latencyMs: end.data.latencyMs,
        error: { code: end.data.errorClass, message: end.data.message },
      };
    case 'generation.cancelled':
      return {
        status: 'failed',
        costNanoUsd: null,
        latencyMs: end.data.latencyMs,
        error: { code: 'cancelled', message: 'The replay was stopped before its answer ended' },
      };
    default:
      return assertNever(end);
  }
}

/** `"0.000001234"` (9 decimals) → 1234n. */
export function nanoUsd(usd: string): bigint {
  const [whole, fraction = ''] = usd.split('.');
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}
