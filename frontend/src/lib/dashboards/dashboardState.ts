// The dashboard's state as it lives in the URL (range, grouping, percentile, filters), the time
// window and bucket it stands for, and the GraphQL filter. Pure: `now` is passed in.
import type { AnalyticsDimension, GenerationFilter, TimeBucket } from '../graphql/generated';

export const PRESETS = ['1h', '24h', '7d', '30d'] as const;
export type Preset = (typeof PRESETS)[number];
export type Range = Preset | 'custom';
export const DEFAULT_RANGE: Preset = '24h';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const PRESET_MS: Readonly<Record<Preset, number>> = {
  '1h': HOUR,
  '24h': DAY,
  '7d': 7 * DAY,
  '30d': 30 * DAY,
};

export const RANGE_LABELS: Readonly<Record<Range, string>> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  custom: 'Custom range',
};

/** The widths the dashboard buckets by, smallest first (weeks and months are never needed: ≤ 400 days). */
export const BUCKET_MS = {
  MINUTE,
  FIVE_MINUTES: 5 * MINUTE,
  FIFTEEN_MINUTES: 15 * MINUTE,
  HOUR,
  DAY,
} as const satisfies Partial<Record<TimeBucket, number>>;
export type Bucket = keyof typeof BUCKET_MS;

/** A preset's bucket: 60 minutes, 96 quarter hours, 168 or 720 hours. */
const PRESET_BUCKET: Readonly<Record<Preset, Bucket>> = {
  '1h': 'MINUTE',
  '24h': 'FIFTEEN_MINUTES',
  '7d': 'HOUR',
  '30d': 'HOUR',
};

/** A custom range gets the smallest bucket that keeps it at or under this many points. */
const MAX_POINTS = 400;
/** The longest custom range: the API scans raw rows for at most 400 days. */
export const MAX_RANGE_MS = 400 * DAY;

/** The groupings the picker offers, by URL value. */
export const GROUPS = {
  none: { label: 'No grouping', dimension: null },
  model: { label: 'Model', dimension: 'MODEL' },
  provider: { label: 'Provider', dimension: 'PROVIDER' },
  user: { label: 'User', dimension: 'USER' },
  tag: { label: 'Tag', dimension: 'TAG' },
  key: { label: 'API key', dimension: 'API_KEY' },
} as const satisfies Record<string, { label: string; dimension: AnalyticsDimension | null }>;
export type Group = keyof typeof GROUPS;

export const PERCENTILES = ['p50', 'p95', 'p99'] as const;
export type Percentile = (typeof PERCENTILES)[number];

/** Filters a click on a group adds (URL parameter → filter field). */
export const FILTERS = {
  model: 'models',
  provider: 'providers',
  user: 'userIds',
  tag: 'tags',
  key: 'apiKeyIds',
} as const satisfies Record<Exclude<Group, 'none'>, keyof GenerationFilter>;
export type FilterParam = keyof typeof FILTERS;

export interface DashboardState {
  readonly range: Range;
  /** ISO-8601, only for `custom`. */
  readonly from: string | null;
  readonly to: string | null;
  readonly group: Group;
  /** The percentile the latency charts show per group. */
  readonly percentile: Percentile;
  readonly filters: Readonly<Record<FilterParam, readonly string[]>>;
}

const NO_FILTERS: DashboardState['filters'] = { model: [], provider: [], user: [], tag: [], key: [] };

export const DEFAULT_STATE: DashboardState = {
  range: DEFAULT_RANGE,
  from: null,
  to: null,
  group: 'none',
  percentile: 'p95',
  filters: NO_FILTERS,
};

const FILTER_PARAMS = Object.keys(FILTERS) as FilterParam[];
const isIn = <T extends string>(values: readonly T[], value: string | null): value is T =>
  value !== null && values.includes(value as T);
const validDate = (value: string | null) =>
  value !== null && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null;

/** Reads the state from a URL's parameters; unknown or bad values fall back to the defaults. */
export function parseDashboardState(params: URLSearchParams): DashboardState {
  const from = validDate(params.get('from'));
  const to = validDate(params.get('to'));
  const rangeParam = params.get('range');
  const customOk =
    from !== null &&
    to !== null &&
    Date.parse(to) > Date.parse(from) &&
    Date.parse(to) - Date.parse(from) <= MAX_RANGE_MS;
  const range: Range =
    rangeParam === 'custom'
      ? customOk
        ? 'custom'
        : DEFAULT_RANGE
      : isIn(PRESETS, rangeParam)
        ? rangeParam
        : DEFAULT_RANGE;
  const group = params.get('group');
  const percentile = params.get('pct');
  const filters = Object.fromEntries(
    FILTER_PARAMS.map((param) => [
      param,
      [
        ...new Set(
          params
            .getAll(param)
            .map((v) => v.trim())
            .filter(Boolean),
        ),
      ],
    ]),
  ) as Record<FilterParam, string[]>;
  return {
    range,
    from: range === 'custom' ? from : null,
    to: range === 'custom' ? to : null,
    group: group !== null && Object.hasOwn(GROUPS, group) ? (group as Group) : 'none',
    percentile: isIn(PERCENTILES, percentile) ? percentile : 'p95',
    filters,
  };
}

