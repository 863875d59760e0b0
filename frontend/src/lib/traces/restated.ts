// A trace's cost at ingestion beside its cost restated at newer prices (TraceDetail.restatedCosts).

/** Exact decimal USD text to nano-dollars; null for none. */
function nano(usd: string | null | undefined): bigint | null {
  if (!usd) return null;
  const [whole, fraction = ''] = usd.replace('-', '').split('.');
  const value = BigInt(whole || '0') * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9) || '0');
  return usd.startsWith('-') ? -value : value;
}

function usd(nanoUsd: bigint): string {
  const abs = nanoUsd < 0n ? -nanoUsd : nanoUsd;
  return `${nanoUsd < 0n ? '-' : ''}${abs / 1_000_000_000n}.${String(abs % 1_000_000_000n).padStart(9, '0')}`;
}

/** A trace's restated cost: the sum of what has a price, and how many generations have none. */
export interface RestatedTotal {
  /** Exact decimal USD; null when no generation has a price (all unpriced: not $0). */
  readonly usd: string | null;
  /** Generations without a price, restated or as recorded: not in `usd`. */
  readonly unpriced: number;
}

/**
 * The trace's cost with each restated generation at its restated cost and the others at the cost they
 * were recorded with (exact decimal USD); null when none was restated. Unpriced ones (a null cost)
 * add nothing and are counted apart.
 */
export function restatedTotal(
  spans: readonly { readonly id: string; readonly kind: string; readonly cost: string | null }[],
  restated: readonly { readonly spanId: string; readonly restatedCost: { readonly cost: string | null } }[],
): RestatedTotal | null {
  if (restated.length === 0) return null;
  const byId = new Map(restated.map((r) => [r.spanId, r.restatedCost.cost]));
  let total = 0n;
  let priced = 0;
  let unpriced = 0;
  for (const span of spans) {
    if (span.kind !== 'GENERATION') continue;
    const cost = nano(byId.has(span.id) ? byId.get(span.id) : span.cost);
    if (cost === null) unpriced += 1;
    else {
      total += cost;
      priced += 1;
    }
  }
  return { usd: priced ? usd(total) : null, unpriced };
}
