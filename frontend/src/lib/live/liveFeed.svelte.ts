import { errorMessage } from '../errors';
import { DEFAULT_LIVE_LIMIT, mergeGenerations, type LiveItem } from './merge';

/** `connecting`: never connected yet; `live`: subscription socket up; `reconnecting`: it dropped. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers<T> {
  next(item: T): void;
  /** The listed item `id` changed (e.g. an in-flight generation's output grew); ignored when not listed. */
  patch(id: string, change: (item: T) => T): void;
  error(error: unknown): void;
  /** The socket is (again) connected; `isReconnect` is true after a drop. */
  connected(isReconnect: boolean): void;
  disconnected(): void;
}

/** Where the live list comes from: a query for the recent page and a subscription for new items. */
export interface LiveSource<T> {
  fetchRecent(signal: AbortSignal): Promise<readonly T[]>;
  /** Starts the subscription; returns the function that ends it. */
  subscribe(handlers: LiveHandlers<T>): () => void;
}

/**
 * The live list of a page. `start()` subscribes before it queries, so that nothing that ends in
 * between is missed (the merge dedupes what both deliver); after a reconnect the recent page is
 * fetched again to fill the gap. The function `start()` returns stops both.
 */
export class LiveFeed<T extends LiveItem> {
  #items = $state.raw<readonly T[]>([]);
  #connection = $state<ConnectionState>('connecting');
  #loading = $state(true);
  #error = $state<string | null>(null);
  #inFlight: AbortController | null = null;
  #started = false;

  constructor(
    private readonly source: LiveSource<T>,
    private readonly limit = DEFAULT_LIVE_LIMIT,
  ) {}

  /** Newest first, deduplicated by id, at most `limit` rows. */
  get items(): readonly T[] {
    return this.#items;
  }

  get connection(): ConnectionState {
    return this.#connection;
  }

  /** True until the first page of the query answered (or failed). */
  get loading(): boolean {
    return this.#loading;
  }

  /** The last query or subscription error, for the user; cleared by the next successful load. */
  get error(): string | null {
    return this.#error;
  }

  start(): () => void {
    this.#started = true;
    const unsubscribe = this.source.subscribe({
      next: (item) => this.#update(() => (this.#items = mergeGenerations(this.#items, [item], this.limit))),
      patch: (id, change) =>
        this.#update(() => (this.#items = this.#items.map((item) => (item.id === id ? change(item) : item)))),
      error: (error) => this.#update(() => (this.#error = errorMessage(error))),
      connected: (isReconnect) => {
        this.#update(() => (this.#connection = 'live'));
        if (isReconnect) this.refresh();
      },
      disconnected: () => this.#update(() => (this.#connection = 'reconnecting')),
    });
    this.refresh();
    return () => {
      this.#started = false;
      this.#inFlight?.abort();
      unsubscribe();
    };
  }

  /** Fetches the recent page again (after a reconnect, or a retry after an error) while started. */
  refresh(): void {
    if (!this.#started) return;
    this.#inFlight?.abort();
    const controller = new AbortController();
    this.#inFlight = controller;
    this.source.fetchRecent(controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        this.#items = mergeGenerations(this.#items, page, this.limit);
        this.#loading = false;
        this.#error = null;
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        this.#loading = false;
        this.#error = errorMessage(error);
      },
    );
  }

  /** Applies a change from the source, unless the feed was stopped meanwhile. */
  #update(change: () => void): void {
    if (this.#started) change();
  }
}
