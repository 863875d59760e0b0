import { describe, expect, it } from 'vitest';
import { connectionPage, PAGE_SIZE, Pages, type Page } from './pagination.svelte';

/** A list of `total` rows (`r0` newest), paged by the row index as cursor; records each call. */
function fakeList(total: number) {
  const calls: { cursor: string | null; first: number }[] = [];
  const fetchPage = async (cursor: string | null, first: number): Promise<Page<string>> => {
    calls.push({ cursor, first });
    const start = cursor === null ? 0 : Number(cursor);
    const items = Array.from(
      { length: Math.max(0, Math.min(first, total - start)) },
      (_, i) => `r${start + i}`,
    );
    return { items, nextCursor: start + first < total ? String(start + first) : null };
  };
  return { calls, fetchPage };
}

describe('Pages', () => {
  it('starts on the first page without a cursor, with the shared page size', async () => {
    const list = fakeList(3);
    const pages = new Pages(list.fetchPage);
    expect(pages.shown.state).toEqual({ status: 'loading' });
    await pages.first();
    expect(list.calls).toEqual([{ cursor: null, first: PAGE_SIZE }]);
    expect(pages.shown.data?.items).toEqual(['r0', 'r1', 'r2']);
    expect([pages.number, pages.hasPrevious, pages.hasNext]).toEqual([1, false, false]);
  });

  it('goes to the next pages with their cursors and back', async () => {
    const list = fakeList(5);
    const pages = new Pages(list.fetchPage, 2);
    await pages.first();
    await pages.next();
    await pages.next();
    expect(pages.shown.data).toEqual({ items: ['r4'], nextCursor: null });
    expect([pages.number, pages.cursor, pages.hasNext]).toEqual([3, '4', false]);
    await pages.next(); // nothing after the last page
    expect(pages.number).toBe(3);

    await pages.previous();
    expect([pages.number, pages.cursor]).toEqual([2, '2']);
    expect(pages.shown.data?.items).toEqual(['r2', 'r3']);
    await pages.previous();
    await pages.previous(); // nothing before the first page
    expect([pages.number, pages.cursor, pages.hasPrevious]).toEqual([1, null, false]);
    expect(list.calls.map((c) => c.cursor)).toEqual([null, '2', '4', '2', null]);
  });

  it('goes back to the first page', async () => {
    const list = fakeList(5);
    const pages = new Pages(list.fetchPage, 2);
    await pages.first();
    await pages.next();
    await pages.first();
    expect([pages.number, pages.cursor]).toEqual([1, null]);
    expect(pages.shown.data?.items).toEqual(['r0', 'r1']);
  });

  it('shows loading while another page is fetched, and cannot go on before it is loaded', async () => {
    const list = fakeList(5);
    const pages = new Pages(list.fetchPage, 2);
    await pages.first();
    const opening = pages.next();
    expect(pages.shown.state.status).toBe('loading');
    expect(pages.hasNext).toBe(false);
    await opening;
    expect(pages.shown.state.status).toBe('ready');
  });
});

describe('connectionPage', () => {
  it('takes the nodes, and the end cursor only when there is a next page', () => {
    const edges = [{ node: 'a' }, { node: 'b' }];
    expect(connectionPage({ edges, pageInfo: { hasNextPage: true, endCursor: 'c2' } })).toEqual({
      items: ['a', 'b'],
      nextCursor: 'c2',
    });
    expect(
      connectionPage({ edges, pageInfo: { hasNextPage: false, endCursor: 'c2' } }).nextCursor,
    ).toBeNull();
    expect(
      connectionPage({ edges: [], pageInfo: { hasNextPage: true, endCursor: null } }).nextCursor,
    ).toBeNull();
  });
});
