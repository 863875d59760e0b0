import { InvalidInputError } from '../common/errors';

/** `FloatRange` of schemas/graphql/filters.graphql: closed, either bound optional. */
export interface FloatRange {
  readonly min?: number | null;
  readonly max?: number | null;
}

export interface MetadataFilter {
  readonly key: string;
  readonly value?: string | null;
}

export interface ScoreFilter {
  readonly name: string;
  readonly min?: number | null;
  readonly max?: number | null;
  readonly value?: string | null;
}

export type FilterStatus = 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'INTERRUPTED' | 'IN_FLIGHT';

/**
 * `GenerationFilter` and `TraceFilter` of schemas/graphql/filters.graphql (same fields; GraphQL hands
 * absent fields over as null or undefined). Times are ISO-8601, `from` inclusive, `to` exclusive.
 */
export interface Filter {
  readonly from?: string | null;
  readonly to?: string | null;
  readonly models?: readonly string[] | null;
  readonly providers?: readonly string[] | null;
  readonly sources?: readonly string[] | null;
  readonly userIds?: readonly string[] | null;
  readonly sessionIds?: readonly string[] | null;
  readonly apiKeyIds?: readonly string[] | null;
  readonly tags?: readonly string[] | null;
  readonly metadata?: readonly MetadataFilter[] | null;
  readonly statuses?: readonly FilterStatus[] | null;
  readonly hasError?: boolean | null;
  readonly errorMessage?: string | null;
  readonly cost?: FloatRange | null;
  readonly latencyMs?: FloatRange | null;
  readonly timeToFirstTokenMs?: FloatRange | null;
  readonly inputTokens?: FloatRange | null;
  readonly outputTokens?: FloatRange | null;
  readonly totalTokens?: FloatRange | null;
  readonly scores?: readonly ScoreFilter[] | null;
  readonly prompt?: { readonly name: string; readonly version?: number | null } | null;
  readonly search?: string | null;
}

export const FILTER_LIMITS = {
  listValues: 100,
  valueLength: 1000,
  searchMin: 2,
  searchMax: 500,
  /** USD bound of a cost range: far above any real call or trace, yet exact in Float64. */
  costMax: 1_000_000_000,
  /** Bound of every other range (milliseconds, tokens, score values): what a double holds exactly. */
  numberMax: Number.MAX_SAFE_INTEGER,
} as const;

const STATUSES: ReadonlySet<string> = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'INTERRUPTED',
  'IN_FLIGHT',
]);
const LISTS = ['models', 'providers', 'sources', 'userIds', 'sessionIds', 'apiKeyIds', 'tags'] as const;
const RANGES = [
  'cost',
  'latencyMs',
  'timeToFirstTokenMs',
  'inputTokens',
  'outputTokens',
  'totalTokens',
] as const;

/** The error of a filter field: `invalid_filter`, param `filter.<field>`. */
export const invalidFilter = (field: string, message: string) =>
  new InvalidInputError(`filter.${field}: ${message}`, 'invalid_filter', `filter.${field}`);
const invalid = invalidFilter;

function text(field: string, value: unknown, min = 0, max: number = FILTER_LIMITS.valueLength): string {
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  if (value.length < min || value.length > max) throw invalid(field, `must be ${min} to ${max} characters`);
  return value;
}

function instant(field: string, value: string): number {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw invalid(field, 'must be an ISO-8601 date-time');
  return at;
}

/**
 * A bound within [lowest, highest]: beyond 2^53 a double is not exact and chDB refuses to bind it
 * (it would otherwise surface as an internal error).
 */
function bound(field: string, v: number | null | undefined, lowest: number, highest: number): void {
  if (v != null && (!Number.isFinite(v) || v < lowest || v > highest))
    throw invalid(field, `must be a number from ${lowest} to ${highest}`);
}

function range(field: string, value: FloatRange): void {
  const highest = field === 'cost' ? FILTER_LIMITS.costMax : FILTER_LIMITS.numberMax;
  for (const b of ['min', 'max'] as const) bound(`${field}.${b}`, value[b], 0, highest);
  if (value.min != null && value.max != null && value.min > value.max)
    throw invalid(field, 'min must not be above max');
}

function list<T>(field: string, values: readonly T[]): void {
  if (values.length > FILTER_LIMITS.listValues)
    throw invalid(field, `at most ${FILTER_LIMITS.listValues} values`);
}

/**
 * A list field's values as stored: at most 100, each 1–200 characters; with `known`, lowercased
 * and one of them (an enum sent as its GraphQL name).
 * @throws InvalidInputError `invalid_filter`, param `filter.<field>` or `filter.<field>.<i>`
 */
export function checkedList(field: string, values: readonly string[], known?: ReadonlySet<string>): string[] {
  list(field, values);
  return values.map((v, i) => {
    const value = known ? text(`${field}.${i}`, v, 1).toLowerCase() : text(`${field}.${i}`, v, 1);
    if (known && !known.has(value)) throw invalid(`${field}.${i}`, 'unknown value');
    return value;
  });
}

/**
 * Checks a filter as a caller sent it.
 * @throws InvalidInputError `invalid_filter`, param `filter.<field>`
 */
export function validateFilter(filter: Filter): void {
  const from = filter.from != null ? instant('from', filter.from) : null;
  const to = filter.to != null ? instant('to', filter.to) : null;
  if (from !== null && to !== null && to <= from) throw invalid('to', 'must be after from');
  for (const field of LISTS) if (filter[field]) checkedList(field, filter[field]);
  if (filter.metadata) {
    list('metadata', filter.metadata);
    filter.metadata.forEach((m, i) => {
      text(`metadata.${i}.key`, m.key, 1);
      if (m.value != null) text(`metadata.${i}.value`, m.value, 1);
    });
  }
  if (filter.statuses) {
    list('statuses', filter.statuses);
    filter.statuses.forEach((s, i) => {
      if (!STATUSES.has(s)) throw invalid(`statuses.${i}`, 'unknown status');
    });
  }
  for (const field of RANGES) if (filter[field]) range(field, filter[field]);
  if (filter.scores) {
    list('scores', filter.scores);
    filter.scores.forEach((s, i) => {
      text(`scores.${i}.name`, s.name, 1);
      if (s.value != null) text(`scores.${i}.value`, s.value, 1);
      for (const b of ['min', 'max'] as const)
        bound(`scores.${i}.${b}`, s[b], -FILTER_LIMITS.numberMax, FILTER_LIMITS.numberMax);
      if (s.min != null && s.max != null && s.min > s.max)
        throw invalid(`scores.${i}`, 'min must not be above max');
    });
  }
  if (filter.prompt) {
    text('prompt.name', filter.prompt.name, 1);
    const version = filter.prompt.version;
    if (version != null && (!Number.isInteger(version) || version < 0))
      throw invalid('prompt.version', 'must be a whole number ≥ 0');
  }
  if (filter.errorMessage != null) text('errorMessage', filter.errorMessage, 1);
  if (filter.search != null)
    text('search', filter.search.trim(), FILTER_LIMITS.searchMin, FILTER_LIMITS.searchMax);
}
