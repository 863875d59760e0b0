import type { TraceRow } from './trace-row';

export const GROUP_DIMENSIONS = ['session', 'user'] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

/** A row of `trace_groups`: one trace's totals filed under its session or its end user. */
export interface TraceGroupRow {
  readonly project_id: string;
  readonly dimension: GroupDimension;
  readonly group_id: string;
  readonly trace_id: string;
  readonly started_at: string;
  readonly ended_at: string | null;
  readonly generation_count: number;
  readonly error_count: number;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly total_tokens: number;
  readonly total_cost_usd: string;
  readonly unpriced_count: number;
  readonly estimated_count: number;
  readonly session_id: string;
  readonly user_id: string;
  /** The trace's version: a newer row of the same (group, trace) replaces an older one. */
  readonly event_count: number;
  /** 1: the trace left this group; FINAL leaves the pair out. */
  readonly is_deleted: 0 | 1;
}

/** What was last written of a trace: enough to know the groups it was filed under. */
export type FiledTrace = Pick<TraceRow, 'project_id' | 'trace_id' | 'session_id' | 'user_id'>;

const groupOf = (trace: FiledTrace, dimension: GroupDimension): string =>
  dimension === 'session' ? trace.session_id : trace.user_id;

/**
 * The trace's rows under its session and its user (none for an empty id), and a deleting row in each
 * group it was filed under before (`previous`) and has left. Pure: the same trace and previous row
 * give the same rows.
 */
export function groupRowsOf(trace: TraceRow, previous: FiledTrace | undefined): TraceGroupRow[] {
  const row = (dimension: GroupDimension, groupId: string, isDeleted: 0 | 1): TraceGroupRow => ({
    project_id: trace.project_id,
    dimension,
    group_id: groupId,
    trace_id: trace.trace_id,
    started_at: trace.started_at,
    ended_at: trace.ended_at,
    generation_count: trace.generation_count,
    error_count: trace.error_count,
    input_tokens: trace.input_tokens,
    output_tokens: trace.output_tokens,
    total_tokens: trace.total_tokens,
    total_cost_usd: trace.total_cost_usd,
    unpriced_count: trace.unpriced_count,
    estimated_count: trace.estimated_count,
    session_id: trace.session_id,
    user_id: trace.user_id,
    event_count: trace.event_count,
    is_deleted: isDeleted,
  });
  return GROUP_DIMENSIONS.flatMap((dimension) => {
    const now = groupOf(trace, dimension);
    const before = previous ? groupOf(previous, dimension) : '';
    return [
      ...(now ? [row(dimension, now, 0)] : []),
      ...(before && before !== now ? [row(dimension, before, 1)] : []),
    ];
  });
}
