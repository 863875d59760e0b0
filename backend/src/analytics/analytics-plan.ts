import { InvalidInputError } from '../common/errors';
import { validateFilter, type Filter } from './filter';

export type TimeBucket = 'MINUTE' | 'FIVE_MINUTES' | 'FIFTEEN_MINUTES' | 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';
export type Dimension = 'MODEL' | 'PROVIDER' | 'SOURCE' | 'USER' | 'TAG' | 'API_KEY' | 'METADATA';
export type ServedFrom = 'ROLLUP_HOUR' | 'ROLLUP_MINUTE' | 'RAW';

export interface GroupBy {
  readonly dimension: Dimension;
  /** The key grouped on, for METADATA. */
  readonly metadataKey?: string | null;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Raw rows are scanned for at most this long a range; rollups for ten years. */
export const MAX_RAW_DAYS = 400;
export const MAX_ROLLUP_DAYS = 3660;
export const MAX_BUCKETS = 5000;

/** A bucket's nominal width, to bound the number of points (months and weeks counted generously). */
const BUCKET_MS: Readonly<Record<TimeBucket, number>> = {
  MINUTE: MINUTE_MS,
  FIVE_MINUTES: 5 * MINUTE_MS,
  FIFTEEN_MINUTES: 15 * MINUTE_MS,
  HOUR: HOUR_MS,
  DAY: DAY_MS,
  WEEK: 7 * DAY_MS,
  MONTH: 28 * DAY_MS,
};

/** Filter fields the rollups keep: anything else needs the raw rows. */
const ROLLUP_FIELDS: ReadonlySet<string> = new Set([
  'from',
  'to',
  'models',
  'providers',
  'sources',
  'statuses',
  'hasError',
]);
const ROLLUP_DIMENSIONS: ReadonlySet<Dimension> = new Set(['MODEL', 'PROVIDER', 'SOURCE']);

/** A validated analytics request: its window in ms and the table that answers it. */
export interface Plan {
  readonly from: number;
  readonly to: number;
  readonly servedFrom: ServedFrom;
}

const rangeError = (message: string, reason: string, param = 'filter.from') =>
  new InvalidInputError(message, reason, param);

function window(filter: Filter): { from: number; to: number } {
  if (filter.from == null || filter.to == null)
    throw rangeError(
      'analytics need a time range: filter.from and filter.to',
      'invalid_filter',
      filter.from == null ? 'filter.from' : 'filter.to',
    );
  return { from: Date.parse(filter.from), to: Date.parse(filter.to) };
}

/** The rollup that can answer exactly, or RAW: by the filter's fields, the grouping and the alignment of the window. */
export function chooseSource(
  filter: Filter,
  groupBy: GroupBy | null | undefined,
  bucket: TimeBucket | null,
  range: { from: number; to: number },
): ServedFrom {
  const used = Object.entries(filter)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k]) => k);
  if (used.some((k) => !ROLLUP_FIELDS.has(k))) return 'RAW';
  if (groupBy && !ROLLUP_DIMENSIONS.has(groupBy.dimension)) return 'RAW';
  const aligned = (ms: number) => range.from % ms === 0 && range.to % ms === 0;
  const bucketMs = bucket ? BUCKET_MS[bucket] : HOUR_MS;
  if (bucketMs >= HOUR_MS && aligned(HOUR_MS)) return 'ROLLUP_HOUR';
  if (aligned(MINUTE_MS)) return 'ROLLUP_MINUTE';
  return 'RAW';
}

/**
 * Checks an analytics request and picks its source.
 * @throws InvalidInputError `invalid_filter` (see `validateFilter`; no time range), `range_too_long` (over 400 days on raw
 *   rows, ten years on rollups), `too_many_buckets` (over 5000 points), `invalid_group_by`
 */
export function plan(
  filter: Filter,
  groupBy: GroupBy | null | undefined,
  bucket: TimeBucket | null,
  forceRaw = false,
): Plan {
  validateFilter(filter);
  const range = window(filter);
  if (groupBy?.dimension === 'METADATA' && !groupBy.metadataKey)
    throw new InvalidInputError(
      'grouping by METADATA needs a metadataKey',
      'invalid_group_by',
      'groupBy.metadataKey',
    );
  if (groupBy?.metadataKey && groupBy.metadataKey.length > 200)
    throw new InvalidInputError(
      'metadataKey is at most 200 characters',
      'invalid_group_by',
      'groupBy.metadataKey',
    );
  const servedFrom = forceRaw ? 'RAW' : chooseSource(filter, groupBy, bucket, range);
  const days = (range.to - range.from) / DAY_MS;
  const maxDays = servedFrom === 'RAW' ? MAX_RAW_DAYS : MAX_ROLLUP_DAYS;
  if (days > maxDays)
    throw rangeError(
      `at most ${maxDays} days ${servedFrom === 'RAW' ? 'on raw rows (this filter or grouping needs them)' : 'at a time'}`,
      'range_too_long',
    );
  if (bucket && (range.to - range.from) / BUCKET_MS[bucket] > MAX_BUCKETS)
    throw new InvalidInputError(
      `at most ${MAX_BUCKETS} buckets: choose a larger bucket or a shorter range`,
      'too_many_buckets',
      'bucket',
    );
  return { ...range, servedFrom };
}
