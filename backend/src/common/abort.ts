/** Abort helpers: every provider (and the clock) rejects with the same error when the caller aborts. */

/**
 * The error a provider throws when the caller's signal aborts: the signal's reason when it is an
 * Error (by default a DOMException named `AbortError`), else a new `AbortError` DOMException.
 */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (isErrorLike(reason)) return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

/** `instanceof Error` without the realm trap (DOMException and errors from other contexts, e.g. under jest). */
function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { name?: unknown }).name === 'string' &&
      typeof (value as { message?: unknown }).message === 'string')
  );
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

/** Resolves after `ms`; rejects with {@link abortError} as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A shutdown switch for any number of concurrent waits: each wait gets a signal of its own, aborted
 * by {@link stop}, and forgotten when it ends. One shared signal would collect a listener per wait
 * (Node warns past 10: MaxListenersExceededWarning) and keep it while the wait lasts.
 */
export class StopSwitch {
  private readonly waiting = new Set<AbortController>();
  private stopped = false;

  /** Runs `wait` with a signal that aborts on {@link stop} (at once when already stopped). */
  async during<T>(wait: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const own = new AbortController();
    if (this.stopped) own.abort();
    this.waiting.add(own);
    try {
      return await wait(own.signal);
    } finally {
      this.waiting.delete(own);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const own of this.waiting) own.abort();
  }

  /** Waits in progress (for tests and leak checks). */
  get size(): number {
    return this.waiting.size;
  }
}
