// Saved views of the traces list (shared by the project's members): the list of them, which one the
// page shows now, and turning a view into the page's state and back. The GraphQL calls come in
// through `ViewsApi`, so the state is tested without a server.
import { errorMessage, isForbidden } from '../errors';
import type { SavedViewFieldsFragment, SavedViewInput } from '../graphql/generated';
import { normalizeColumns, sameColumns, type ColumnId } from './columns';
import { filterQueryOf, parseQueryString, sortOf, SORTS, type TraceListQuery } from './listQuery';

export type SavedView = SavedViewFieldsFragment;

export interface ViewsApi {
  list(): Promise<SavedView[]>;
  save(id: string | null, input: SavedViewInput): Promise<SavedView>;
  rename(id: string, name: string): Promise<SavedView>;
  remove(id: string): Promise<void>;
}

/** What a view holds: the list's filters and sort, and its columns. */
export interface ListState {
  readonly query: TraceListQuery;
  readonly columns: readonly ColumnId[];
}

export function viewInput(name: string, state: ListState): SavedViewInput {
  const { field, direction } = SORTS[state.query.sort];
  return {
    name,
    query: filterQueryOf(state.query),
    columns: [...state.columns],
    sortField: field,
    sortDirection: direction,
  };
}

/** The page state a view stands for; unknown parameters and columns fall back to the defaults. */
export function stateOf(view: SavedView): ListState {
  const query = parseQueryString(view.query);
  return {
    query: { ...query, sort: sortOf({ field: view.sortField, direction: view.sortDirection }) },
    columns: normalizeColumns(view.columns),
  };
}

/** The view shows exactly `state`. */
export function shows(view: SavedView, state: ListState): boolean {
  const own = stateOf(view);
  return (
    filterQueryOf(own.query) === filterQueryOf(state.query) &&
    own.query.sort === state.query.sort &&
    sameColumns(own.columns, state.columns)
  );
}

export class SavedViews {
  #views = $state.raw<readonly SavedView[]>([]);
  #error = $state<string | null>(null);
  #forbidden = $state(false);
  #busy = $state(false);

  constructor(private readonly api: ViewsApi) {}

  /** By name, as the server lists them. */
  get views(): readonly SavedView[] {
    return this.#views;
  }

  /** The last failure, for the user (e.g. a name another view has). */
  get error(): string | null {
    return this.#error;
  }

  /** The caller's role may not change views (viewers). */
  get forbidden(): boolean {
    return this.#forbidden;
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** The view that shows `state` now, if any. */
  current(state: ListState): SavedView | null {
    return this.#views.find((v) => shows(v, state)) ?? null;
  }

  async load(): Promise<void> {
    await this.#run(async () => {
      this.#views = await this.api.list();
    });
  }

  /** Saves `state` as a new view; resolves to it, or to null when refused (see `error`). */
  saveAs(name: string, state: ListState): Promise<SavedView | null> {
    return this.#run(async () => this.#put(await this.api.save(null, viewInput(name.trim(), state))));
  }

  /** Replaces `view`'s filters, columns and sort with `state`. */
  update(view: SavedView, state: ListState): Promise<SavedView | null> {
    return this.#run(async () => this.#put(await this.api.save(view.id, viewInput(view.name, state))));
  }

  rename(view: SavedView, name: string): Promise<SavedView | null> {
    return this.#run(async () => this.#put(await this.api.rename(view.id, name.trim())));
  }

  async remove(view: SavedView): Promise<void> {
    await this.#run(async () => {
      await this.api.remove(view.id);
      this.#views = this.#views.filter((v) => v.id !== view.id);
    });
  }

  #put(view: SavedView): SavedView {
    const others = this.#views.filter((v) => v.id !== view.id);
    this.#views = [...others, view].sort((a, b) => a.name.localeCompare(b.name));
    return view;
  }

  async #run<R>(work: () => Promise<R>): Promise<R | null> {
    this.#busy = true;
    this.#error = null;
    try {
      return await work();
    } catch (error) {
      this.#forbidden = isForbidden(error);
      this.#error = this.#forbidden
        ? 'Your role in this project may read views, not change them.'
        : errorMessage(error);
      return null;
    } finally {
      this.#busy = false;
    }
  }
}
