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

/** Where a page ended: the last row's sort value (as ClickHouse printed it) and id, under the order it was read in. */
interface Cursor {
  readonly field: string;
  readonly direction: SortDirection;
  readonly value: string;
  readonly id: string;
}

const invalidCursor = () =>
  new InvalidInputError(
    '`after` is not a cursor this API returned for this order',
    'invalid_argument',
    'after',
  );

export const encodeListCursor = (order: ListOrder<string>, value: string, id: string): string =>
  Buffer.from(JSON.stringify([order.field, order.direction, value, id])).toString('base64url');

function decodeListCursor(cursor: string, order: ListOrder<string>): Cursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parts) || parts.length !== 4 || !parts.every((p) => typeof p === 'string'))
    throw invalidCursor();
  const [field, direction, value, id] = parts as string[];
  if (field !== order.field || direction !== order.direction) throw invalidCursor();
  return { field, direction, value, id };
}

/** The keyset pieces of one page: the ORDER BY, the "after the cursor" condition and its parameters. */
export interface Keyset {
  readonly sortKey: string;
  readonly orderBy: string;
  readonly after: string;
  readonly params: Record<string, unknown>;
}

/**
 * Keyset pagination on (sort expression, id), ties broken by id in the same direction.
 * @throws InvalidInputError `invalid_argument` (param `after`) for a cursor of another order or not ours
 */
export function keyset(
  column: SortColumn,
  idColumn: string,
  order: ListOrder<string>,
  after: string | null | undefined,
): Keyset {
  const dir = order.direction;
  const orderBy = `${column.expr} ${dir}, ${idColumn} ${dir}`;
  const sortKey = `toString(${column.expr})`;
  if (!after) return { sortKey, orderBy, after: '1', params: {} };
  const cursor = decodeListCursor(after, order);
  if (column.type === 'Float64' && !Number.isFinite(Number(cursor.value))) throw invalidCursor();
  if (column.type !== 'Float64' && Number.isNaN(Date.parse(`${cursor.value.replace(' ', 'T')}Z`)))
    throw invalidCursor();
  const op = dir === 'DESC' ? '<' : '>';
  return {
    sortKey,
    orderBy,
    after: `(${column.expr}, ${idColumn}) ${op} ({k_value:${column.type}}, {k_id:String})`,
    params: { k_value: cursor.value, k_id: cursor.id },
  };
}
