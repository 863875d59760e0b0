import { ProviderError } from '../common/errors';
import type { RoutingSettings } from './routing-settings';

/**
 * Whether the same call may succeed if sent again: rate limits, timeouts, conflicts, the provider's
 * own failures and unreachable providers — unless the provider said `x-should-retry: false`.
 */
export function isRetryable(error: ProviderError): boolean {
  const should = error.providerHeaders['x-should-retry'];
  if (should === 'true') return true;
  if (should === 'false') return false;
  const status = error.providerStatus;
  return status === null || status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Whether another model may do better: anything retryable, and a provider that refuses this
 * key or does not know the model. A request the provider found invalid (400, 413, 422) would
 * be refused elsewhere too, so it is answered as it is.
 */
export function mayFallBack(error: ProviderError): boolean {
  const status = error.providerStatus;
  return isRetryable(error) || status === 401 || status === 403 || status === 404;
}

/** What the provider asked: `retry-after-ms`, else `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(error: ProviderError, nowMs: number): number | undefined {
  const headers = error.providerHeaders;
  const ms = Number(headers['retry-after-ms']);
  if (headers['retry-after-ms'] && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers['retry-after'];
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * The wait before retry number `retry` (0 for the first retry): the provider's `retry-after`
 * when it gave one, else `base · 2^retry` capped at `maxDelayMs`, shortened by up to 25 % at random.
 */
export function backoffMs(
  retry: number,
  settings: Pick<RoutingSettings, 'baseDelayMs' | 'maxDelayMs'>,
  random: number,
  asked?: number,
): number {
  if (asked !== undefined) return asked;
  const capped = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** retry);
  return Math.round(capped * (1 - 0.25 * random));
}
