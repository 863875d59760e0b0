/** A monotonic clock for tests: it only moves when told to. */
export class ManualClock {
  private ms = 1_000;

  monotonicMs(): number {
    return this.ms;
  }

  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}
