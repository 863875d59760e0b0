// Pure list logic of the live-traces view: the first page of the `generations` query and the
// `generationRecorded` events are merged into one list, newest first, one row per generation id.

/** The fields the merge needs; every generation row has them. */
export interface LiveItem {
  id: string;
  /** ISO-8601; the moment the generation was recorded; null when interrupted (sorted by its start). */
  endedAt: string | null;
  startedAt: string;
}

/** How many rows the live view keeps; older rows fall off the end. */
export const DEFAULT_LIVE_LIMIT = 500;

function time(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/**
 * Newest first: by end time (so an event that just arrived goes on top), then start time, then id
 * (descending, so UUIDv7-style ids keep creation order), which makes the order total and stable.
 */
export function newestFirst(a: LiveItem, b: LiveItem): number {
  const ended = time(b.endedAt ?? b.startedAt) - time(a.endedAt ?? a.startedAt);
  if (ended !== 0 && !Number.isNaN(ended)) return ended;
  const started = time(b.startedAt) - time(a.startedAt);
  if (started !== 0 && !Number.isNaN(started)) return started;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * Merges `incoming` (a query page or subscription events) into `current`: one row per id (the
 * incoming copy replaces the current one), newest first, at most `limit` rows. Inputs are not
 * modified; the result is a new array.
 */
export function mergeGenerations<T extends LiveItem>(
  current: readonly T[],
  incoming: readonly T[],
  limit: number = DEFAULT_LIVE_LIMIT,
): T[] {
  const byId = new Map<string, T>();
  for (const item of current) byId.set(item.id, item);
  for (const item of incoming) byId.set(item.id, item);
  return [...byId.values()].sort(newestFirst).slice(0, Math.max(0, limit));
}

/** The parts of a generation row that an in-flight progress update changes. */
export interface ProgressTarget {
  output: string | null;
  outputTokens: number;
  totalTokens: number;
  timeToFirstTokenMs: number | null;
  outputTokensPerSecond: number | null;
}

/** An in-flight generation's output grew: the new text of each choice (only choice 0 is shown). */
export interface ProgressUpdate {
  timeToFirstTokenMs: number | null;
  outputTokens: number;
  outputTokensPerSecond: number | null;
  choices: readonly { index: number; content: string | null }[];
}

/** The row with `progress` applied: choice 0's new text appended, counts and rates replaced. */
export function applyProgress<T extends ProgressTarget>(row: T, progress: ProgressUpdate): T {
  const text = progress.choices.find((c) => c.index === 0)?.content;
  return {
    ...row,
    output: text ? (row.output ?? '') + text : row.output,
    outputTokens: progress.outputTokens,
    totalTokens: progress.outputTokens,
    timeToFirstTokenMs: progress.timeToFirstTokenMs,
    outputTokensPerSecond: progress.outputTokensPerSecond,
  };
}
