import { isPublicPath } from '$lib/auth/redirect';
import { viewer } from '$lib/session/viewer.svelte';
import type { LayoutLoad } from './$types';

// SPA: the backend serves the built index.html for every UI path and the browser renders the routes.
export const ssr = false;
export const prerender = false;

// Who is signed in is asked for as soon as the route is known, beside the page's own first query
// (its +page.ts), not once the layout has rendered.
export const load: LayoutLoad = ({ url }) => {
  if (!isPublicPath(url.pathname) && viewer.state.status === 'idle') void viewer.load();
};
