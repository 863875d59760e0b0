import {
  compileSelection,
  type CompiledFilter,
  type Known,
  type LiveSelection,
  type PreparedRow,
} from './live-filter';

/** Row columns a selection can require one of a few values of, from the most selective. */
type Dimension = 'trace' | 'user' | 'session' | 'apiKey' | 'tag' | 'model';

/** Where a selection is filed: under each value it requires one of, or nowhere (checked on every row). */
function keysOf(selection: LiveSelection): { dimension: Dimension; values: readonly string[] } | undefined {
  const f = selection.filter;
  if (selection.traceId != null) return { dimension: 'trace', values: [selection.traceId] };
  if (f.userIds?.length) return { dimension: 'user', values: f.userIds };
  if (f.sessionIds?.length) return { dimension: 'session', values: f.sessionIds };
  if (f.apiKeyIds?.length) return { dimension: 'apiKey', values: f.apiKeyIds };
  // A row must carry every tag of the filter: so it carries the first.
  if (f.tags?.length) return { dimension: 'tag', values: [f.tags[0]!] };
  if (f.models?.length) return { dimension: 'model', values: f.models };
  return undefined;
}

interface Entry<T> {
  readonly item: T;
  readonly selects: CompiledFilter;
  /** The last `matching` call that reached this entry: an entry filed under two of a row's values counts once. */
  seen: number;
}

/**
 * Live subscribers by what their selections require, so that a row is checked only against those
 * that could take it: one filtered on a user is looked up by the row's user, not tried on every
 * row. With 200 subscribers on users, tags and models, a row meets a handful, not 200. Selections
 * requiring none of the indexed columns are checked on every row. Every candidate is then checked
 * against its whole selection (compiled once, here).
 */
export class SelectionIndex<T> {
  private readonly everywhere = new Set<Entry<T>>();
  private readonly filed = new Map<Dimension, Map<string, Set<Entry<T>>>>();
  private readonly entries = new Map<T, { entry: Entry<T>; remove: () => void }>();
  private pass = 0;

  get size(): number {
    return this.entries.size;
  }

  add(item: T, selection: LiveSelection): void {
    const entry: Entry<T> = { item, selects: compileSelection(selection), seen: 0 };
    const keys = keysOf(selection);
    if (!keys) {
      this.everywhere.add(entry);
      this.entries.set(item, { entry, remove: () => this.everywhere.delete(entry) });
      return;
    }
    const byValue = this.filed.get(keys.dimension) ?? new Map<string, Set<Entry<T>>>();
    this.filed.set(keys.dimension, byValue);
    for (const value of keys.values) {
      const set = byValue.get(value) ?? new Set<Entry<T>>();
      byValue.set(value, set.add(entry));
    }
    const remove = () => {
      for (const value of keys.values) {
        const set = byValue.get(value);
        if (set?.delete(entry) && !set.size) byValue.delete(value);
      }
    };
    this.entries.set(item, { entry, remove });
  }

  delete(item: T): void {
    this.entries.get(item)?.remove();
    this.entries.delete(item);
  }

  forEach(each: (item: T) => void): void {
    for (const item of this.entries.keys()) each(item);
  }

  /** Each item whose selection takes `row` (`known` of it), once, in no particular order. */
  matching(row: PreparedRow, known: Known, each: (item: T) => void): void {
    const pass = ++this.pass;
    const visit = (entries: Set<Entry<T>> | undefined) => {
      if (!entries) return;
      for (const entry of entries) {
        if (entry.seen === pass) continue;
        entry.seen = pass;
        if (entry.selects(row, known)) each(entry.item);
      }
    };
    visit(this.everywhere);
    if (!this.filed.size) return;
    const r = row.row;
    visit(this.filed.get('trace')?.get(r.trace_id));
    visit(this.filed.get('user')?.get(r.user_id));
    visit(this.filed.get('session')?.get(r.session_id));
    visit(this.filed.get('apiKey')?.get(r.api_key_id));
    const tags = this.filed.get('tag');
    if (tags) for (const tag of r.tags) visit(tags.get(tag));
    const models = this.filed.get('model');
    if (models) {
      visit(models.get(r.model));
      visit(models.get(r.served_model));
    }
  }
}
