// The traces list's columns: which exist, which are shown (chosen by the user, kept per project in
// the browser and in saved views), and which sort the list when their header is clicked.
import type { SortDirection, TraceOrderField } from '../graphql/generated';

export const COLUMNS = [
  { id: 'time', label: 'Time', sort: 'STARTED_AT', width: '7.5rem' },
  { id: 'name', label: 'Name', width: 'minmax(9rem, 1.1fr)' },
  { id: 'io', label: 'Input → output', width: 'minmax(12rem, 2.4fr)' },
  { id: 'latency', label: 'Latency', sort: 'LATENCY_MS', width: '6.5rem', numeric: true },
  { id: 'tokens', label: 'Tokens', sort: 'TOTAL_TOKENS', width: '5rem', numeric: true },
  { id: 'cost', label: 'Cost', width: '6rem', numeric: true },
  { id: 'errors', label: 'Errors', sort: 'ERROR_COUNT', width: '4.5rem', numeric: true },
  { id: 'who', label: 'User · session', width: 'minmax(7rem, 1fr)' },
] as const satisfies readonly {
  id: string;
  label: string;
  sort?: TraceOrderField;
  width: string;
  numeric?: boolean;
}[];

export type Column = (typeof COLUMNS)[number];
export type ColumnId = Column['id'];

export const DEFAULT_COLUMNS: readonly ColumnId[] = [
  'time',
  'name',
  'io',
  'latency',
  'tokens',
  'cost',
  'who',
];

const isColumnId = (id: string): id is ColumnId => COLUMNS.some((c) => c.id === id);

/** Known ids in the list's own order; unknown ones dropped; the defaults when none is left. */
export function normalizeColumns(ids: readonly string[] | null | undefined): ColumnId[] {
  const chosen = new Set((ids ?? []).filter(isColumnId));
  const columns = COLUMNS.filter((c) => chosen.has(c.id)).map((c) => c.id);
  return columns.length > 0 ? columns : [...DEFAULT_COLUMNS];
}

/** `columns` with `id` shown or hidden; the last shown column stays. */
export function toggleColumn(columns: readonly ColumnId[], id: ColumnId): ColumnId[] {
  if (!columns.includes(id)) return normalizeColumns([...columns, id]);
  return columns.length === 1 ? [...columns] : columns.filter((c) => c !== id);
}

export const sameColumns = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((id, i) => id === b[i]);

/** The URL form: `time,name,latency`; absent for the defaults. */
export const columnsParam = (columns: readonly ColumnId[]): string | null =>
  sameColumns(columns, DEFAULT_COLUMNS) ? null : columns.join(',');

export const parseColumnsParam = (value: string | null): ColumnId[] | null =>
  value ? normalizeColumns(value.split(',')) : null;

/** Where the browser keeps a project's last choice. */
export const columnsStorageKey = (projectId: string): string => `sightline.traces.columns.${projectId}`;

/** The column's sort after a click on its header: descending first, then flipping. */
export function nextSort(
  current: { field: TraceOrderField; direction: SortDirection },
  field: TraceOrderField,
): { field: TraceOrderField; direction: SortDirection } {
  if (current.field !== field) return { field, direction: 'DESC' };
  return { field, direction: current.direction === 'DESC' ? 'ASC' : 'DESC' };
}
