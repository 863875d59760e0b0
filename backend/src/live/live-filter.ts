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

const within = (value: number | null, r: FloatRange | null | undefined): boolean =>
  !r || (value !== null && (r.min == null || value >= r.min) && (r.max == null || value <= r.max));

const oneOf = (value: string, values: readonly string[] | null | undefined): boolean =>
  !values?.length || values.includes(value);

/** `metadata[key] = value` reads '' for a missing key in ClickHouse, and so here. */
function metadataMatches(filter: Filter, metadata: Readonly<Record<string, string>>): boolean {
  const entries = [
    ...(filter.metadata ?? []),
    ...(filter.prompt ? [{ key: 'prompt_name', value: filter.prompt.name }] : []),
    ...(filter.prompt?.version != null
      ? [{ key: 'prompt_version', value: String(filter.prompt.version) }]
      : []),
  ];
  return entries.every(({ key, value }) =>
    value == null ? Object.hasOwn(metadata, key) : (metadata[key] ?? '') === value,
  );
}

function requestMatches(filter: Filter, row: RequestRow): boolean {
  const startedAt = Date.parse(row.started_at);
  return (
    (filter.from == null || startedAt >= Date.parse(filter.from)) &&
    (filter.to == null || startedAt < Date.parse(filter.to)) &&
    (!filter.models?.length ||
      filter.models.includes(row.model) ||
      filter.models.includes(row.served_model)) &&
    oneOf(row.provider, filter.providers) &&
    oneOf(row.source, filter.sources) &&
    oneOf(row.user_id, filter.userIds) &&
    oneOf(row.session_id, filter.sessionIds) &&
    oneOf(row.api_key_id, filter.apiKeyIds) &&
    (filter.tags ?? []).every((t) => row.tags.includes(t)) &&
    metadataMatches(filter, row.metadata)
  );
}

function outcomeMatches(filter: Filter, row: LiveRow): boolean {
  const statuses = filter.statuses?.flatMap((s) => STORED_STATUS[s] ?? []);
  const search = filter.search?.trim().toLowerCase();
  const errorWords = filter.errorMessage?.toLowerCase();
  return (
    (!statuses || statuses.includes(row.status)) &&
    (filter.hasError == null || filter.hasError === (row.status === 'failed')) &&
    (errorWords == null || row.error_message.toLowerCase().includes(errorWords)) &&
    within(row.cost_usd === null ? null : Number(row.cost_usd), filter.cost) &&
    within(row.latency_ms, filter.latencyMs) &&
    within(row.ttft_ms, filter.timeToFirstTokenMs) &&
    within(row.input_tokens, filter.inputTokens) &&
    within(row.output_tokens, filter.outputTokens) &&
    within(row.total_tokens, filter.totalTokens) &&
    (search == null ||
      row.input.toLowerCase().includes(search) ||
      (row.output !== null && row.output.toLowerCase().includes(search)))
  );
}

/**
 * The shared `GenerationFilter` evaluated in memory, agreeing with `compileFilter(…, 'generations')`
 * on the same row (tested on chDB). With `known = 'request'` the outcome's fields (status, error,
 * cost, latency, tokens, search) are not decided yet and pass.
 */
export function matchesGeneration(filter: Filter, row: LiveRow | RequestRow, known: Known): boolean {
  if (!requestMatches(filter, row)) return false;
  return known === 'request' || outcomeMatches(filter, row as LiveRow);
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
  if (rate >= 1) return true;
  const bucket = createHash('sha1').update(traceId).digest().readUInt32BE(0) / 0x1_0000_0000;
  return bucket < rate;
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
  return (
    (selection.traceId == null || row.trace_id === selection.traceId) &&
    sampledIn(row.trace_id, selection.sampleRate) &&
    matchesGeneration(selection.filter, row, known)
  );
}
