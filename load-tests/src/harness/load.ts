import { performance } from 'node:perf_hooks';

export interface ClosedLoopOptions<T> {
  /** Workers; each sends its next request as soon as the previous one finished. */
  readonly concurrency: number;
  /** Measured requests, shared by the workers. */
  readonly requests: number;
  /** Requests sent first, at the same concurrency, and not recorded. Default 0. */
  readonly warmup?: number;
  /** One request; resolves with what the caller wants to keep, throws on failure. */
  readonly task: () => Promise<T>;
}

export interface ClosedLoopResult<T> {
  /** Wall time of each measured request, ms, in completion order. */
  readonly latencies: number[];
  /** What each measured task resolved with, in the same order. */
  readonly values: T[];
  /** Wall time of the measured phase, ms. */
  readonly elapsedMs: number;
  /** Measured requests per second. */
  readonly throughput: number;
}

async function drive<T>(
  concurrency: number,
  requests: number,
  task: () => Promise<T>,
  onDone: (latencyMs: number, value: T) => void,
): Promise<void> {
  let issued = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failure === undefined && issued < requests) {
      issued++;
      const start = performance.now();
      try {
        const value = await task();
        onDone(performance.now() - start, value);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  if (failure !== undefined) throw failure;
}

/**
 * A closed-loop load generator: `concurrency` workers share `requests`, each waiting for its
 * response before sending the next (so the offered load follows the server's speed). The first
 * failure stops every worker and rejects.
 */
export async function closedLoop<T>(options: ClosedLoopOptions<T>): Promise<ClosedLoopResult<T>> {
  if (options.warmup) await drive(options.concurrency, options.warmup, options.task, () => undefined);
  const latencies: number[] = [];
  const values: T[] = [];
  const start = performance.now();
  await drive(options.concurrency, options.requests, options.task, (latency, value) => {
    latencies.push(latency);
    values.push(value);
  });
  const elapsedMs = performance.now() - start;
  return { latencies, values, elapsedMs, throughput: (options.requests / elapsedMs) * 1000 };
}
