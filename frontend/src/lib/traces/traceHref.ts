// Paths of the trace, session and user pages for `navigate` (links call `resolve` themselves). Ids
// come from the caller's SDK: they are URL-encoded.
import { resolve } from '$app/paths';

export const traceHref = (id: string) => resolve('/traces/[id]', { id: encodeURIComponent(id) });

/** `path` with the query of `current` (e.g. `?project=`) and `key` set to `value`. */
export function withParam(path: string, current: URL, key: string, value: string): string {
  const params = new URLSearchParams(current.searchParams);
  params.set(key, value);
  return `${path}?${params}`;
}
