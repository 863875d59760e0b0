// The dashboard's one request (its route's load starts the first early).
import { graphqlRequest } from '../graphql/client';
import { DashboardDocument } from '../graphql/generated';
import {
  dashboardWindow,
  GROUPS,
  toGenerationFilter,
  writeDashboardState,
  type DashboardState,
} from './dashboardState';

/** Groups drawn as lines (the palette's size); the breakdown table lists up to 10. */
export const CHART_GROUPS = 8;

/** The `startEarly`/`takeEarly` key of the dashboard of `state` in `projectId`. */
export function dashboardKey(projectId: string, state: DashboardState): string {
  return `dashboard:${projectId}:${writeDashboardState(state, new URLSearchParams()).toString()}`;
}

/** Everything the dashboard shows for `state`, its window computed from the clock now. */
export async function fetchDashboard(projectId: string, state: DashboardState) {
  const window = dashboardWindow(state, new Date());
  const dimension = GROUPS[state.group].dimension;
  const data = await graphqlRequest(DashboardDocument, {
    projectId,
    filter: toGenerationFilter(state, window),
    baselineFilter: toGenerationFilter(state, { from: window.baselineFrom, to: window.baselineTo }),
    baselineFrom: new Date(window.baselineFrom).toISOString(),
    baselineTo: new Date(window.baselineTo).toISOString(),
    bucket: window.bucket,
    groupBy: dimension ? { dimension } : null,
    tableGroupBy: { dimension: dimension ?? 'MODEL' },
    grouped: dimension !== null,
    groups: CHART_GROUPS,
  });
  return { data, window, state, loadedAt: new Date() };
}

export type LoadedDashboard = Awaited<ReturnType<typeof fetchDashboard>>;
