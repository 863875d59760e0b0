import { InvalidInputError } from '../../common/errors';

/** Request header that opts a call into the response cache. */
export const CACHE_HEADER = 'x-sightline-cache';

export const DEFAULT_CACHE_TTL_SECONDS = 3_600;
export const MAX_CACHE_TTL_SECONDS = 30 * 24 * 3_600;

/** `null`: do not cache. */
export type CachePolicy = { readonly ttlSeconds: number } | null;

/**
 * Reads `x-sightline-cache`: absent or `off` → no caching; `on` → {@link DEFAULT_CACHE_TTL_SECONDS};
 * `max-age=<seconds>` (1 s … 30 days) → that TTL. Anything else → 400 naming the header.
 */
export function cachePolicy(value: string | undefined): CachePolicy {
  if (value === undefined) return null;
  const text = value.trim().toLowerCase();
  if (text === 'off' || text === '') return null;
  if (text === 'on') return { ttlSeconds: DEFAULT_CACHE_TTL_SECONDS };
  const match = /^max-age=(\d{1,8})$/.exec(text);
  const seconds = match ? Number(match[1]) : NaN;
  if (seconds >= 1 && seconds <= MAX_CACHE_TTL_SECONDS) return { ttlSeconds: seconds };
  throw new InvalidInputError(
    `Invalid ${CACHE_HEADER} header: use 'on', 'off' or 'max-age=<seconds>' (1 to ${MAX_CACHE_TTL_SECONDS}).`,
    'invalid_header',
    CACHE_HEADER,
  );
}