/** `base` (the page's other parameters, e.g. `project`) with the state written over it; defaults left out. */
export function writeDashboardState(query: DashboardState, base: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of ['range', 'from', 'to', 'group', 'pct', ...FILTER_PARAMS]) params.delete(key);
  if (query.range !== DEFAULT_RANGE) params.set('range', query.range);
  if (query.range === 'custom' && query.from && query.to) {
    params.set('from', query.from);
    params.set('to', query.to);
  }
  if (query.group !== 'none') params.set('group', query.group);
  if (query.percentile !== 'p95') params.set('pct', query.percentile);
  for (const param of FILTER_PARAMS) for (const value of query.filters[param]) params.append(param, value);
  return params;
}

/** The filters as (parameter, value) pairs, for chips. */
export function activeFilters(query: DashboardState): { param: FilterParam; value: string }[] {
  return FILTER_PARAMS.flatMap((param) => query.filters[param].map((value) => ({ param, value })));
}

/** `query` with `value` added to (or, with `remove`, taken out of) filter `param`. */
export function withFilter(
  query: DashboardState,
  param: FilterParam,
  value: string,
  remove = false,
): DashboardState {
  const current = query.filters[param].filter((v) => v !== value);
  return { ...query, filters: { ...query.filters, [param]: remove ? current : [...current, value] } };
}

/** What the queries ask for: the window (ms, `to` exclusive), its bucket and the window before it. */
export interface DashboardWindow {
  readonly from: number;
  readonly to: number;
  readonly bucket: Bucket;
  readonly baselineFrom: number;
  readonly baselineTo: number;
}

/** The smallest bucket that keeps `ms` at or under MAX_POINTS points. */
export function bucketFor(ms: number): Bucket {
  const buckets = Object.keys(BUCKET_MS) as Bucket[];
  return buckets.find((b) => ms / BUCKET_MS[b] <= MAX_POINTS) ?? 'DAY';
}

/**
 * A preset ends at the end of the bucket holding `now` (so the current bucket fills as traffic
 * arrives, and whole minutes or hours let the rollups answer); a custom range is widened to whole
 * buckets. The baseline is the window of the same length just before.
 */
export function dashboardWindow(query: DashboardState, now: Date): DashboardWindow {
  let from: number;
  let to: number;
  let bucket: Bucket;
  if (query.range === 'custom' && query.from && query.to) {
    bucket = bucketFor(Date.parse(query.to) - Date.parse(query.from));
    const width = BUCKET_MS[bucket];
    from = Math.floor(Date.parse(query.from) / width) * width;
    to = Math.ceil(Date.parse(query.to) / width) * width;
  } else {
    const preset = query.range === 'custom' ? DEFAULT_RANGE : query.range;
    bucket = PRESET_BUCKET[preset];
    const width = BUCKET_MS[bucket];
    to = Math.floor(now.getTime() / width) * width + width;
    from = to - PRESET_MS[preset];
  }
  return { from, to, bucket, baselineFrom: from - (to - from), baselineTo: from };
}

/** The shared `GenerationFilter` (schemas/graphql/filters.graphql) of the window and the filters. */
export function toGenerationFilter(
  query: DashboardState,
  window: { from: number; to: number },
): GenerationFilter {
  const filter: GenerationFilter = {
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
  };
  for (const param of FILTER_PARAMS) {
    const values = query.filters[param];
    if (values.length > 0) filter[FILTERS[param]] = [...values];
  }
  return filter;
}

/** "vs the previous 24 hours" for the comparison labels. */
export function previousLabel(query: DashboardState, window: DashboardWindow): string {
  if (query.range !== 'custom') return `vs previous ${RANGE_LABELS[query.range].replace(/^Last /, '')}`;
  const hours = (window.to - window.from) / HOUR;
  return hours < 48 ? `vs previous ${Math.round(hours)} h` : `vs previous ${Math.round(hours / 24)} days`;
}
