// Pure list work of the live tail: applying a frame's updates to the rows, and bounding what waits
// while the tail is paused.
import { applyProgress, type LiveItem, type ProgressTarget, type ProgressUpdate } from '../live/merge';

export type TailRow = LiveItem & ProgressTarget;

/** One update of the subscription: a row (new, or the final one of an in-flight row), its output growing, or neither. */
export interface TailUpdate<T> {
  readonly row?: T;
  readonly progress?: ProgressUpdate & { readonly id: string };
  /** Updates the server dropped for this subscriber since the previous one. */
  readonly missed: number;
}

/**
 * `rows` with `updates` applied in order: new rows on top (newest first), known ones replaced in
 * place, progress appended to the row it names; at most `cap` rows (`trimmed` when some fell off).
 */
export function applyUpdates<T extends TailRow>(
  rows: readonly T[],
  updates: readonly TailUpdate<T>[],
  cap: number,
): { rows: T[]; trimmed: boolean } {
  const position = new Map<string, number>();
  rows.forEach((r, i) => position.set(r.id, i));
  const changed = new Map<string, T>();
  const fresh: T[] = [];
  const freshIndex = new Map<string, number>();
  const current = (id: string): T | undefined => {
    const at = freshIndex.get(id);
    if (at !== undefined) return fresh[at];
    const listed = position.get(id);
    return changed.get(id) ?? (listed === undefined ? undefined : rows[listed]);
  };
  const put = (row: T) => {
    const at = freshIndex.get(row.id);
    if (at !== undefined) fresh[at] = row;
    else if (position.has(row.id)) changed.set(row.id, row);
    else freshIndex.set(row.id, fresh.push(row) - 1);
  };
  for (const { row, progress } of updates) {
    if (row) put(row);
    const target = progress && current(progress.id);
    if (progress && target) put(applyProgress(target, progress));
  }
  const kept = changed.size ? rows.map((r) => changed.get(r.id) ?? r) : rows;
  const next = [...fresh.reverse(), ...kept];
  return next.length <= cap ? { rows: next, trimmed: false } : { rows: next.slice(0, cap), trimmed: true };
}

/** The updates of `listed` rows and of the newest `limit` new rows, in order: what a paused tail keeps. */
export function compactPending<T extends TailRow>(
  pending: readonly TailUpdate<T>[],
  listed: ReadonlySet<string>,
  limit: number,
): TailUpdate<T>[] {
  const keep = new Set<string>();
  for (let i = pending.length - 1; i >= 0 && keep.size < limit; i--) {
    const id = pending[i]!.row?.id;
    if (id && !listed.has(id)) keep.add(id);
  }
  return pending.filter((u) => {
    const id = u.row?.id ?? u.progress?.id;
    return id !== undefined && (listed.has(id) || keep.has(id));
  });
}

/** `rows` with the `older` ones not listed yet appended (the same array when none is new). */
export function appendBelow<T extends TailRow>(rows: readonly T[], older: readonly T[]): readonly T[] {
  const listed = new Set(rows.map((r) => r.id));
  const added = older.filter((r) => !listed.has(r.id));
  return added.length ? [...rows, ...added] : rows;
}
