import { performance } from 'node:perf_hooks';

export interface OpenLoopOptions<T> {
  /** Arrivals per second, fixed: the schedule does not slow down when the server does. */
  readonly rate: number;
  /** Measured requests. */
  readonly requests: number;
  /** Requests sent first on the same schedule, not recorded. Default 0. */
  readonly warmup?: number;
  /**
   * One request, given its intended send time (`performance.now()` clock) to measure from;
   * resolves with what the caller keeps (e.g. a time to first token), throws on failure.
   */
  readonly task: (intendedAt: number) => Promise<T>;
}

export interface OpenLoopResult<T> {
  /**
   * Per measured request, ms from its INTENDED send time to its end: a request the generator or
   * the server delayed counts its wait (no coordinated omission).
   */
  readonly latencies: number[];
  /** How late each request actually left against its intended time, ms (the generator's own lag). */
  readonly sendLag: number[];
  /** What each measured task resolved with, in completion order. */
  readonly values: T[];
  /** Measured requests per second actually completed (≈ rate when the server keeps up). */
  readonly achievedRate: number;
  /** Most requests in flight at once. */
  readonly maxInFlight: number;
}

/**
 * An open-loop load generator: request i is due at `start + i / rate` whatever happened to the
 * previous ones; everything due is sent on each tick of a 1 ms timer. The first failure rejects
 * once the requests already sent have ended.
 */
export async function openLoop<T>(options: OpenLoopOptions<T>): Promise<OpenLoopResult<T>> {
  const warmup = options.warmup ?? 0;
  const total = warmup + options.requests;
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  const sendLag: number[] = [];
  const values: T[] = [];
  let failure: unknown;
  let inFlight = 0;
  let maxInFlight = 0;
  let measuredStart = Number.NaN;
  let measuredEnd = 0;

  const start = performance.now();
  const sent: Promise<void>[] = [];
  const send = (i: number): Promise<void> => {
    const intended = start + i * intervalMs;
    const lag = performance.now() - intended;
    const measured = i >= warmup;
    if (measured && Number.isNaN(measuredStart)) measuredStart = intended;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return options.task(intended).then(
      (value) => {
        inFlight--;
        const end = performance.now();
        if (!measured) return;
        latencies.push(end - intended);
        sendLag.push(lag);
        values.push(value);
        measuredEnd = Math.max(measuredEnd, end);
      },
      (error: unknown) => {
        inFlight--;
        failure ??= error;
      },
    );
  };

  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = (): void => {
      const due = Math.min(total, Math.floor((performance.now() - start) / intervalMs) + 1);
      while (next < due && failure === undefined) sent.push(send(next++));
      if (next >= total || failure !== undefined) return resolve();
      setTimeout(tick, Math.max(0, start + next * intervalMs - performance.now() - 0.5));
    };
    tick();
  });
  await Promise.all(sent);
  if (failure !== undefined) throw failure;
  return {
    latencies,
    sendLag,
    values,
    achievedRate: (options.requests / (measuredEnd - measuredStart)) * 1000,
    maxInFlight,
  };
}
