import { describe, expect, it } from 'vitest';
import { ThrottledRefresh, type Timers } from './liveRefresh';

/** Timers run by hand: `advance(ms)` fires what is due. */
function manualTimers() {
  let now = 0;
  let id = 0;
  const pending = new Map<number, { at: number; run: () => void }>();
  const timers: Timers = {
    setTimeout: (run, ms) => (pending.set(++id, { at: now + ms, run }), id),
    clearTimeout: (handle) => pending.delete(handle as number),
    now: () => now,
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      now = due[1].at;
      due[1].run();
    }
    now = end;
  };
  return { timers, advance };
}

describe('ThrottledRefresh', () => {
  it('refreshes once after the delay for a burst, then once more when the signals settle', () => {
    const { timers, advance } = manualTimers();
    let runs = 0;
    const refresh = new ThrottledRefresh(
      () => runs++,
      { delayMs: 800, intervalMs: 2_000, settleMs: 4_000 },
      timers,
    );
    for (let i = 0; i < 50; i++) refresh.signal();
    advance(799);
    expect(runs).toBe(0);
    advance(1);
    expect(runs).toBe(1);
    advance(4_000);
    expect(runs).toBe(2);
    advance(60_000);
    expect(runs).toBe(2);
  });

  it('runs at most once per interval under a steady flood', () => {
    const { timers, advance } = manualTimers();
    let runs = 0;
    const refresh = new ThrottledRefresh(
      () => runs++,
      { delayMs: 800, intervalMs: 2_000, settleMs: 4_000 },
      timers,
    );
    for (let t = 0; t < 10_000; t += 100) {
      refresh.signal();
      advance(100);
    }
    expect(runs).toBeGreaterThanOrEqual(4);
    expect(runs).toBeLessThanOrEqual(5);
    refresh.stop();
    advance(10_000);
    expect(runs).toBeLessThanOrEqual(5);
  });
});
