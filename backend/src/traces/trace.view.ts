import { chTimeToIso } from '../clickhouse/time';
import { decimalUsd } from '../costs/usd-text';
import { groupBy } from './group-by';
import type { SpanRow } from './span-row';
import type { SpanPatch } from './span-patch';
import { rootOf, type TraceRow } from './trace-row';

/** The GraphQL `Trace` (schemas/graphql/traces.graphql). */
export interface TraceView {
  id: string;
  projectId: string;
  name: string;
  rootSpanId: string;
  startedAt: string;
  endedAt: string | null;
  latencyMs: number | null;
  spanCount: number;
  generationCount: number;
  errorCount: number;
  orphanCount: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  totalCost: string;
  unpricedCount: number;
  estimatedCount: number;
  inputPreview: string;
  outputPreview: string;
  userId: string | null;
  sessionId: string | null;
  tags: string[];
  release: string | null;
  version: string | null;
  environment: string | null;
}

/** The GraphQL `Span`. */
export interface SpanView {
  id: string;
  traceId: string;
  parentSpanId: string | null;
  depth: number;
  orphan: boolean;
  kind: string;
  name: string;
  source: string;
  status: string;
  statusMessage: string | null;
  level: string;
  startedAt: string;
  endedAt: string | null;
  latencyMs: number | null;
  model: string | null;
  provider: string | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  cost: string | null;
  costBreakdown: NonNullable<SpanPatch['cost']>['breakdown'] | null;
  priceVersion: string | null;
  costFlags: string[];
  input: string | null;
  output: string | null;
  userId: string | null;
  sessionId: string | null;
  tags: string[];
  metadata: { key: string; value: string }[];
  release: string | null;
  version: string | null;
  environment: string | null;
}

/** A row as ClickHouse returns it: times as `YYYY-MM-DD hh:mm:ss.sss`, 64-bit counts maybe as text. */
export type Stored<R> = { [K in keyof R]: R[K] extends number ? number | string : R[K] };

const orNull = (text: string): string | null => text || null;
/** ISO-8601 from a row built in memory or read back from ClickHouse. */
const iso = (value: string): string =>
  value.includes('T') ? new Date(value).toISOString() : chTimeToIso(value);
const time = (value: string | null): string | null => (value ? iso(value) : null);

/** A trace row as a list reads it, or as `trace(id)` rolls it up in memory. */
export type TraceColumns = Stored<Omit<TraceRow, 'event_count'>>;

export function toTraceView(row: TraceColumns): TraceView {
  return {
    id: row.trace_id,
    projectId: row.project_id,
    name: row.name,
    rootSpanId: row.root_span_id,
    startedAt: iso(row.started_at),
    endedAt: time(row.ended_at),
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    spanCount: Number(row.span_count),
    generationCount: Number(row.generation_count),
    errorCount: Number(row.error_count),
    orphanCount: Number(row.orphan_count),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    totalCost: decimalUsd(row.total_cost_usd),
    unpricedCount: Number(row.unpriced_count),
    estimatedCount: Number(row.estimated_count),
    inputPreview: row.input_preview,
    outputPreview: row.output_preview,
    userId: orNull(row.user_id),
    sessionId: orNull(row.session_id),
    tags: [...row.tags],
    release: orNull(row.release),
    version: orNull(row.app_version),
    environment: orNull(row.environment),
  };
}

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

function toSpanView(row: SpanRow, whole: SpanPatch | undefined, depth: number, orphan: boolean): SpanView {
  return {
    id: row.span_id,
    traceId: row.trace_id,
    parentSpanId: orNull(row.parent_span_id),
    depth,
    orphan,
    kind: row.kind.toUpperCase(),
    name: row.name,
    source: row.source,
    status: row.status.toUpperCase(),
    statusMessage: orNull(row.status_message),
    level: row.level,
    startedAt: iso(row.started_at),
    endedAt: time(row.ended_at),
    latencyMs: row.latency_ms,
    model: orNull(row.model),
    provider: orNull(row.provider),
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    totalTokens: row.total_tokens,
    cachedTokens: row.cached_tokens,
    reasoningTokens: row.reasoning_tokens,
    cost: row.cost_usd === null ? null : decimalUsd(row.cost_usd),
    costBreakdown: (row.cost_usd !== null && whole?.cost?.breakdown) || null,
    // `none` is how an unpriced cost is recorded: not a price.
    priceVersion: row.price_version === 'none' ? null : orNull(row.price_version),
    costFlags: row.cost_flags.map((flag) => flag.toUpperCase()),
    input: json(whole?.input),
    output: json(whole?.output),
    userId: orNull(row.user_id),
    sessionId: orNull(row.session_id),
    tags: [...row.tags],
    metadata: Object.entries(row.metadata).map(([key, value]) => ({ key, value })),
    release: orNull(row.release),
    version: orNull(row.app_version),
    environment: orNull(row.environment),
  };
}

/**
 * The spans in tree order (each after its parent, siblings by start), with their depth. A span whose
 * parent is missing (not arrived, never coming, or itself) is an orphan: shown under the trace's root
 * and flagged; while the root itself is missing, the earliest orphan stands in for it (`rootOf`).
 * `wholes` has each span's whole input/output.
 */
export function spanTree(rows: readonly SpanRow[], wholes: ReadonlyMap<string, SpanPatch>): SpanView[] {
  if (!rows.length) return [];
  const ids = new Set(rows.map((r) => r.span_id));
  const byStart = [...rows].sort(
    (a, b) => Date.parse(a.started_at) - Date.parse(b.started_at) || (a.span_id < b.span_id ? -1 : 1),
  );
  const isOrphan = (row: SpanRow) =>
    row.parent_span_id !== '' && (!ids.has(row.parent_span_id) || row.parent_span_id === row.span_id);
  const root = rootOf(byStart).span_id;
  const parentOf = (row: SpanRow) =>
    row.span_id === root || !row.parent_span_id ? '' : isOrphan(row) ? root : row.parent_span_id;
  const children = groupBy(byStart, parentOf);
  const out: SpanView[] = [];
  const visit = (row: SpanRow, depth: number) => {
    out.push(toSpanView(row, wholes.get(row.span_id), depth, isOrphan(row)));
    for (const child of children.get(row.span_id) ?? []) visit(child, depth + 1);
  };
  for (const top of children.get('') ?? []) visit(top, 0);
  // Spans in a parent cycle (a → b → a) are reachable from no root: shown at the end, as orphans.
  const shown = new Set(out.map((s) => s.id));
  for (const row of byStart)
    if (!shown.has(row.span_id)) out.push(toSpanView(row, wholes.get(row.span_id), 0, true));
  return out;
}
