import { chTimeToIso } from '../clickhouse/time';
import { groupBy } from './group-by';
import type { SpanRow } from './span-row';
import type { SpanPatch } from './span-patch';
import type { TraceRow } from './trace-row';

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
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
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
const time = (value: string | null): string | null => (value ? chTimeToIso(value) : null);

export function toTraceView(row: Stored<Omit<TraceRow, 'event_count'>>): TraceView {
  return {
    id: row.trace_id,
    projectId: row.project_id,
    name: row.name,
    rootSpanId: row.root_span_id,
    startedAt: chTimeToIso(row.started_at),
    endedAt: time(row.ended_at),
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    spanCount: Number(row.span_count),
    generationCount: Number(row.generation_count),
    errorCount: Number(row.error_count),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
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

function toSpanView(
  row: Stored<SpanRow>,
  whole: SpanPatch | undefined,
  depth: number,
  orphan: boolean,
): SpanView {
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
    startedAt: chTimeToIso(row.started_at),
    endedAt: time(row.ended_at),
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    model: orNull(row.model),
    provider: orNull(row.provider),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    totalTokens: Number(row.total_tokens),
    cachedTokens: Number(row.cached_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
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
 * parent is missing starts a tree of its own, marked orphan. `wholes` has each span's whole input/output.
 */
export function spanTree(
  rows: readonly Stored<SpanRow>[],
  wholes: ReadonlyMap<string, SpanPatch>,
): SpanView[] {
  const ids = new Set(rows.map((r) => r.span_id));
  const byStart = [...rows].sort((a, b) =>
    a.started_at === b.started_at ? (a.span_id < b.span_id ? -1 : 1) : a.started_at < b.started_at ? -1 : 1,
  );
  const parentOf = (row: Stored<SpanRow>) =>
    ids.has(row.parent_span_id) && row.parent_span_id !== row.span_id ? row.parent_span_id : '';
  const children = groupBy(byStart, parentOf);
  const out: SpanView[] = [];
  const visit = (row: Stored<SpanRow>, depth: number) => {
    out.push(toSpanView(row, wholes.get(row.span_id), depth, depth === 0 && row.parent_span_id !== ''));
    for (const child of children.get(row.span_id) ?? []) visit(child, depth + 1);
  };
  for (const root of children.get('') ?? []) visit(root, 0);
  // Spans in a parent cycle (a → b → a) are reachable from no root: shown at the end, as orphans.
  const shown = new Set(out.map((s) => s.id));
  for (const row of byStart)
    if (!shown.has(row.span_id)) out.push(toSpanView(row, wholes.get(row.span_id), 0, true));
  return out;
}
