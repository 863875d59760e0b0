import type { ProviderCredential, ProviderAdapter } from '../providers/upstream';

/** One place a model can be served from: a provider, the model's name on its wire, a credential. */
export interface RouteTarget {
  readonly adapter: ProviderAdapter;
  /** The model name sent to the provider (prefix and alias resolved), e.g. `claude-sonnet-4-5`. */
  readonly model: string;
  readonly credential: ProviderCredential;
}

export interface RouteTimeouts {
  /** Whole call, connect to last byte (ms). */
  readonly totalMs: number;
  /** Until the first streamed token, or the answer of a non-streamed call (ms). */
  readonly firstTokenMs: number;
}

/** What one call may ask of routing beyond the model (parsed from `x-sightline-*` headers by the transport). */
export interface RouteOptions {
  /**
   * Models to try in order when every attempt on the requested one failed, replacing the configured
   * fallbacks (`x-sightline-fallbacks: claude-sonnet-4-5, gpt-4o`; empty: no fallback).
   */
  readonly fallbacks?: readonly string[];
}

/**
 * Resolves a requested model for a project and runs attempts on its targets: retries on 429/5xx
 * with backoff that honours `retry-after`, spreads load across weighted credentials (skipping one
 * that is rate-limited), then falls back to the next model. An attempt succeeds when the upstream
 * accepted the call (response headers arrived): a stream that breaks later is not retried.
 */
export abstract class Router {
  /**
   * Throws `UnknownModelError` (with close matches) or a not-configured error naming the missing
   * credential before any attempt; the last attempt's `ProviderError` when every target failed.
   * `onAttempt` is told each target before it is tried (for recording and tracing).
   */
  abstract run<T>(
    projectId: string,
    requestedModel: string,
    signal: AbortSignal,
    /** `timeouts` are the route's: the caller enforces them (a stream outlives `run`). */
    attempt: (target: RouteTarget, signal: AbortSignal, timeouts: RouteTimeouts) => Promise<T>,
    options?: RouteOptions,
  ): Promise<{ readonly target: RouteTarget; readonly result: T; readonly timeouts: RouteTimeouts }>;
}
