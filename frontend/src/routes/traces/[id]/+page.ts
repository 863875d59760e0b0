import { likelyProject, startEarly } from '$lib/graphql/early';
import { fetchTraceDetail, traceDetailKey } from '$lib/traces/traceDetail';
import type { PageLoad } from './$types';

// The trace is asked for beside the viewer, not after it (see $lib/graphql/early).
export const load: PageLoad = ({ url, params }) => {
  const projectId = likelyProject(url);
  if (projectId)
    startEarly(traceDetailKey(projectId, params.id), () => fetchTraceDetail(projectId, params.id));
};
