import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import { GraphQLRequestError } from '../graphql/client';
import { createViewerStore, type Viewer } from './viewer';

const alice: Viewer = {
  user: { id: 'usr_a', email: 'alice@example.com', name: 'Alice' },
  projects: [{ id: 'p1', name: 'One', role: 'OWNER', organization: { id: 'o1', name: 'Org' } }],
};

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('viewer store', () => {
  it('loads once, and not again while loading or loaded', async () => {
    let calls = 0;
    const store = createViewerStore(async () => {
      calls++;
      return alice;
    });
    expect(get(store)).toEqual({ status: 'idle' });
    const first = store.load();
    expect(get(store)).toEqual({ status: 'loading' });
    await Promise.all([first, store.load()]);
    await store.load();
    expect(get(store)).toEqual({ status: 'ready', viewer: alice });
    expect(calls).toBe(1);
  });

  it('is signed out on UNAUTHENTICATED and keeps other errors', async () => {
    const signedOut = createViewerStore(async () => {
      throw new GraphQLRequestError('Sign in', 200, ['UNAUTHENTICATED']);
    });
    await signedOut.load();
    expect(get(signedOut)).toEqual({ status: 'signed-out' });

    const broken = createViewerStore(async () => {
      throw new Error('HTTP 502');
    });
    await broken.load();
    expect(get(broken)).toEqual({ status: 'error', message: 'HTTP 502' });
  });

  it('refreshes while keeping the loaded data on screen', async () => {
    const next = deferred<Viewer>();
    let answer: () => Promise<Viewer> = async () => alice;
    const store = createViewerStore(() => answer());
    await store.load();
    answer = () => next.promise;
    const refreshing = store.refresh();
    expect(get(store)).toEqual({ status: 'ready', viewer: alice });
    const bob = { ...alice, user: { ...alice.user, email: 'bob@example.com' } };
    next.resolve(bob);
    await refreshing;
    expect(get(store)).toEqual({ status: 'ready', viewer: bob });
  });

  it('drops an answer that arrives after a reset or sign-out', async () => {
    const slow = deferred<Viewer>();
    const store = createViewerStore(() => slow.promise);
    const loading = store.load();
    store.signedOut();
    slow.resolve(alice);
    await loading;
    expect(get(store)).toEqual({ status: 'signed-out' });
    store.reset();
    expect(get(store)).toEqual({ status: 'idle' });
  });
});
