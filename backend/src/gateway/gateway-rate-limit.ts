import { Inject, Injectable } from '@nestjs/common';
import { TooManyRequestsError } from '../common/errors';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { RateLimiter } from '../security/rate-limiter';

/** Requests per second per API key (or project), with bursts: `GATEWAY_RATE_LIMIT_RPS`. */
@Injectable()
export class GatewayRateLimit {
  private readonly limiter: RateLimiter;

  constructor(@Inject(AppConfig) config: AppConfig, @Inject(Clock) clock: Clock) {
    this.limiter = new RateLimiter({
      capacity: config.gatewayRateLimitRps * 2,
      refillPerSecond: config.gatewayRateLimitRps,
      clock,
    });
  }

  check(key: string): void {
    const verdict = this.limiter.take(key);
    if (!verdict.allowed) throw new TooManyRequestsError(verdict.retryAfterSeconds);
  }
}
