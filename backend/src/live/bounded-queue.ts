import { Burst } from './burst';

/**
 * A push → pull queue for one live subscriber. When the subscriber reads slower than events
 * arrive, the oldest undelivered items are dropped, so one slow client never holds the tail back;
 * with `missedNotice`, the next read after a drop first gets a notice of how many were lost.
 *
 * The bound applies to what is still pending when a later burst arrives: a burst larger than
 * `capacity` (one ingest batch of 1,000) is kept whole for a reader that keeps up, so memory is
 * bounded by `capacity` plus one burst, whose items are shared by every subscriber anyway.
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private closed = false;
  dropped = 0;
  private told = 0;
  private readonly burst = new Burst();

  constructor(
    private readonly capacity: number,
    private readonly onClose: () => void = () => undefined,
    private readonly missedNotice?: (missed: number) => T,
  ) {}

  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (this.burst.starts() && this.items.length > this.capacity) {
      const over = this.items.length - this.capacity;
      this.items.splice(0, over);
      this.dropped += over;
    }
    this.items.push(item);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.missedNotice && this.dropped > this.told) {
      const missed = this.dropped - this.told;
      this.told = this.dropped;
      return Promise.resolve({ value: this.missedNotice(missed), done: false });
    }
    if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      this.items.length = 0;
      this.waiting?.({ value: undefined, done: true });
      this.waiting = undefined;
      this.onClose();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
