import { startPageQuery } from '$lib/pageQueries';
import type { PageLoad } from './$types';

// The figures are asked for beside the viewer, not after it (see $lib/pageQueries). The chart
// library is fetched by the page once its first render is painted (see +page.svelte).
export const load: PageLoad = ({ url, route, params }) => {
  startPageQuery(url, route.id, params);
};
