import { ProviderError } from '../common/errors';
import type { RouteTimeouts } from '../routing/router';

/**
 * One attempt's signal: aborted when one of `parents` aborts (the router's attempt, the caller going
 * away) or when the route's timeouts run out — the whole call (`totalMs`) or until the first token
 * (`firstTokenMs`). A stream outlives `Router.run`, so the timer lives until {@link dispose}.
 * Listens to its parents itself: `AbortSignal.any` per call costs weak references and GC.
 */
export class AttemptTimer {
  private readonly controller = new AbortController();
  private readonly total: NodeJS.Timeout;
  private firstToken: NodeJS.Timeout | undefined;
  private expired: 'total' | 'first token' | undefined;
  private readonly onAbort = (event: Event): void =>
    this.controller.abort((event.target as AbortSignal).reason);

  constructor(
    private readonly parents: readonly AbortSignal[],
    private readonly timeouts: RouteTimeouts,
    private readonly provider: string,
  ) {
    const aborted = parents.find((parent) => parent.aborted);
    if (aborted) this.controller.abort(aborted.reason);
    else for (const parent of parents) parent.addEventListener('abort', this.onAbort, { once: true });
    this.total = setTimeout(() => this.expire('total'), timeouts.totalMs);
    this.firstToken = setTimeout(() => this.expire('first token'), timeouts.firstTokenMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The first token (or the whole answer) arrived: only the total timeout remains. */
  firstTokenArrived(): void {
    clearTimeout(this.firstToken);
    this.firstToken = undefined;
  }

  /** What went wrong, as the provider's failure: a timeout when one ran out, else `error` itself. */
  explain(error: unknown): unknown {
    if (!this.expired) return error;
    const ms = this.expired === 'total' ? this.timeouts.totalMs : this.timeouts.firstTokenMs;
    return new ProviderError(
      `${this.provider} did not answer within ${ms} ms (${this.expired} timeout)`,
      null,
      'timeout',
    );
  }

  dispose(): void {
    clearTimeout(this.total);
    clearTimeout(this.firstToken);
    for (const parent of this.parents) parent.removeEventListener('abort', this.onAbort);
  }

  private expire(which: 'total' | 'first token'): void {
    this.expired = which;
    this.controller.abort(new DOMException(`${which} timeout`, 'TimeoutError'));
  }
}
