// One page of the trace list as the list page asks for it (its route's load starts the first early).
import { graphqlRequest } from '../graphql/client';
import { TracesDocument, type TraceRowFragment } from '../graphql/generated';
import { toTraceFilter, toTraceOrder, writeListQuery, type TraceListQuery } from './listQuery';
import type { ListPage } from './traceList.svelte';

// 50 rows keep the query within the API's cost limit (100 cost ~8,100 of 5,000).
export const TRACE_PAGE = 50;

/** The `startEarly`/`takeEarly` key of the first page of `query` in `projectId`. */
export function firstTracePageKey(projectId: string, query: TraceListQuery): string {
  return `traces:${projectId}:${writeListQuery(query, new URLSearchParams()).toString()}`;
}

/** The page of traces after `after` (null: the first), newest first unless `query` sorts otherwise. */
export async function fetchTracePage(
  projectId: string,
  query: TraceListQuery,
  after: string | null,
): Promise<ListPage<TraceRowFragment>> {
  const { traces } = await graphqlRequest(TracesDocument, {
    projectId,
    filter: toTraceFilter(query, new Date()),
    orderBy: toTraceOrder(query),
    first: TRACE_PAGE,
    after,
  });
  return {
    items: traces.edges.map((e) => e.node),
    next: traces.pageInfo.hasNextPage ? (traces.pageInfo.endCursor ?? null) : null,
  };
}
