// Cursor paging, the same for every paged list: one page size, one page shape for the API's two
// paging styles (a `nextCursor`, or a connection's `pageInfo`), and `Pages`, which keeps the cursor
// of every page opened so that "previous" can go back.
import { Loader } from './loading.svelte';

/** Rows per page of every list (the API's default `first` too). */
export const PAGE_SIZE = 50;

/** One page of a list: its rows and the cursor of the page after it (null on the last). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** A GraphQL connection (`edges`, `pageInfo`) as a Page. */
export function connectionPage<T>(connection: {
  edges: readonly { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}): Page<T> {
  const { hasNextPage, endCursor } = connection.pageInfo;
  return { items: connection.edges.map((edge) => edge.node), nextCursor: (hasNextPage && endCursor) || null };
}

/** Fetches the page that starts after `cursor` (the first page for null), `first` rows long. */
type FetchPage<T> = (cursor: string | null, first: number) => Promise<Page<T>>;

/** A paged list: the page shown (a Loader) and the way back to the pages before it. */
export class Pages<T> {
  /** The cursor of each page opened so far, the shown one last; the first page has none. */
  #cursors = $state.raw<readonly (string | null)[]>([null]);
  readonly shown: Loader<Page<T>>;

  constructor(fetchPage: FetchPage<T>, pageSize = PAGE_SIZE) {
    this.shown = new Loader(() => fetchPage(this.cursor, pageSize));
  }

  /** The cursor of the page shown; null on the first. */
  get cursor(): string | null {
    return this.#cursors[this.#cursors.length - 1] ?? null;
  }

  /** 1 for the first page. */
  get number(): number {
    return this.#cursors.length;
  }

  get hasPrevious(): boolean {
    return this.#cursors.length > 1;
  }

  /** Whether the page shown is loaded and has one after it. */
  get hasNext(): boolean {
    return !!this.shown.data?.nextCursor;
  }

  async next(): Promise<void> {
    const cursor = this.shown.data?.nextCursor;
    if (!cursor) return;
    this.#cursors = [...this.#cursors, cursor];
    await this.shown.load();
  }

  async previous(): Promise<void> {
    if (!this.hasPrevious) return;
    this.#cursors = this.#cursors.slice(0, -1);
    await this.shown.load();
  }

  /** Opens the first page (also: shows what is new since). */
  async first(): Promise<void> {
    this.#cursors = [null];
    await this.shown.load();
  }
}
