import { isPublicPath } from '$lib/auth/redirect';
import { startPageQuery } from '$lib/pageQueries';
import { viewer } from '$lib/session/viewer.svelte';
import type { LayoutLoad } from './$types';

// SPA: the backend serves the built index.html for every UI path and the browser renders the routes.
export const ssr = false;
export const prerender = false;

// Who is signed in is asked for as soon as the route is known, not once the layout has rendered; so
// is the page's first query, while the page's code is still downloading (its own load starts it at
// later navigations; untracked here, so that a new filter does not run this load again).
export const load: LayoutLoad = ({ url, route, params, untrack }) => {
  if (isPublicPath(url.pathname)) return;
  if (viewer.state.status === 'idle') void viewer.load();
  untrack(() => startPageQuery(url, route.id, params));
};
