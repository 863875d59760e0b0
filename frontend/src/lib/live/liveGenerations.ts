import { readable, type Readable } from 'svelte/store';
import { DEFAULT_LIVE_LIMIT, mergeGenerations, type LiveItem } from './merge';

/** `connecting`: never connected yet; `live`: subscription socket up; `reconnecting`: it dropped. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface LiveState<T> {
  /** Newest first, deduplicated by id. */
  items: T[];
  connection: ConnectionState;
  /** True until the first page of the query answered (or failed). */
  loading: boolean;
  /** The last query or subscription error, cleared by the next successful load. */
  error: string | null;
}

export interface LiveHandlers<T> {
  next(item: T): void;
  error(error: unknown): void;
  /** The socket is (again) connected; `isReconnect` is true after a drop. */
  connected(isReconnect: boolean): void;
  disconnected(): void;
}

/** Where the live list comes from: a query for the recent page and a subscription for new items. */
export interface LiveSource<T> {
  fetchRecent(signal: AbortSignal): Promise<T[]>;
  /** Starts the subscription; returns the function that ends it. */
  subscribe(handlers: LiveHandlers<T>): () => void;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return error.map(describeError).join('; ');
  if (error && typeof error === 'object') {
    if ('message' in error && typeof error.message === 'string') return error.message;
    // A CloseEvent-like object from the socket.
    if ('code' in error && 'reason' in error) {
      return `connection closed (${String(error.code)}${error.reason ? `: ${String(error.reason)}` : ''})`;
    }
  }
  return String(error);
}

/** The store plus `refresh()`, which fetches the recent page again (e.g. a retry after an error). */
export interface LiveGenerationsStore<T> extends Readable<LiveState<T>> {
  refresh(): void;
}

/**
 * A Svelte store of the live list. The subscription starts before the query so that nothing that
 * ends in between is missed (the merge dedupes what both deliver); after a reconnect the recent page
 * is fetched again to fill the gap. Everything starts with the first store subscriber and stops with
 * the last one.
 */
export function liveGenerations<T extends LiveItem>(
  source: LiveSource<T>,
  options: { limit?: number } = {},
): LiveGenerationsStore<T> {
  const limit = options.limit ?? DEFAULT_LIVE_LIMIT;
  const initial: LiveState<T> = { items: [], connection: 'connecting', loading: true, error: null };
  let reload: (() => void) | null = null;

  const store = readable(initial, (set) => {
    let state = initial;
    let stopped = false;
    let inFlight: AbortController | null = null;

    const update = (patch: Partial<LiveState<T>>) => {
      if (stopped) return;
      state = { ...state, ...patch };
      set(state);
    };

    const load = () => {
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      source.fetchRecent(controller.signal).then(
        (page) => {
          if (controller.signal.aborted) return;
          update({ items: mergeGenerations(state.items, page, limit), loading: false, error: null });
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          update({ loading: false, error: describeError(error) });
        },
      );
    };

    const unsubscribe = source.subscribe({
      next: (item) => update({ items: mergeGenerations(state.items, [item], limit) }),
      error: (error) => update({ error: describeError(error) }),
      connected: (isReconnect) => {
        update({ connection: 'live' });
        if (isReconnect) load();
      },
      disconnected: () => update({ connection: 'reconnecting' }),
    });
    load();
    reload = load;

    return () => {
      stopped = true;
      reload = null;
      inFlight?.abort();
      unsubscribe();
    };
  });

  return { subscribe: store.subscribe, refresh: () => reload?.() };
}
