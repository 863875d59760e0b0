// The signed-in user and their projects (`viewer`), shared by the layout and every page.
import { writable, type Readable } from 'svelte/store';
import { graphqlRequest, isUnauthenticated } from '../graphql/client';
import { ViewerDocument, type ViewerQuery } from '../graphql/generated';
import { describeError } from '../live/liveGenerations';

export type Viewer = ViewerQuery['viewer'];
export type ViewerProject = Viewer['projects'][number];

export type ViewerState =
  /** Not asked yet (or forgotten after a sign-in or sign-out): the next protected page loads it. */
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; viewer: Viewer }
  | { status: 'signed-out' }
  | { status: 'error'; message: string };

export interface ViewerStore extends Readable<ViewerState> {
  /** Loads unless it is loaded or loading already. */
  load(): Promise<void>;
  /** Loads again (e.g. after creating a project), keeping the current data on screen meanwhile. */
  refresh(): Promise<void>;
  /** Forget the user (after sign-in, sign-up or accepting an invite): the next page loads afresh. */
  reset(): void;
  /** Nobody is signed in (after sign-out, or when a request came back UNAUTHENTICATED). */
  signedOut(): void;
}

export function createViewerStore(fetchViewer: () => Promise<Viewer>): ViewerStore {
  const store = writable<ViewerState>({ status: 'idle' });
  let state: ViewerState = { status: 'idle' };
  let generation = 0;
  const set = (next: ViewerState) => {
    state = next;
    store.set(next);
  };

  const fetchInto = async (showLoading: boolean) => {
    const mine = ++generation;
    if (showLoading) set({ status: 'loading' });
    try {
      const viewer = await fetchViewer();
      if (mine === generation) set({ status: 'ready', viewer });
    } catch (error) {
      if (mine !== generation) return;
      set(
        isUnauthenticated(error)
          ? { status: 'signed-out' }
          : { status: 'error', message: describeError(error) },
      );
    }
  };

  return {
    subscribe: store.subscribe,
    load: () =>
      state.status === 'ready' || state.status === 'loading' ? Promise.resolve() : fetchInto(true),
    refresh: () => fetchInto(state.status !== 'ready'),
    reset: () => {
      generation++;
      set({ status: 'idle' });
    },
    signedOut: () => {
      generation++;
      set({ status: 'signed-out' });
    },
  };
}

/** The app's viewer, loaded over GraphQL with the session cookie. */
export const viewer = createViewerStore(async () => (await graphqlRequest(ViewerDocument, {})).viewer);
