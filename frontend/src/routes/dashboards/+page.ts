import { startPageQuery } from '$lib/pageQueries';
import type { PageLoad } from './$types';

// The figures are asked for beside the viewer, not after it (see $lib/pageQueries), and the chart
// library is fetched meanwhile instead of once the figures are in.
export const load: PageLoad = ({ url, route, params }) => {
  void import('$lib/charts/uplot');
  startPageQuery(url, route.id, params);
};
