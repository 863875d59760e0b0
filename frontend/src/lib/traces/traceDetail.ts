// A trace's detail as its page shows it (its route's load starts it early).
import { graphqlRequest } from '../graphql/client';
import { TraceDocument, type TraceQuery } from '../graphql/generated';

export type TraceDetail = TraceQuery['trace'];

/** The `startEarly`/`takeEarly` key of trace `traceId` in `projectId`. */
export function traceDetailKey(projectId: string, traceId: string): string {
  return `trace:${projectId}:${traceId}`;
}

/** The trace with its spans, generations and scores; null when the project has no such trace. */
export async function fetchTraceDetail(projectId: string, traceId: string): Promise<TraceDetail> {
  return (await graphqlRequest(TraceDocument, { projectId, id: traceId })).trace;
}
