// The state of a page's data: loading, loaded, refused for the caller's role, or failed.
import { isForbidden } from './graphql/client';
import { describeError } from './live/liveGenerations';

export type LoadState<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  /** FORBIDDEN: the caller sees the project, but their role does not allow this. */
  | { status: 'forbidden' }
  | { status: 'error'; message: string };

/** Runs `load` and turns its outcome into a LoadState (never rejects). */
export async function settle<T>(load: () => Promise<T>): Promise<LoadState<T>> {
  try {
    return { status: 'ready', data: await load() };
  } catch (error) {
    return isForbidden(error) ? { status: 'forbidden' } : { status: 'error', message: describeError(error) };
  }
}
