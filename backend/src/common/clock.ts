import { Injectable } from '@nestjs/common';

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
}
