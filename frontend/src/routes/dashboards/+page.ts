import { dashboardKey, fetchDashboard } from '$lib/dashboards/dashboardQuery';
import { parseDashboardState } from '$lib/dashboards/dashboardState';
import { likelyProject, startEarly } from '$lib/graphql/early';
import type { PageLoad } from './$types';

// The figures are asked for beside the viewer, not after it (see $lib/graphql/early), and the chart
// library is fetched meanwhile instead of once the figures are in.
export const load: PageLoad = ({ url }) => {
  void import('$lib/charts/uplot');
  const projectId = likelyProject(url);
  const state = parseDashboardState(url.searchParams);
  if (projectId) startEarly(dashboardKey(projectId, state), () => fetchDashboard(projectId, state));
};
