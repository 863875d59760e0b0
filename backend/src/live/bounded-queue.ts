/**
 * A push → pull queue for one live subscriber. When the subscriber reads slower than events
 * arrive, the oldest undelivered items are dropped, so one slow client never holds the tail back;
 * with `missedNotice`, the next read after a drop first gets a notice of how many were lost.
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private closed = false;
  dropped = 0;
  private told = 0;

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
    this.items.push(item);
    if (this.items.length > this.capacity) {
      this.items.shift();
      this.dropped++;
    }
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
