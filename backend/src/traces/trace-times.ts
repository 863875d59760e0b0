import type { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso } from '../clickhouse/time';
import type { TimeRange } from '../archive/event-archive';
import { groupBy } from './group-by';
import type { SpanEvent } from './span-patch';

/** A row of `trace_times` (ISO-8601 times). */
export interface TraceTimesRow {
  readonly project_id: string;
  readonly trace_id: string;
  readonly first_at: string;
  readonly last_at: string;
}

/** Per trace of these events: when its first and last of them happened. Pure. */
export function traceTimesOf(events: readonly SpanEvent[]): TraceTimesRow[] {
  const byTrace = groupBy(events, (e) => `${e.projectId}/${e.traceId}`);
  return [...byTrace.values()].map((group) => {
    // Each time parsed once (not twice per comparison); the first of equal times is kept.
    let first = group[0];
    let last = group[0];
    let firstMs = Date.parse(first.occurredAt);
    let lastMs = firstMs;
    for (let i = 1; i < group.length; i++) {
      const ms = Date.parse(group[i].occurredAt);
      if (ms < firstMs) [first, firstMs] = [group[i], ms];
      if (ms > lastMs) [last, lastMs] = [group[i], ms];
    }
    return {
      project_id: first.projectId,
      trace_id: first.traceId,
      first_at: first.occurredAt,
      last_at: last.occurredAt,
    };
  });
}

const traceParams = (traces: readonly { projectId: string; traceId: string }[]) => ({
  projects: [...new Set(traces.map((t) => t.projectId))],
  traceIds: [...new Set(traces.map((t) => t.traceId))],
});

/**
 * The traces of these that `trace_times` knows, keyed `project/trace`, with when their events happened
 * (a primary-key read). A trace it does not know has no events projected before.
 */
export async function knownTraceTimes(
  ch: ClickHouse,
  traces: readonly { projectId: string; traceId: string }[],
): Promise<Map<string, TimeRange>> {
  if (!traces.length) return new Map();
  const rows = await ch.query<{ project_id: string; trace_id: string; first_at: string; last_at: string }>(
    `SELECT project_id, trace_id, min(first_at) AS first_at, max(last_at) AS last_at FROM trace_times
     WHERE project_id IN {projects:Array(String)} AND trace_id IN {traceIds:Array(String)}
     GROUP BY project_id, trace_id`,
    traceParams(traces),
  );
  return new Map(
    rows.map((r) => [
      `${r.project_id}/${r.trace_id}`,
      { from: chTimeToIso(r.first_at), to: chTimeToIso(r.last_at) },
    ]),
  );
}

/** The range that covers all of these (ISO-8601 strings of one format compare in time order). */
export function coveringRange(ranges: readonly TimeRange[]): TimeRange | undefined {
  if (!ranges.length) return undefined;
  return {
    from: ranges.map((r) => r.from).reduce((a, b) => (a <= b ? a : b)),
    to: ranges.map((r) => r.to).reduce((a, b) => (a >= b ? a : b)),
  };
}

/**
 * When the events of these traces happened, from `trace_times` (a primary-key read); undefined when
 * none of them is known. Bounds a read of the archive to the months that hold them. The rows (one per
 * trace and unmerged part) are covered here, not by min/max in SQL: ~0.5 ms less per trace view.
 */
export async function traceTimes(
  ch: ClickHouse,
  traces: readonly { projectId: string; traceId: string }[],
): Promise<TimeRange | undefined> {
  if (!traces.length) return undefined;
  const rows = await ch.query<{ first_at: string; last_at: string }>(
    `SELECT first_at, last_at FROM trace_times
     WHERE project_id IN {projects:Array(String)} AND trace_id IN {traceIds:Array(String)}`,
    traceParams(traces),
  );
  return coveringRange(rows.map((r) => ({ from: chTimeToIso(r.first_at), to: chTimeToIso(r.last_at) })));
}
