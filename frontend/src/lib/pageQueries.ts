// The first query of the pages that have one, by route id. The root layout's `load` starts it at the
// first navigation — its module is preloaded with the app, so the query runs while the page's own
// code downloads — and the page's `load` at later navigations; the page takes the answer with
// `takeEarly` (see ./graphql/early). One place per page, so both start the same query under one key.
import { dashboardKey, fetchDashboard } from './dashboards/dashboardQuery';
import { parseDashboardState } from './dashboards/dashboardState';
import { likelyProject, startEarly } from './graphql/early';
import { parseListQuery } from './traces/listQuery';
import { fetchTraceDetail, traceDetailKey } from './traces/traceDetail';
import { fetchTracePage, firstTracePageKey } from './traces/tracePage';

type Start = (projectId: string, url: URL, params: Readonly<Record<string, string>>) => void;

const FIRST_QUERIES: Readonly<Record<string, Start>> = {
  '/traces': (projectId, url) => {
    const query = parseListQuery(url.searchParams);
    startEarly(firstTracePageKey(projectId, query), () => fetchTracePage(projectId, query, null));
  },
  '/traces/[id]': (projectId, _url, { id }) => {
    if (id) startEarly(traceDetailKey(projectId, id), () => fetchTraceDetail(projectId, id));
  },
  '/dashboards': (projectId, url) => {
    const state = parseDashboardState(url.searchParams);
    startEarly(dashboardKey(projectId, state), () => fetchDashboard(projectId, state));
  },
};

/** Starts the first query of route `routeId` at `url`, if it has one and the project is known. */
export function startPageQuery(
  url: URL,
  routeId: string | null,
  params: Readonly<Record<string, string>>,
): void {
  const start = routeId === null ? undefined : FIRST_QUERIES[routeId];
  const projectId = likelyProject(url);
  if (start && projectId) start(projectId, url, params);
}
