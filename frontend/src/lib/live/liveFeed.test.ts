import { describe, expect, it } from 'vitest';
import { LiveFeed, type LiveHandlers, type LiveSource } from './liveFeed.svelte';
import type { LiveItem } from './merge';

function gen(id: string, second: number): LiveItem {
  return {
    id,
    startedAt: new Date(Date.UTC(2025, 0, 1, 12, 0, second - 1)).toISOString(),
    endedAt: new Date(Date.UTC(2025, 0, 1, 12, 0, second)).toISOString(),
  };
}

/** A source whose query answers and subscription events the test controls. */
function fakeSource() {
  const queries: { resolve(items: LiveItem[]): void; reject(error: unknown): void; signal: AbortSignal }[] =
    [];
  let handlers: LiveHandlers<LiveItem> | null = null;
  let subscribed = 0;
  let unsubscribed = 0;
  const source: LiveSource<LiveItem> = {
    fetchRecent(signal) {
      return new Promise((resolve, reject) => queries.push({ resolve, reject, signal }));
    },
    subscribe(h) {
      subscribed++;
      handlers = h;
      return () => {
        unsubscribed++;
        handlers = null;
      };
    },
  };
  return {
    source,
    queries,
    get handlers() {
      if (!handlers) throw new Error('not subscribed');
      return handlers;
    },
    counts: () => ({ subscribed, unsubscribed }),
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A started feed, with its state as one object. */
function started(source: LiveSource<LiveItem>, limit?: number) {
  const feed = new LiveFeed(source, limit);
  const stop = feed.start();
  const latest = () => ({
    items: feed.items,
    connection: feed.connection,
    loading: feed.loading,
    error: feed.error,
  });
  return { feed, stop, latest };
}

const ids = (state: { items: readonly LiveItem[] }) => state.items.map((item) => item.id);

describe('LiveFeed', () => {
  it('starts connecting and loading, subscribes before it queries', () => {
    const fake = fakeSource();
    const { latest, stop } = started(fake.source);
    expect(latest()).toEqual({ items: [], connection: 'connecting', loading: true, error: null });
    expect(fake.counts().subscribed).toBe(1);
    expect(fake.queries).toHaveLength(1);
    stop();
  });

  it('shows the first page, then prepends live events without duplicates', async () => {
    const fake = fakeSource();
    const { latest, stop } = started(fake.source);
    fake.handlers.connected(false);
    fake.queries[0]!.resolve([gen('b', 2), gen('a', 1)]);
    await flush();
    expect(latest()).toMatchObject({ connection: 'live', loading: false, error: null });
    expect(ids(latest())).toEqual(['b', 'a']);

    fake.handlers.next(gen('c', 3));
    fake.handlers.next(gen('c', 3)); // delivered twice
    expect(ids(latest())).toEqual(['c', 'b', 'a']);
    stop();
  });

  it('keeps events that arrive before the query answers', async () => {
    const fake = fakeSource();
    const { latest, stop } = started(fake.source);
    fake.handlers.connected(false);
    fake.handlers.next(gen('c', 3));
    expect(latest()).toMatchObject({ loading: true });
    expect(ids(latest())).toEqual(['c']);
    fake.queries[0]!.resolve([gen('c', 3), gen('a', 1)]);
    await flush();
    expect(ids(latest())).toEqual(['c', 'a']);
    expect(latest().loading).toBe(false);
    stop();
  });

  it('goes to reconnecting on a drop and refetches after the reconnect', async () => {
    const fake = fakeSource();
    const { latest, stop } = started(fake.source);
    fake.handlers.connected(false);
    fake.queries[0]!.resolve([gen('a', 1)]);
    await flush();

    fake.handlers.disconnected();
    expect(latest().connection).toBe('reconnecting');
    fake.handlers.connected(true);
    expect(latest().connection).toBe('live');
    expect(fake.queries).toHaveLength(2);
    fake.queries[1]!.resolve([gen('b', 2), gen('a', 1)]);
    await flush();
    expect(ids(latest())).toEqual(['b', 'a']);
    stop();
  });

  it('reports a failed query and an empty, loaded state', async () => {
    const fake = fakeSource();
    const { latest, stop } = started(fake.source);
    fake.queries[0]!.reject(new Error('HTTP 502'));
    await flush();
    expect(latest()).toMatchObject({ items: [], loading: false, error: 'HTTP 502' });
    stop();
  });

  it('refetches on refresh() while started, and not after it stopped', async () => {
    const fake = fakeSource();
    const { feed, latest, stop } = started(fake.source);
    fake.queries[0]!.reject(new Error('HTTP 502'));
    await flush();
    expect(latest().error).toBe('HTTP 502');
    feed.refresh();
    expect(fake.queries).toHaveLength(2);
    fake.queries[1]!.resolve([gen('a', 1)]);
    await flush();
    expect(latest()).toMatchObject({ error: null, loading: false });
    stop();
    feed.refresh();
    expect(fake.queries).toHaveLength(2);
  });

  it('ignores an answer that was superseded by a newer fetch', async () => {
    const fake = fakeSource();
    const { latest, stop } = started(fake.source);
    fake.handlers.connected(false);
    fake.handlers.disconnected();
    fake.handlers.connected(true);
    expect(fake.queries[0]!.signal.aborted).toBe(true);
    fake.queries[0]!.reject(new DOMException('aborted', 'AbortError'));
    fake.queries[1]!.resolve([gen('a', 1)]);
    await flush();
    expect(latest()).toMatchObject({ loading: false, error: null });
    expect(ids(latest())).toEqual(['a']);
    stop();
  });

  it('stops the subscription and the query, and ignores what arrives after', async () => {
    const fake = fakeSource();
    const { latest, stop } = started(fake.source);
    const handlers = fake.handlers;
    stop();
    expect(fake.counts()).toEqual({ subscribed: 1, unsubscribed: 1 });
    expect(fake.queries[0]!.signal.aborted).toBe(true);
    handlers.next(gen('a', 1));
    handlers.error(new Error('late'));
    fake.queries[0]!.resolve([gen('b', 2)]);
    await flush();
    expect(latest()).toEqual({ items: [], connection: 'connecting', loading: true, error: null });
  });

  it('respects the row limit', async () => {
    const fake = fakeSource();
    const { latest, stop } = started(fake.source, 2);
    fake.queries[0]!.resolve([gen('b', 2), gen('a', 1)]);
    await flush();
    fake.handlers.next(gen('c', 3));
    expect(ids(latest())).toEqual(['c', 'b']);
    stop();
  });
  it('patches a listed item in place (an in-flight row growing) and ignores one not listed', async () => {
    const fake = fakeSource();
    const { latest, stop } = started(fake.source);
    fake.handlers.connected(false);
    fake.queries[0]!.resolve([gen('a', 1)]);
    await flush();
    fake.handlers.next({ ...gen('b', 2), endedAt: null });
    fake.handlers.patch('b', (item) => ({ ...item, startedAt: 'patched' }));
    fake.handlers.patch('zzz', () => {
      throw new Error('not listed: never called');
    });
    expect(latest().items.map((i) => [i.id, i.startedAt === 'patched'])).toEqual([
      ['b', true],
      ['a', false],
    ]);
    stop();
  });
});
