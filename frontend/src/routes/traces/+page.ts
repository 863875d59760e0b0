import { likelyProject, startEarly } from '$lib/graphql/early';
import { parseListQuery } from '$lib/traces/listQuery';
import { fetchTracePage, firstTracePageKey } from '$lib/traces/tracePage';
import type { PageLoad } from './$types';

// The first rows are asked for beside the viewer, not after it (see $lib/graphql/early).
export const load: PageLoad = ({ url }) => {
  const projectId = likelyProject(url);
  const query = parseListQuery(url.searchParams);
  if (projectId)
    startEarly(firstTracePageKey(projectId, query), () => fetchTracePage(projectId, query, null));
};
