import type { ProviderCredential } from '../providers/upstream';

/**
 * Which of a provider's credentials to use for a model: weighted at random among those not
 * resting. A credential rests for one model after the provider limited it (for its `retry-after`)
 * or refused it, so the other keys carry that model meanwhile; when all rest, the one back first
 * is used anyway and the provider has the last word. One per instance; monotonic milliseconds.
 */
export class CredentialPool {
  /** `credential id ␀ model` → monotonic ms until which it rests. */
  private readonly restingUntil = new Map<string, number>();

  /** A ready credential chosen by weight with `random` ∈ [0, 1), else the one ready soonest. */
  pick(
    credentials: readonly ProviderCredential[],
    model: string,
    nowMs: number,
    random: number,
  ): ProviderCredential {
    const ready = this.ready(credentials, model, nowMs);
    if (!ready.length) return this.soonest(credentials, model);
    let point = random * ready.reduce((sum, c) => sum + weightOf(c), 0);
    for (const credential of ready) {
      point -= weightOf(credential);
      if (point < 0) return credential;
    }
    return ready[ready.length - 1];
  }

  /** Rest `credential` for `model` until `nowMs + ms` (a longer rest already set is kept). */
  rest(credential: ProviderCredential, model: string, nowMs: number, ms: number): void {
    const key = keyOf(credential, model);
    const until = nowMs + ms;
    if ((this.restingUntil.get(key) ?? 0) < until) this.restingUntil.set(key, until);
  }

  /** The credentials not resting for `model`. */
  ready(credentials: readonly ProviderCredential[], model: string, nowMs: number): ProviderCredential[] {
    return credentials.filter((c) => {
      const key = keyOf(c, model);
      const until = this.restingUntil.get(key);
      if (until !== undefined && until <= nowMs) this.restingUntil.delete(key);
      return until === undefined || until <= nowMs;
    });
  }

  private soonest(credentials: readonly ProviderCredential[], model: string): ProviderCredential {
    const until = (c: ProviderCredential): number => this.restingUntil.get(keyOf(c, model)) ?? 0;
    return credentials.reduce((best, c) => (until(c) < until(best) ? c : best));
  }
}

const keyOf = (credential: ProviderCredential, model: string): string => `${credential.id}\u0000${model}`;
const weightOf = (c: ProviderCredential): number => (c.weight && c.weight > 0 ? c.weight : 1);
