import type { RequestHandler } from 'express';
import { parseApiKey } from '../control/credentials';
import type { Clock } from '../common/clock';
import { RateLimiter } from '../security/rate-limiter';

/**
 * Requests per second per API key (or, for sessions and anonymous callers, per IP) on the API.
 * Keyed before authentication, so floods are cut cheaply; the key id is public, so it is a fair key.
 */
export function apiRateLimit(requestsPerSecond: number, clock: Clock): RequestHandler {
  const limiter = new RateLimiter({
    capacity: requestsPerSecond * 2,
    refillPerSecond: requestsPerSecond,
    clock,
  });
  const apiRateLimiter: RequestHandler = (req, res, next) => {
    const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, '');
    const verdict = limiter.take((bearer && parseApiKey(bearer)?.keyId) || `ip:${req.ip}`);
    if (verdict.allowed) return next();
    res.setHeader('retry-after', String(verdict.retryAfterSeconds));
    res.status(429).json({
      errors: [
        {
          message: `Too many requests; retry in ${verdict.retryAfterSeconds} s`,
          extensions: { code: 'TOO_MANY_REQUESTS' },
        },
      ],
    });
  };
  return apiRateLimiter;
}
