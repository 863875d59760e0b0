import { BroadcastChannel } from 'node:worker_threads';

/** Wakes waiters when something happened (records appended, membership changed, stop). */
export class Signal {
  private waiters: (() => void)[] = [];

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }

  /** Resolves on the next notify (true), or after `timeoutMs` as a safety net (false). */
  wait(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/**
 * Tells the other threads of this process that opened the same lmdb folder (the projector's thread)
 * that records were appended, at most once per `everyMs` (a message costs tens of µs, so not one per
 * append); calls `onPost` when they do.
 */
export class ThreadBroadcast {
  private readonly channel: BroadcastChannel;
  private scheduled = false;
  private closed = false;

  constructor(
    name: string,
    onPost: () => void,
    private readonly everyMs = 10,
  ) {
    this.channel = new BroadcastChannel(name);
    this.channel.onmessage = onPost;
    // A channel keeps its thread alive; the log's subscriptions decide that, not the wake-ups.
    this.channel.unref();
  }

  post(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      if (!this.closed) this.channel.postMessage(0);
    }, this.everyMs).unref();
  }

  close(): void {
    this.closed = true;
    this.channel.close();
  }
}
