// The data of a page and its state: loading, ready, refused for the caller's role, or failed (with a
// message and a retry). Every data page holds its data in a `Loader` and shows it with `Loaded.svelte`.
import { errorMessage, isForbidden } from './errors';

export type LoadState<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  /** FORBIDDEN: the caller sees the project, but their role does not allow this. */
  | { status: 'forbidden' }
  | { status: 'error'; message: string };

/** Runs `load` and turns its outcome into a LoadState (never rejects). */
async function settle<T>(load: () => Promise<T>): Promise<LoadState<T>> {
  try {
    return { status: 'ready', data: await load() };
  } catch (error) {
    return isForbidden(error) ? { status: 'forbidden' } : { status: 'error', message: errorMessage(error) };
  }
}

/**
 * Reactive data fetched by `fetch`. `load()` shows `loading` until the answer; `refresh()` keeps what
 * is on screen meanwhile. An answer that a newer load superseded is dropped.
 */
export class Loader<T> {
  #state = $state.raw<LoadState<T>>({ status: 'loading' });
  #loads = 0;

  constructor(private readonly fetch: () => Promise<T>) {}

  get state(): LoadState<T> {
    return this.#state;
  }

  /** The data when it is loaded. */
  get data(): T | undefined {
    return this.#state.status === 'ready' ? this.#state.data : undefined;
  }

  /** Fetches, showing `loading` meanwhile (the first load, a retry, another page). */
  load(): Promise<void> {
    this.#state = { status: 'loading' };
    return this.refresh();
  }

  /** Fetches again, keeping the current state on screen until the answer. */
  async refresh(): Promise<void> {
    const mine = ++this.#loads;
    const next = await settle(this.fetch);
    if (mine === this.#loads) this.#state = next;
  }

  /** Changes the loaded data in place (after a mutation answered); nothing when it is not loaded. */
  update(change: (data: T) => T): void {
    if (this.#state.status === 'ready') this.#state = { status: 'ready', data: change(this.#state.data) };
  }
}

/** A user action (a form's submit, a button): busy while it runs; its error shows until the next run. */
export class Action {
  #busy = $state(false);
  #error = $state<string | null>(null);

  get busy(): boolean {
    return this.#busy;
  }

  /** What went wrong the last time, for the user; null after a success. */
  get error(): string | null {
    return this.#error;
  }

  /** Runs `action`; true when it succeeded, else false with `error` set (never rejects). */
  async run(action: () => Promise<unknown>): Promise<boolean> {
    this.#busy = true;
    this.#error = null;
    try {
      await action();
      return true;
    } catch (error) {
      this.#error = errorMessage(error);
      return false;
    } finally {
      this.#busy = false;
    }
  }

  /** Shows `message` without running anything (e.g. a check of the form before sending it). */
  fail(message: string): void {
    this.#error = message;
  }
}
