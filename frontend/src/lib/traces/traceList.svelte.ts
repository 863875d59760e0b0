// A list that grows page by page as the user scrolls: the rows so far, whether more exist, and the
// state of the first page (a `Loader`-like status) and of the next one.
import { errorMessage, isForbidden } from '../errors';

export interface ListPage<T> {
  readonly items: readonly T[];
  /** The cursor of the page after this one; null when this is the last. */
  readonly next: string | null;
}

export type ListStatus = 'loading' | 'ready' | 'forbidden' | 'error';

export class GrowingList<T> {
  #items = $state.raw<readonly T[]>([]);
  #next = $state<string | null>(null);
  #status = $state<ListStatus>('loading');
  #error = $state<string | null>(null);
  #loadingMore = $state(false);
  #generation = 0;

  constructor(private readonly fetchPage: (after: string | null) => Promise<ListPage<T>>) {}

  get items(): readonly T[] {
    return this.#items;
  }
  get status(): ListStatus {
    return this.#status;
  }
  /** What went wrong with the first page or the last "more". */
  get error(): string | null {
    return this.#error;
  }
  get hasMore(): boolean {
    return this.#next !== null;
  }
  get loadingMore(): boolean {
    return this.#loadingMore;
  }

  /** Loads the first page (again), dropping what is listed. */
  async load(): Promise<void> {
    const mine = ++this.#generation;
    this.#status = 'loading';
    this.#error = null;
    this.#loadingMore = false;
    try {
      const page = await this.fetchPage(null);
      if (mine !== this.#generation) return;
      this.#items = page.items;
      this.#next = page.next;
      this.#status = 'ready';
    } catch (error) {
      if (mine !== this.#generation) return;
      this.#status = isForbidden(error) ? 'forbidden' : 'error';
      this.#error = errorMessage(error);
    }
  }

  /** Appends the next page; nothing while one loads or when there is none. */
  async more(): Promise<void> {
    if (this.#status !== 'ready' || this.#loadingMore || this.#next === null) return;
    const mine = this.#generation;
    this.#loadingMore = true;
    this.#error = null;
    try {
      const page = await this.fetchPage(this.#next);
      if (mine !== this.#generation) return;
      this.#items = [...this.#items, ...page.items];
      this.#next = page.next;
    } catch (error) {
      if (mine === this.#generation) this.#error = errorMessage(error);
    } finally {
      if (mine === this.#generation) this.#loadingMore = false;
    }
  }
}
