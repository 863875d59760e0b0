// Where the sign-in guard sends the browser, and where the login page sends it back.

/** Pages anyone may open: they never redirect to the login page. */
export function isPublicPath(pathname: string): boolean {
  return pathname === '/login' || pathname.startsWith('/invite/');
}

const PROBE_ORIGIN = 'http://sightline.invalid';

/**
 * The `?next=` target as a same-origin path (+ query and hash), or `fallback` when it is missing,
 * points elsewhere (`//evil.example`, `https://…`, `/\\evil`) or back at the login page.
 */
export function safeNext(raw: string | null | undefined, fallback = '/'): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
  let url: URL;
  try {
    url = new URL(raw, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  // The URL parser drops tabs and newlines, so `/\t/evil.example` becomes protocol-relative here.
  if (url.origin !== PROBE_ORIGIN || url.pathname === '/login') return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** `/login?next=<the current path and query>`; `loginPath` is the resolved `/login` route. */
export function loginHref(current: Pick<URL, 'pathname' | 'search'>, loginPath = '/login'): string {
  return `${loginPath}?next=${encodeURIComponent(`${current.pathname}${current.search}`)}`;
}
