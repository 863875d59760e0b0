import { InvalidInputError } from '../common/errors';

export type SortDirection = 'ASC' | 'DESC';

/** How a list is sorted: a field of the list's own order enum, and a direction. */
export interface ListOrder<F extends string> {
  readonly field: F;
  readonly direction: SortDirection;
}

/** A sort field's SQL: a fixed expression (never caller text) and the type its cursor value binds as. */
export interface SortColumn {
  readonly expr: string;
  readonly type: "DateTime64(3, 'UTC')" | 'Float64';
}

/**
 * Where a page ended: the last row's sort value (as ClickHouse printed it) and its key (the values
 * of the id columns), under the order it was read in.
 */
interface Cursor {
  readonly field: string;
  readonly direction: SortDirection;
  readonly value: string;
  readonly ids: readonly string[];
}

/** A row's key: one id column, or several whose values together are unique (a span id is unique only within its trace). */
export type RowKey = string | readonly string[];
const keyOf = (key: RowKey): readonly string[] => (typeof key === 'string' ? [key] : key);

const invalidCursor = () =>
  new InvalidInputError(
    '`after` is not a cursor this API returned for this order',
    'invalid_argument',
    'after',
  );

/** `id`: the row's values of the id columns given to `keyset`, in the same order. */
export const encodeListCursor = (order: ListOrder<string>, value: string, id: RowKey): string =>
  Buffer.from(JSON.stringify([order.field, order.direction, value, ...keyOf(id)])).toString('base64url');

function decodeListCursor(cursor: string, order: ListOrder<string>, idCount: number): Cursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parts) || parts.length !== 3 + idCount || !parts.every((p) => typeof p === 'string'))
    throw invalidCursor();
  const [field, direction, value, ...ids] = parts as string[];
  if (field !== order.field || direction !== order.direction) throw invalidCursor();
  return { field, direction, value, ids };
}

/** The keyset pieces of one page: the ORDER BY, the "after the cursor" condition and its parameters. */
export interface Keyset {
  readonly sortKey: string;
  readonly orderBy: string;
  readonly after: string;
  readonly params: Record<string, unknown>;
}

/**
 * Keyset pagination on (sort expression, id columns), ties broken by the id columns in the same
 * direction. The id columns must be unique together, or rows tying on all of them are skipped.
 * @throws InvalidInputError `invalid_argument` (param `after`) for a cursor of another order or not ours
 */
export function keyset(
  column: SortColumn,
  idColumns: RowKey,
  order: ListOrder<string>,
  after: string | null | undefined,
): Keyset {
  const dir = order.direction;
  const ids = keyOf(idColumns);
  const orderBy = [column.expr, ...ids].map((c) => `${c} ${dir}`).join(', ');
  const sortKey = `toString(${column.expr})`;
  if (!after) return { sortKey, orderBy, after: '1', params: {} };
  const cursor = decodeListCursor(after, order, ids.length);
  if (column.type === 'Float64' && !Number.isFinite(Number(cursor.value))) throw invalidCursor();
  if (column.type !== 'Float64' && Number.isNaN(Date.parse(`${cursor.value.replace(' ', 'T')}Z`)))
    throw invalidCursor();
  const op = dir === 'DESC' ? '<' : '>';
  const idParams = ids.map((_, i) => (ids.length === 1 ? 'k_id' : `k_id${i}`));
  return {
    sortKey,
    orderBy,
    after: `(${[column.expr, ...ids].join(', ')}) ${op} ({k_value:${column.type}}, ${idParams.map((p) => `{${p}:String}`).join(', ')})`,
    params: { k_value: cursor.value, ...Object.fromEntries(idParams.map((p, i) => [p, cursor.ids[i]])) },
  };
}
