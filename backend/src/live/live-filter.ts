import { createHash } from 'node:crypto';
import { validateFilter, type Filter, type FloatRange } from '../analytics/filter';
import { InvalidInputError } from '../common/errors';

/**
 * The columns of a `generations` row the shared filter reads (see `analytics/filter-sql.ts`), as
 * the live feed has them in memory. An in-flight generation has only its request's columns.
 */
export interface LiveRow {
  readonly trace_id: string;
  readonly started_at: string;
  readonly model: string;
  readonly served_model: string;
  readonly provider: string;
  readonly source: string;
  readonly user_id: string;
  readonly session_id: string;
  readonly api_key_id: string;
  readonly tags: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly input: string;
  readonly status: 'completed' | 'failed' | 'cancelled';
  readonly error_message: string;
  readonly cost_usd: string | null;
  readonly cost_flags: readonly string[];
  readonly latency_ms: number;
  readonly ttft_ms: number | null;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly total_tokens: number;
  readonly output: string | null;
}

/** What is known of a generation: its request only (in flight), or all of it (ended). */
export type Known = 'request' | 'all';

export type RequestRow = Pick<
  LiveRow,
  | 'trace_id'
  | 'started_at'
  | 'model'
  | 'served_model'
  | 'provider'
  | 'source'
  | 'user_id'
  | 'session_id'
  | 'api_key_id'
  | 'tags'
  | 'metadata'
>;

const STORED_STATUS: Readonly<Record<string, string | undefined>> = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

/**
 * A row being matched against many selections: what every check derives from it (parsed start
 * time, lowercased texts, the trace's sample bucket) is derived once, on first use.
 */
export class PreparedRow<R extends RequestRow = RequestRow | LiveRow> {
  private startedAtMs: number | undefined;
  private bucket: number | undefined;
  private lowered: Map<'input' | 'output' | 'error_message', string> | undefined;

  constructor(readonly row: R) {}

  get startedAt(): number {
    return (this.startedAtMs ??= Date.parse(this.row.started_at));
  }

  /** The trace's place in [0, 1) of every sample (see `sampledIn`). */
  get sampleBucket(): number {
    return (this.bucket ??= sampleBucket(this.row.trace_id));
  }

  lower(this: PreparedRow<LiveRow>, column: 'input' | 'output' | 'error_message'): string {
    this.lowered ??= new Map();
    let text = this.lowered.get(column);
    if (text === undefined) this.lowered.set(column, (text = (this.row[column] ?? '').toLowerCase()));
    return text;
  }
}

type Check<R extends RequestRow> = (row: PreparedRow<R>) => boolean;

/** `!values?.length || values.includes(value)`, with the values in a set. */
function oneOfCheck(
  values: readonly string[] | null | undefined,
  column: (row: RequestRow) => string,
): Check<RequestRow> | undefined {
  if (!values?.length) return undefined;
  const set = new Set(values);
  return (p) => set.has(column(p.row));
}

/** `!r || (value !== null && min <= value <= max)`. */
function rangeCheck(
  r: FloatRange | null | undefined,
  column: (row: LiveRow) => number | null,
): Check<LiveRow> | undefined {
  if (!r) return undefined;
  const { min, max } = r;
  return (p) => {
    const value = column(p.row);
    return value !== null && (min == null || value >= min) && (max == null || value <= max);
  };
}

/** `metadata[key] = value` reads '' for a missing key in ClickHouse, and so here. */
function metadataChecks(filter: Filter): Check<RequestRow>[] {
  const entries = [
    ...(filter.metadata ?? []),
    ...(filter.prompt ? [{ key: 'prompt_name', value: filter.prompt.name }] : []),
    ...(filter.prompt?.version != null
      ? [{ key: 'prompt_version', value: String(filter.prompt.version) }]
      : []),
  ];
  return entries.map(({ key, value }) =>
    value == null ? (p) => Object.hasOwn(p.row.metadata, key) : (p) => (p.row.metadata[key] ?? '') === value,
  );
}

function requestChecks(filter: Filter): Check<RequestRow>[] {
  const checks: (Check<RequestRow> | undefined)[] = [];
  if (filter.from != null) {
    const from = Date.parse(filter.from);
    checks.push((p) => p.startedAt >= from);
  }
  if (filter.to != null) {
    const to = Date.parse(filter.to);
    checks.push((p) => p.startedAt < to);
  }
  if (filter.models?.length) {
    const models = new Set(filter.models);
    checks.push((p) => models.has(p.row.model) || models.has(p.row.served_model));
  }
  checks.push(
    oneOfCheck(filter.providers, (r) => r.provider),
    oneOfCheck(filter.sources, (r) => r.source),
    oneOfCheck(filter.userIds, (r) => r.user_id),
    oneOfCheck(filter.sessionIds, (r) => r.session_id),
    oneOfCheck(filter.apiKeyIds, (r) => r.api_key_id),
  );
  for (const tag of filter.tags ?? []) checks.push((p) => p.row.tags.includes(tag));
  checks.push(...metadataChecks(filter));
  return checks.filter((c) => c !== undefined);
}

