import { Injectable } from '@nestjs/common';

/** Randomness behind a class, so tests can choose it: backoff jitter, weighted picks. */
@Injectable()
export class Random {
  /** A number in [0, 1). */
  next(): number {
    return Math.random();
  }
}
