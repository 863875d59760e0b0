import type { Clock } from '../../src/common/clock';

interface Timer {
  readonly at: number;
  readonly ms: number;
  readonly resolve: () => void;
}

/**
 * A `Clock` whose time moves only when a test lets it: `sleep` waits for virtual time, and
 * {@link settle} runs a promise to its end, jumping to the next timer whenever nothing else can
 * happen. `waited` lists the sleeps and timers that ran to their end (aborted or cancelled ones are not there).
 */
export class VirtualClock implements Pick<Clock, 'now' | 'monotonicMs' | 'sleep' | 'timer'> {
  readonly waited: number[] = [];
  private ms = 0;
  private readonly startedAt = Date.parse('2026-11-30T12:00:00.000Z');
  private timers: Timer[] = [];

  now(): Date {
    return new Date(this.startedAt + this.ms);
  }

  monotonicMs(): number {
    return this.ms;
  }

  timer(ms: number, onTimeout: () => void): () => void {
    const timer: Timer = { at: this.ms + ms, ms, resolve: onTimeout };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      const timer: Timer = { at: this.ms + ms, ms, resolve };
      this.timers.push(timer);
      signal.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          reject(signal.reason as Error);
        },
        { once: true },
      );
    });
  }

  /** Moves time by `ms`, firing due timers in order. */
  async advance(ms: number): Promise<void> {
    const until = this.ms + ms;
    for (let next = this.next(); next && next.at <= until; next = this.next()) this.fire(next);
    this.ms = until;
    await flush();
  }

  /** Awaits `promise`, firing the earliest timer whenever everything else is waiting. */
  async settle<T>(promise: Promise<T>): Promise<T> {
    let done = false;
    const watched = promise.finally(() => (done = true));
    watched.catch(() => undefined);
    for (let rounds = 0; !done; rounds++) {
      await flush();
      if (done) break;
      const next = this.next();
      if (!next || rounds > 10_000) throw new Error('VirtualClock: stuck, nothing left to wait for');
      this.fire(next);
    }
    return watched;
  }

  private next(): Timer | undefined {
    return this.timers.reduce<Timer | undefined>((a, t) => (!a || t.at < a.at ? t : a), undefined);
  }

  private fire(timer: Timer): void {
    this.timers = this.timers.filter((t) => t !== timer);
    this.ms = Math.max(this.ms, timer.at);
    this.waited.push(timer.ms);
    timer.resolve();
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
