// The traces list's filters and order as they live in the URL (so a view is a shareable link), and
// the GraphQL variables they stand for. Pure: `now` is passed in.
import type { SortDirection, TraceFilter, TraceOrder, TraceOrderField } from '../graphql/generated';

export const RANGES = ['1h', '24h', '7d', '30d', 'all'] as const;
export type Range = (typeof RANGES)[number];
export const DEFAULT_RANGE: Range = '7d';

const RANGE_MS: Record<Exclude<Range, 'all'>, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

export const RANGE_LABELS: Record<Range, string> = {
  '1h': 'Past hour',
  '24h': 'Past 24 hours',
  '7d': 'Past 7 days',
  '30d': 'Past 30 days',
  all: 'All time',
};

export type ErrorsFilter = 'any' | 'only' | 'none';

/** The orders the list offers: `TraceOrder`'s field and direction, named for people. */
export const SORTS = {
  newest: { field: 'STARTED_AT', direction: 'DESC', label: 'Newest first' },
  oldest: { field: 'STARTED_AT', direction: 'ASC', label: 'Oldest first' },
  slowest: { field: 'LATENCY_MS', direction: 'DESC', label: 'Slowest first' },
  fastest: { field: 'LATENCY_MS', direction: 'ASC', label: 'Fastest first' },
  tokens: { field: 'TOTAL_TOKENS', direction: 'DESC', label: 'Most tokens first' },
  leastTokens: { field: 'TOTAL_TOKENS', direction: 'ASC', label: 'Fewest tokens first' },
  errors: { field: 'ERROR_COUNT', direction: 'DESC', label: 'Most errors first' },
  fewestErrors: { field: 'ERROR_COUNT', direction: 'ASC', label: 'Fewest errors first' },
} as const satisfies Record<string, { field: TraceOrderField; direction: SortDirection; label: string }>;
export type Sort = keyof typeof SORTS;
const isSort = (value: string | null): value is Sort => value !== null && Object.hasOwn(SORTS, value);

/** The list's state: every field has a URL parameter; defaults are left out of the URL. */
export interface TraceListQuery {
  readonly range: Range;
  /** Words of the input or output (the server matches 2 to 500 characters). */
  readonly search: string;
  readonly userIds: readonly string[];
  readonly sessionIds: readonly string[];
  readonly tags: readonly string[];
  readonly models: readonly string[];
  readonly errors: ErrorsFilter;
  readonly sort: Sort;
}

export const EMPTY_QUERY: TraceListQuery = {
  range: DEFAULT_RANGE,
  search: '',
  userIds: [],
  sessionIds: [],
  tags: [],
  models: [],
  errors: 'any',
  sort: 'newest',
};

/** URL parameter → list field. */
const LISTS = [
  ['user', 'userIds'],
  ['session', 'sessionIds'],
  ['tag', 'tags'],
  ['model', 'models'],
] as const;

const isRange = (value: string | null): value is Range => RANGES.includes(value as Range);

/** Reads the state from a URL's parameters; unknown or bad values fall back to the defaults. */
export function parseListQuery(params: URLSearchParams): TraceListQuery {
  const range = params.get('range');
  const errors = params.get('errors');
  const list = (param: string) => [
    ...new Set(
      params
        .getAll(param)
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
  return {
    range: isRange(range) ? range : DEFAULT_RANGE,
    search: params.get('q')?.trim() ?? '',
    userIds: list('user'),
    sessionIds: list('session'),
    tags: list('tag'),
    models: list('model'),
    errors: errors === 'only' || errors === 'none' ? errors : 'any',
    sort: isSort(params.get('sort')) ? (params.get('sort') as Sort) : 'newest',
  };
}

/**
 * `base` (the page's other parameters, e.g. `project`) with the state written over it; defaults are
 * removed so the plain list has a plain URL.
 */
export function writeListQuery(query: TraceListQuery, base: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of ['range', 'q', 'errors', 'sort', ...LISTS.map(([param]) => param)]) params.delete(key);
  if (query.range !== DEFAULT_RANGE) params.set('range', query.range);
  if (query.search) params.set('q', query.search);
  for (const [param, field] of LISTS) {
    for (const value of query[field]) params.append(param, value);
  }
  if (query.errors !== 'any') params.set('errors', query.errors);
  if (query.sort !== 'newest') params.set('sort', query.sort);
  return params;
}

/** `parseListQuery` of a query string (`range=24h&model=gpt-4o`). */
export const parseQueryString = (text: string): TraceListQuery => parseListQuery(new URLSearchParams(text));

/** The filters alone as a URL query, parameters sorted (what a saved view keeps; the sort goes apart). */
export function filterQueryOf(query: TraceListQuery): string {
  const params = writeListQuery({ ...query, sort: 'newest' }, new URLSearchParams());
  params.sort();
  return params.toString();
}

/** How many filters narrow the list beyond the time range (for the "Clear" button). */
export function activeFilterCount(query: TraceListQuery): number {
  return (
    (query.search ? 1 : 0) +
    query.userIds.length +
    query.sessionIds.length +
    query.tags.length +
    query.models.length +
    (query.errors === 'any' ? 0 : 1)
  );
}

/** The start of the range as ISO-8601, or undefined for all time. */
export function rangeStart(range: Range, now: Date): string | undefined {
  return range === 'all' ? undefined : new Date(now.getTime() - RANGE_MS[range]).toISOString();
}

/** The shared `TraceFilter` (schemas/graphql/filters.graphql) the state stands for; absent fields are left out. */
export function toTraceFilter(query: TraceListQuery, now: Date): TraceFilter {
  const list = (values: readonly string[]) => (values.length > 0 ? [...values] : undefined);
  return {
    from: rangeStart(query.range, now),
    search: query.search.length >= 2 ? query.search : undefined,
    userIds: list(query.userIds),
    sessionIds: list(query.sessionIds),
    tags: list(query.tags),
    models: list(query.models),
    hasError: query.errors === 'any' ? undefined : query.errors === 'only',
  };
}

/** The named sort of a field and direction (every pair has one). */
export function sortOf(order: TraceOrder): Sort {
  const found = (Object.keys(SORTS) as Sort[]).find(
    (key) => SORTS[key].field === order.field && SORTS[key].direction === order.direction,
  );
  return found ?? 'newest';
}

export function toTraceOrder(query: TraceListQuery): TraceOrder {
  const { field, direction } = SORTS[query.sort];
  return { field, direction };
}
