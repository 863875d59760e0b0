import { describe, expect, it } from 'vitest';
import { GraphQLRequestError } from '../errors';
import { ViewerSession, type Viewer } from './viewer.svelte';
import { deferred } from '../testing/deferred';

const alice: Viewer = {
  user: { id: 'usr_a', email: 'alice@example.com', name: 'Alice' },
  projects: [{ id: 'p1', name: 'One', role: 'OWNER', organization: { id: 'o1', name: 'Org' } }],
};

describe('ViewerSession', () => {
  it('loads once, and not again while loading or loaded', async () => {
    let calls = 0;
    const session = new ViewerSession(async () => {
      calls++;
      return alice;
    });
    expect(session.state).toEqual({ status: 'idle' });
    const first = session.load();
    expect(session.state).toEqual({ status: 'loading' });
    await Promise.all([first, session.load()]);
    await session.load();
    expect(session.state).toEqual({ status: 'ready', viewer: alice });
    expect(calls).toBe(1);
  });

  it('is signed out on UNAUTHENTICATED and keeps other errors', async () => {
    const signedOut = new ViewerSession(async () => {
      throw new GraphQLRequestError('Sign in', 200, ['UNAUTHENTICATED']);
    });
    await signedOut.load();
    expect(signedOut.state).toEqual({ status: 'signed-out' });

    const broken = new ViewerSession(async () => {
      throw new Error('HTTP 502');
    });
    await broken.load();
    expect(broken.state).toEqual({ status: 'error', message: 'HTTP 502' });
  });

  it('refreshes while keeping the loaded data on screen', async () => {
    const next = deferred<Viewer>();
    let answer: () => Promise<Viewer> = async () => alice;
    const session = new ViewerSession(() => answer());
    await session.load();
    answer = () => next.promise;
    const refreshing = session.refresh();
    expect(session.state).toEqual({ status: 'ready', viewer: alice });
    const bob = { ...alice, user: { ...alice.user, email: 'bob@example.com' } };
    next.resolve(bob);
    await refreshing;
    expect(session.state).toEqual({ status: 'ready', viewer: bob });
  });

  it('drops an answer that arrives after a reset or sign-out', async () => {
    const slow = deferred<Viewer>();
    const session = new ViewerSession(() => slow.promise);
    const loading = session.load();
    session.signedOut();
    slow.resolve(alice);
    await loading;
    expect(session.state).toEqual({ status: 'signed-out' });
    session.reset();
    expect(session.state).toEqual({ status: 'idle' });
  });
});
