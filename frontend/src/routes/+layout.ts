// SPA: the backend serves the built index.html for every UI path and the browser renders the routes.
export const ssr = false;
export const prerender = false;
