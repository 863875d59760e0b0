import { describe, expect, it } from 'vitest';
import { AuthRequestError, GraphQLRequestError } from './errors';
import { Action, Loader } from './loading.svelte';
import { deferred } from './testing/deferred';

const forbidden = new GraphQLRequestError('Your role in this project does not allow this', 200, [
  'FORBIDDEN',
]);

describe('Loader', () => {
  it('is loading, then ready with the data', async () => {
    const loader = new Loader(async () => ['k1']);
    expect(loader.state).toEqual({ status: 'loading' });
    expect(loader.data).toBeUndefined();
    await loader.load();
    expect(loader.state).toEqual({ status: 'ready', data: ['k1'] });
    expect(loader.data).toEqual(['k1']);
  });

  it('fails with a message, and a retry shows loading and then the data', async () => {
    let answer: () => Promise<string> = () => Promise.reject(new AuthRequestError('x', 503, 'http_503'));
    const loader = new Loader(() => answer());
    await loader.load();
    expect(loader.state).toEqual({
      status: 'error',
      message: 'Something went wrong on the server (HTTP 503). Try again in a moment.',
    });
    const next = deferred<string>();
    answer = () => next.promise;
    const retry = loader.load();
    expect(loader.state).toEqual({ status: 'loading' });
    next.resolve('ok');
    await retry;
    expect(loader.state).toEqual({ status: 'ready', data: 'ok' });
  });

  it('is forbidden when the role does not allow it', async () => {
    const loader = new Loader(() => Promise.reject(forbidden));
    await loader.load();
    expect(loader.state).toEqual({ status: 'forbidden' });
  });

  it('keeps the data on screen during a refresh', async () => {
    let answer = () => Promise.resolve(1);
    const loader = new Loader(() => answer());
    await loader.load();
    const next = deferred<number>();
    answer = () => next.promise;
    const refreshing = loader.refresh();
    expect(loader.data).toBe(1);
    next.resolve(2);
    await refreshing;
    expect(loader.data).toBe(2);
  });

  it('drops an answer that a newer load superseded', async () => {
    const answers = [deferred<string>(), deferred<string>()];
    let call = 0;
    const loader = new Loader(() => answers[call++]!.promise);
    const first = loader.load();
    const second = loader.load();
    answers[1]!.resolve('new');
    await second;
    answers[0]!.resolve('old');
    await first;
    expect(loader.data).toBe('new');
  });

  it('updates loaded data in place, and nothing before it is loaded', async () => {
    const loader = new Loader(async () => ['a']);
    loader.update((list) => [...list, 'b']);
    expect(loader.state).toEqual({ status: 'loading' });
    await loader.load();
    loader.update((list) => [...list, 'b']);
    expect(loader.data).toEqual(['a', 'b']);
  });
});

describe('Action', () => {
  it('is busy while it runs and clears the last error', async () => {
    const action = new Action();
    action.fail('The two passwords differ.');
    const done = deferred<void>();
    const running = action.run(() => done.promise);
    expect([action.busy, action.error]).toEqual([true, null]);
    done.resolve();
    await expect(running).resolves.toBe(true);
    expect([action.busy, action.error]).toEqual([false, null]);
  });

  it('keeps the message of a failure for the user, and never rejects', async () => {
    const action = new Action();
    const lastOwner = new GraphQLRequestError('A project keeps at least one owner.', 200, ['BAD_USER_INPUT']);
    await expect(action.run(() => Promise.reject(lastOwner))).resolves.toBe(false);
    expect([action.busy, action.error]).toEqual([false, 'A project keeps at least one owner.']);
  });
});
