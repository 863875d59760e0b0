// When a live dashboard queries again. A signal (a generation ended) is a hint, not data: the read
// side writes it a moment later, so the refresh waits `delayMs`, runs at most every `intervalMs`
// under a flood of signals, and runs once more `settleMs` after the last signal to pick up rows
// written after the earlier refresh.

export interface Timers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export interface RefreshTiming {
  readonly delayMs: number;
  readonly intervalMs: number;
  readonly settleMs: number;
}

export const DEFAULT_TIMING: RefreshTiming = { delayMs: 800, intervalMs: 2_000, settleMs: 4_000 };

export class ThrottledRefresh {
  #next: unknown = null;
  #settle: unknown = null;
  #lastRun = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly refresh: () => void,
    private readonly timing: RefreshTiming = DEFAULT_TIMING,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Something changed: refresh soon (once, however many signals arrive meanwhile). */
  signal(): void {
    if (this.#next === null) {
      const now = this.timers.now();
      const at = Math.max(now + this.timing.delayMs, this.#lastRun + this.timing.intervalMs);
      this.#next = this.timers.setTimeout(() => {
        this.#next = null;
        this.#run();
      }, at - now);
    }
    if (this.#settle !== null) this.timers.clearTimeout(this.#settle);
    this.#settle = this.timers.setTimeout(() => {
      this.#settle = null;
      if (this.#next === null) this.#run();
    }, this.timing.settleMs);
  }

  stop(): void {
    for (const handle of [this.#next, this.#settle]) if (handle !== null) this.timers.clearTimeout(handle);
    this.#next = this.#settle = null;
  }

  #run(): void {
    this.#lastRun = this.timers.now();
    this.refresh();
  }
}
