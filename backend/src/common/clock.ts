import { Injectable } from '@nestjs/common';
import { sleep } from './abort';

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

  /** Calls `onTimeout` after `ms` unless the returned cancel ran first (no promise, no signal: hot paths). */
  timer(ms: number, onTimeout: () => void): () => void {
    const handle = setTimeout(onTimeout, ms);
    return () => clearTimeout(handle);
  }

  /** Resolves after `ms`; rejects with the signal's reason (an `AbortError` by default) as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return sleep(ms, signal);
  }
}
