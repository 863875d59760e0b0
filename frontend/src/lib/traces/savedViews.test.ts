// The saved views' state: turning the page into a view and back, which view is shown, and the
// list kept in step with what the server answered (or the error it gave).
import { describe, expect, it, vi } from 'vitest';
import { GraphQLRequestError } from '../errors';
import type { SavedViewInput } from '../graphql/generated';
import { EMPTY_QUERY } from './listQuery';
import { SavedViews, shows, stateOf, viewInput, type SavedView, type ViewsApi } from './savedViews.svelte';

const slowErrors = {
  query: { ...EMPTY_QUERY, range: '24h', errors: 'only', models: ['gpt-4o'], sort: 'slowest' },
  columns: ['time', 'name', 'latency'],
} as const;

let ids = 0;
const asView = (id: string | null, input: SavedViewInput): SavedView => ({
  id: id ?? `view_${++ids}`,
  ...input,
  columns: [...input.columns],
  updatedAt: '2026-12-01T00:00:00.000Z',
  updatedBy: null,
});

/** A server keeping views in memory, refusing a taken name as the API does. */
function fakeApi(): ViewsApi & { stored: SavedView[] } {
  const stored: SavedView[] = [];
  return {
    stored,
    list: vi.fn(async () => [...stored]),
    save: vi.fn(async (id, input) => {
      if (stored.some((v) => v.id !== id && v.name.toLowerCase() === input.name.toLowerCase()))
        throw new GraphQLRequestError("A view named 'Taken' exists", 200, ['CONFLICT'], ['view_name_taken']);
      const view = asView(id, input);
      stored.splice(0, stored.length, ...stored.filter((v) => v.id !== view.id), view);
      return view;
    }),
    rename: vi.fn(async (id, name) => {
      const view = { ...stored.find((v) => v.id === id)!, name };
      stored.splice(0, stored.length, ...stored.filter((v) => v.id !== id), view);
      return view;
    }),
    remove: vi.fn(async (id) => {
      stored.splice(0, stored.length, ...stored.filter((v) => v.id !== id));
    }),
  };
}

describe('a view and the page state', () => {
  it('keeps the filters as a sorted URL query, the sort apart, and reads back the same state', () => {
    const input = viewInput('Slow errors', slowErrors);
    expect(input).toEqual({
      name: 'Slow errors',
      query: 'errors=only&model=gpt-4o&range=24h',
      columns: ['time', 'name', 'latency'],
      sortField: 'LATENCY_MS',
      sortDirection: 'DESC',
    });
    const view = asView(null, input);
    expect(stateOf(view)).toEqual(slowErrors);
    expect(shows(view, slowErrors)).toBe(true);
    expect(shows(view, { ...slowErrors, columns: ['time'] })).toBe(false);
    expect(shows(view, { ...slowErrors, query: { ...slowErrors.query, sort: 'newest' } })).toBe(false);
  });

  it('falls back to defaults for what it does not know', () => {
    const view = asView(null, {
      ...viewInput('Odd', slowErrors),
      query: 'range=9y&zzz=1',
      columns: ['nope'],
    });
    expect(stateOf(view).query.range).toBe(EMPTY_QUERY.range);
    expect(stateOf(view).columns).toContain('time');
  });
});

describe('SavedViews', () => {
  it('saves the page as a view, finds it as the one shown, renames and deletes it', async () => {
    const api = fakeApi();
    const views = new SavedViews(api);
    await views.load();
    expect(views.views).toEqual([]);
    const saved = await views.saveAs('  Slow errors ', slowErrors);
    expect(saved?.name).toBe('Slow errors');
    expect(views.current(slowErrors)?.id).toBe(saved!.id);
    expect(views.current({ ...slowErrors, columns: ['io'] })).toBeNull();

    await views.saveAs('A first', { ...slowErrors, columns: ['io'] });
    expect(views.views.map((v) => v.name)).toEqual(['A first', 'Slow errors']);

    await views.rename(saved!, 'Z last');
    expect(views.views.map((v) => v.name)).toEqual(['A first', 'Z last']);
    await views.remove(views.views[1]!);
    expect(views.views.map((v) => v.name)).toEqual(['A first']);
    expect(api.stored.map((v) => v.name)).toEqual(['A first']);
  });

  it('updates a view with the page’s columns and sort', async () => {
    const views = new SavedViews(fakeApi());
    const saved = (await views.saveAs('Mine', slowErrors))!;
    const changed = { query: { ...slowErrors.query, sort: 'newest' }, columns: ['time', 'cost'] } as const;
    await views.update(saved, changed);
    expect(views.current(changed)?.id).toBe(saved.id);
    expect(views.current(slowErrors)).toBeNull();
  });

  it('keeps the list and says why when the server refuses', async () => {
    const views = new SavedViews(fakeApi());
    await views.saveAs('Taken', slowErrors);
    expect(await views.saveAs('TAKEN', slowErrors)).toBeNull();
    expect(views.error).toMatch(/exists/);
    expect(views.views).toHaveLength(1);
    expect(views.forbidden).toBe(false);
  });

  it('knows a viewer may not change views', async () => {
    const api = fakeApi();
    api.save = async () => {
      throw new GraphQLRequestError('Your role in this project does not allow this', 200, ['FORBIDDEN']);
    };
    const views = new SavedViews(api);
    expect(await views.saveAs('Mine', slowErrors)).toBeNull();
    expect(views.forbidden).toBe(true);
  });
});
