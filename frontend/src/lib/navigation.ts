import { goto } from '$app/navigation';

/**
 * Client-side navigation to an app path that carries a query string (`?project=`, `?next=`).
 * `svelte/no-navigation-without-resolve` only accepts a bare `resolve()` result, which cannot carry a
 * query; callers pass a path built from a resolved route (`withProject`, `loginHref`) or one checked by
 * `safeNext`, never a value straight from the URL.
 */
export function navigate(href: string, options?: Parameters<typeof goto>[1]): Promise<void> {
  // eslint-disable-next-line svelte/no-navigation-without-resolve -- see above
  return goto(href, options);
}
