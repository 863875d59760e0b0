import { startPageQuery } from '$lib/pageQueries';
import type { PageLoad } from './$types';

// The trace is asked for beside the viewer, not after it (see $lib/pageQueries).
export const load: PageLoad = ({ url, route, params }) => startPageQuery(url, route.id, params);
