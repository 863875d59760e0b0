// The signed-in user and their projects (`viewer`), shared by the layout and every page.
import { errorMessage, isUnauthenticated } from '../errors';
import { graphqlRequest } from '../graphql/client';
import { ViewerDocument, type ViewerQuery } from '../graphql/generated';

export type Viewer = ViewerQuery['viewer'];
export type ViewerProject = Viewer['projects'][number];

export type ViewerState =
  /** Not asked yet (or forgotten after a sign-in or sign-out): the next protected page loads it. */
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; viewer: Viewer }
  | { status: 'signed-out' }
  | { status: 'error'; message: string };

/** Who is signed in, loaded once and kept for every page; answers that a later change superseded are dropped. */
export class ViewerSession {
  #state = $state.raw<ViewerState>({ status: 'idle' });
  #generation = 0;

  constructor(private readonly fetchViewer: () => Promise<Viewer>) {}

  get state(): ViewerState {
    return this.#state;
  }

  /** The signed-in user when loaded. */
  get viewer(): Viewer | null {
    return this.#state.status === 'ready' ? this.#state.viewer : null;
  }

  /** Loads unless it is loaded or loading already. */
  load(): Promise<void> {
    const { status } = this.#state;
    return status === 'ready' || status === 'loading' ? Promise.resolve() : this.#fetch(true);
  }

  /** Loads again (e.g. after creating a project), keeping the current data on screen meanwhile. */
  refresh(): Promise<void> {
    return this.#fetch(this.#state.status !== 'ready');
  }

  /** Forget the user (after sign-in, sign-up or accepting an invite): the next page loads afresh. */
  reset(): void {
    this.#generation++;
    this.#state = { status: 'idle' };
  }

  /** Nobody is signed in (after sign-out, or when a request came back UNAUTHENTICATED). */
  signedOut(): void {
    this.#generation++;
    this.#state = { status: 'signed-out' };
  }

  async #fetch(showLoading: boolean): Promise<void> {
    const mine = ++this.#generation;
    if (showLoading) this.#state = { status: 'loading' };
    try {
      const viewer = await this.fetchViewer();
      if (mine === this.#generation) this.#state = { status: 'ready', viewer };
    } catch (error) {
      if (mine !== this.#generation) return;
      this.#state = isUnauthenticated(error)
        ? { status: 'signed-out' }
        : { status: 'error', message: errorMessage(error) };
    }
  }
}

/** The app's viewer, loaded over GraphQL with the session cookie. */
export const viewer = new ViewerSession(async () => (await graphqlRequest(ViewerDocument, {})).viewer);
