import { chTimeToIso } from '../clickhouse/time';
import { decimalUsd } from '../costs/usd-text';

/** The GraphQL `Session` and `EndUser` (schemas/graphql/sessions.graphql), less their `traces`. */
export interface GroupView {
  id: string;
  projectId: string;
  traceCount: number;
  sessionCount: number;
  generationCount: number;
  errorTraceCount: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  totalCost: string;
  unpricedCount: number;
  estimatedCount: number;
  firstSeen: string;
  lastSeen: string;
  userIds: string[];
}

/** A group's totals as `trace_groups` sums them: times as ClickHouse prints them, counts maybe as text. */
export type GroupTotals = {
  [K in keyof GroupView]: GroupView[K] extends number ? number | string : GroupView[K];
};

export function toGroupView(row: GroupTotals): GroupView {
  return {
    id: row.id,
    projectId: row.projectId,
    traceCount: Number(row.traceCount),
    sessionCount: Number(row.sessionCount),
    generationCount: Number(row.generationCount),
    errorTraceCount: Number(row.errorTraceCount),
    inputTokens: Number(row.inputTokens),
    outputTokens: Number(row.outputTokens),
    totalTokens: Number(row.totalTokens),
    totalCost: decimalUsd(row.totalCost),
    unpricedCount: Number(row.unpricedCount),
    estimatedCount: Number(row.estimatedCount),
    firstSeen: chTimeToIso(row.firstSeen),
    lastSeen: chTimeToIso(row.lastSeen),
    userIds: [...row.userIds],
  };
}
