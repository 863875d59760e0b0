import { nanoToUsd, usdToNano } from '../costs/price-math';
import type { SpanRow } from './span-row';

/** The span columns a trace rolls up (times ISO-8601). */
export type RolledSpan = Pick<
  SpanRow,
  | 'project_id'
  | 'trace_id'
  | 'span_id'
  | 'parent_span_id'
  | 'kind'
  | 'name'
  | 'source'
  | 'model'
  | 'provider'
  | 'status'
  | 'started_at'
  | 'ended_at'
  | 'input_tokens'
  | 'output_tokens'
  | 'total_tokens'
  | 'cost_usd'
  | 'cost_flags'
  | 'input_preview'
  | 'output_preview'
  | 'user_id'
  | 'session_id'
  | 'tags'
  | 'release'
  | 'app_version'
  | 'environment'
  | 'event_count'
>;

/** A row of the `traces` table. */
export interface TraceRow {
  readonly project_id: string;
  readonly trace_id: string;
  readonly root_span_id: string;
  readonly name: string;
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly latency_ms: number | null;
  readonly span_count: number;
  readonly generation_count: number;
  readonly error_count: number;
  /** Spans naming a parent that is not (yet) in the trace: shown under the root, flagged. */
  readonly orphan_count: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly total_tokens: number;
  /** Exact decimal USD (9 decimals): the sum of its priced generations. */
  readonly total_cost_usd: string;
  /** Ended generations that did not fail but have no price: `total_cost_usd` leaves them out. */
  readonly unpriced_count: number;
  /** Generations whose token counts Sightline estimated (`estimated_usage`): their tokens and cost are ≈. */
  readonly estimated_count: number;
  readonly input_preview: string;
  readonly output_preview: string;
  readonly user_id: string;
  readonly session_id: string;
  readonly tags: readonly string[];
  /** Distinct models, providers and sources of its spans, sorted: the trace list filters on them in the row. */
  readonly models: readonly string[];
  readonly providers: readonly string[];
  readonly sources: readonly string[];
  readonly release: string;
  readonly app_version: string;
  readonly environment: string;
  /** Sum of its spans' event counts: grows with every event, so the newest rollup wins. */
  readonly event_count: number;
}

const byStart = (a: RolledSpan, b: RolledSpan): number =>
  a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.span_id < b.span_id ? -1 : 1;

/**
 * The root: the earliest span without a parent; while that has not arrived (children came first, or
 * it never comes), the earliest span whose parent is not in the trace.
 */
export function rootOf(spans: readonly RolledSpan[]): RolledSpan {
  const ids = new Set(spans.map((s) => s.span_id));
  return spans.find((s) => !s.parent_span_id) ?? spans.find((s) => !ids.has(s.parent_span_id)) ?? spans[0];
}

const sum = (spans: readonly RolledSpan[], pick: (s: RolledSpan) => number): number =>
  spans.reduce((n, s) => n + pick(s), 0);

/** The root's value, else the first span's (by start) that has one. */
function firstSet(root: RolledSpan, spans: readonly RolledSpan[], pick: (s: RolledSpan) => string): string {
  return pick(root) || spans.map(pick).find(Boolean) || '';
}

const distinct = (spans: readonly RolledSpan[], pick: (s: RolledSpan) => string): string[] =>
  [...new Set(spans.map(pick).filter(Boolean))].sort();

/** A span naming a parent that is not in the trace (or itself). */
const orphans = (spans: readonly RolledSpan[]): number => {
  const ids = new Set(spans.map((s) => s.span_id));
  return spans.filter(
    (s) => s.parent_span_id && (!ids.has(s.parent_span_id) || s.parent_span_id === s.span_id),
  ).length;
};

/**
 * An ended generation with no price: flagged `unpriced`, or with no cost at all unless it failed
 * (a failure recorded before broken calls were priced has no cost, and was not counted).
 */
const isUnpriced = (s: RolledSpan): boolean =>
  s.kind === 'generation' &&
  s.ended_at !== null &&
  s.cost_usd === null &&
  (s.status !== 'error' || s.cost_flags.includes('unpriced'));

/** The totals of one trace from all its current span rows (non-empty, one trace). Pure. */
export function rollUpTrace(unordered: readonly RolledSpan[]): TraceRow {
  const spans = [...unordered].sort(byStart);
  const root = rootOf(spans);
  const ends = spans.flatMap((s) => (s.ended_at ? [s.ended_at] : []));
  const startedAt = spans[0].started_at;
  const endedAt = ends.length ? ends.reduce((a, b) => (a > b ? a : b)) : null;
  return {
    project_id: root.project_id,
    trace_id: root.trace_id,
    root_span_id: root.span_id,
    name: root.name,
    started_at: startedAt,
    ended_at: endedAt,
    latency_ms: endedAt
      ? Math.min(Math.max(Date.parse(endedAt) - Date.parse(startedAt), 0), 0xffff_ffff)
      : null,
    span_count: spans.length,
    generation_count: spans.filter((s) => s.kind === 'generation').length,
    error_count: spans.filter((s) => s.status === 'error').length,
    orphan_count: orphans(spans),
    input_tokens: sum(spans, (s) => s.input_tokens),
    output_tokens: sum(spans, (s) => s.output_tokens),
    total_tokens: sum(spans, (s) => s.total_tokens),
    total_cost_usd: nanoToUsd(spans.reduce((n, s) => n + (s.cost_usd ? usdToNano(s.cost_usd) : 0n), 0n)),
    unpriced_count: spans.filter(isUnpriced).length,
    estimated_count: spans.filter((s) => s.kind === 'generation' && s.cost_flags.includes('estimated_usage'))
      .length,
    input_preview: root.input_preview,
    output_preview: root.output_preview,
    user_id: firstSet(root, spans, (s) => s.user_id),
    session_id: firstSet(root, spans, (s) => s.session_id),
    tags: [...new Set(spans.flatMap((s) => s.tags))].sort(),
    models: distinct(spans, (s) => s.model),
    providers: distinct(spans, (s) => s.provider),
    sources: distinct(spans, (s) => s.source),
    release: firstSet(root, spans, (s) => s.release),
    app_version: firstSet(root, spans, (s) => s.app_version),
    environment: firstSet(root, spans, (s) => s.environment),
    event_count: sum(spans, (s) => s.event_count),
  };
}