function outcomeChecks(filter: Filter): Check<LiveRow>[] {
  const checks: (Check<LiveRow> | undefined)[] = [];
  if (filter.statuses) {
    const statuses = new Set(filter.statuses.flatMap((s) => STORED_STATUS[s] ?? []));
    checks.push((p) => statuses.has(p.row.status));
  }
  if (filter.hasError != null) {
    const hasError = filter.hasError;
    checks.push((p) => hasError === (p.row.status === 'failed'));
  }
  if (filter.errorMessage != null) {
    const words = filter.errorMessage.toLowerCase();
    checks.push((p) => p.lower('error_message').includes(words));
  }
  checks.push(
    // As in SQL (filter-sql.ts PRICED): an unpriced generation has no cost to compare, not $0.
    rangeCheck(filter.cost, (r) =>
      r.cost_usd === null || r.cost_flags.includes('unpriced') ? null : Number(r.cost_usd),
    ),
    rangeCheck(filter.latencyMs, (r) => r.latency_ms),
    rangeCheck(filter.timeToFirstTokenMs, (r) => r.ttft_ms),
    rangeCheck(filter.inputTokens, (r) => r.input_tokens),
    rangeCheck(filter.outputTokens, (r) => r.output_tokens),
    rangeCheck(filter.totalTokens, (r) => r.total_tokens),
  );
  if (filter.search != null) {
    const search = filter.search.trim().toLowerCase();
    checks.push(
      (p) =>
        p.lower('input').includes(search) || (p.row.output !== null && p.lower('output').includes(search)),
    );
  }
  return checks.filter((c) => c !== undefined);
}

const every = <R extends RequestRow>(checks: readonly Check<R>[], p: PreparedRow<R>): boolean => {
  for (const check of checks) if (!check(p)) return false;
  return true;
};

/**
 * A live filter compiled once: each condition it sets becomes one check (lists as sets, times
 * parsed), the others cost nothing. A live feed evaluates a filter for every event, so a
 * subscriber's filter is compiled when it subscribes.
 */
export interface CompiledFilter {
  /** Whether a generation (its request, or all of it) passes; see `matchesGeneration`. */
  (row: PreparedRow, known: Known): boolean;
}

export function compileLiveFilter(filter: Filter): CompiledFilter {
  const request = requestChecks(filter);
  const outcome = outcomeChecks(filter);
  return (p, known) =>
    every(request, p) && (known === 'request' || every(outcome, p as PreparedRow<LiveRow>));
}

/**
 * The shared `GenerationFilter` evaluated in memory, agreeing with `compileFilter(…, 'generations')`
 * on the same row (tested on chDB). With `known = 'request'` the outcome's fields (status, error,
 * cost, latency, tokens, search) are not decided yet and pass.
 */
export function matchesGeneration(filter: Filter, row: LiveRow | RequestRow, known: Known): boolean {
  return compileLiveFilter(filter)(new PreparedRow(row), known);
}

/**
 * Checks a live subscription's filter: the shared rules, and no `scores` (a generation's scores
 * arrive after it, never with it, so a live stream cannot match them).
 * @throws InvalidInputError `invalid_filter`, param `filter.<field>`
 */
export function validateLiveFilter(filter: Filter): void {
  validateFilter(filter);
  if (filter.scores?.length)
    throw new InvalidInputError(
      'filter.scores: scores arrive after their generation; a live subscription cannot filter on them',
      'invalid_filter',
      'filter.scores',
    );
}

/**
 * Whether a trace is in a sample of `rate` (0 < rate ≤ 1): decided by a hash of its id, so every
 * generation of a sampled trace comes through, and every subscriber at the same rate sees the same traces.
 */
export function sampledIn(traceId: string, rate: number): boolean {
  return rate >= 1 || sampleBucket(traceId) < rate;
}

/** A trace's place in [0, 1): in a sample of `rate` when below it. */
function sampleBucket(traceId: string): number {
  return createHash('sha1').update(traceId).digest().readUInt32BE(0) / 0x1_0000_0000;
}

/**
 * Checks a sample rate.
 * @throws InvalidInputError `invalid_argument`, param `sampleRate`
 */
export function validateSampleRate(rate: number): void {
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1)
    throw new InvalidInputError('sampleRate must be above 0 and at most 1', 'invalid_argument', 'sampleRate');
}

/** What one live subscriber asked for: the shared filter, a sample of traces, or one trace. */
export interface LiveSelection {
  readonly filter: Filter;
  /** 0 < rate ≤ 1, by trace. */
  readonly sampleRate: number;
  readonly traceId: string | null;
}

export const EVERYTHING: LiveSelection = { filter: {}, sampleRate: 1, traceId: null };

/**
 * Checks a selection as a caller sent it.
 * @throws InvalidInputError `invalid_filter` or `invalid_argument`
 */
export function validateSelection(selection: LiveSelection): void {
  validateLiveFilter(selection.filter);
  validateSampleRate(selection.sampleRate);
}

/** Whether a generation (its request, or all of it) is in the selection. */
export function selects(selection: LiveSelection, row: RequestRow | LiveRow, known: Known): boolean {
  return compileSelection(selection)(new PreparedRow(row), known);
}

/** `selects` for one selection, compiled once (see `compileLiveFilter`). */
export function compileSelection(selection: LiveSelection): CompiledFilter {
  const { traceId, sampleRate } = selection;
  const filter = compileLiveFilter(selection.filter);
  return (p, known) =>
    (traceId == null || p.row.trace_id === traceId) &&
    (sampleRate >= 1 || p.sampleBucket < sampleRate) &&
    filter(p, known);
}
