// A page's first query started by its route's `load` (`+page.ts`) at navigation, beside the viewer
// query, instead of after it: the viewer's answer, the page's code and the page's rendering come
// first otherwise, one after the other (a waterfall of round trips before the page shows data).
import { rememberedProject } from '../projects';

/** An answer older than this is not taken (the page asks again): the data may have moved on. */
const FRESH_MS = 10_000;

const started = new Map<string, { at: number; answer: Promise<unknown> }>();

/** The project a page will most likely show: `?project=`, else the one opened last; null if unknown. */
export function likelyProject(url: URL): string | null {
  return url.searchParams.get('project') ?? rememberedProject();
}

/**
 * Starts `run` now for a page that will `takeEarly(key)`, unless `key` was started less than FRESH_MS
 * ago and not taken yet (the layout's load and the page's start the same first query); its failure
 * shows when the page takes it.
 */
export function startEarly(key: string, run: () => Promise<unknown>, now = Date.now()): void {
  const running = started.get(key);
  if (running && now - running.at <= FRESH_MS) return;
  const answer = run();
  answer.catch(() => undefined); // not unhandled when no page takes it
  started.set(key, { at: now, answer });
}

/**
 * The answer started for `key` (once: a second take, a refresh, gets nothing), or undefined when none
 * was started, it is stale, or it was started for other arguments (another key).
 */
export function takeEarly<T>(key: string, now = Date.now()): Promise<T> | undefined {
  const entry = started.get(key);
  started.clear(); // what another page started is of no use any more
  return entry && now - entry.at <= FRESH_MS ? (entry.answer as Promise<T>) : undefined;
}
