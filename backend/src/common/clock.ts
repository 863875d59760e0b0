import { Injectable } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';

/** The time, behind a class so tests can hold it still. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** Monotonic milliseconds, for durations. */
  monotonicMs(): number {
    return performance.now();
  }

  /** Resolves after `ms`; rejects with an `AbortError` as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return delay(ms, undefined, { signal });
  }
}
