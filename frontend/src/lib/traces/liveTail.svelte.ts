// The live tail of the traces page: what the subscription delivers is buffered and applied on an
// animation frame at most every 100 ms (one new array, one render), the rows kept are capped, and while paused
// nothing moves: arrivals are only counted, then shown on resume.
import { appendBelow, applyUpdates, compactPending, type TailRow, type TailUpdate } from './tailUpdates';

export type { TailRow, TailUpdate } from './tailUpdates';

/** Rows kept in memory by default: the newest; older ones come back by scrolling (a query). */
export const DEFAULT_TAIL_LIMIT = 1_000;

/** At most this often the rows move (on an animation frame): faster than anyone reads, cheap at any rate. */
export const TAIL_INTERVAL_MS = 100;

/** The next animation frame at least TAIL_INTERVAL_MS after the previous flush. */
function everyInterval(): (flush: () => void) => void {
  let last = 0;
  return (flush) => {
    const wait = Math.max(0, last + TAIL_INTERVAL_MS - performance.now());
    setTimeout(
      () =>
        requestAnimationFrame(() => {
          last = performance.now();
          flush();
        }),
      wait,
    );
  };
}

export class LiveTail<T extends TailRow> {
  #rows = $state.raw<readonly T[]>([]);
  #paused = $state(false);
  #arrivedWhilePaused = $state(0);
  #missed = $state(0);
  #received = $state(0);
  #receivedPending = 0;
  /** Not reactive: filled by the socket, emptied by the frame. */
  #pending: TailUpdate<T>[] = [];
  /** Ids that arrived while paused, to count each once. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- not state: only its size is shown, via #arrivedWhilePaused
  #arrivedIds = new Set<string>();
  /** Pending updates already counted while paused. */
  #counted = 0;
  #missedPending = 0;
  #listedAtPause: Set<string> | null = null;
  #trimmed = false;
  #scheduled = false;

  constructor(
    /** Runs `flush` later: by default on a frame, at most every TAIL_INTERVAL_MS. */
    private readonly schedule: (flush: () => void) => void = everyInterval(),
    private readonly limit = DEFAULT_TAIL_LIMIT,
  ) {}

  /** Newest first, at most `limit` (plus older rows appended by `appendOlder`). */
  get rows(): readonly T[] {
    return this.#rows;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** New rows that arrived since the pause (shown on resume). */
  get arrivedWhilePaused(): number {
    return this.#arrivedWhilePaused;
  }

  /** Updates the server could not deliver because this tab read too slowly. */
  get missed(): number {
    return this.#missed;
  }

  /** Updates the subscription delivered so far (rows and progress). */
  get received(): number {
    return this.#received;
  }

  push(update: TailUpdate<T>): void {
    this.#pending.push(update);
    this.#receivedPending++;
    this.#missedPending += update.missed;
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.schedule(() => this.flush());
    }
  }

  /** Rows of a query (the recent page, or older ones by scrolling), below what is listed; listed ids win. */
  appendOlder(rows: readonly T[]): void {
    const next = appendBelow(this.#rows, rows);
    if (next !== this.#rows) this.#rows = next;
    this.#trimmed = false;
  }

  /**
   * True once rows fell off the end since the last `appendOlder`: a cursor of the query that listed
   * them would now skip those, so older rows are read from the oldest listed one instead.
   */
  get trimmed(): boolean {
    return this.#trimmed;
  }

  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- not state: read when counting arrivals
    this.#listedAtPause = new Set(this.#rows.map((r) => r.id));
  }

  resume(): void {
    this.#paused = false;
    this.#listedAtPause = null;
    this.flush();
  }

  /** Applies what is pending (called once a frame); while paused, counts the new ids instead. */
  flush(): void {
    this.#scheduled = false;
    this.#received += this.#receivedPending;
    this.#receivedPending = 0;
    if (this.#missedPending) {
      this.#missed += this.#missedPending;
      this.#missedPending = 0;
    }
    if (this.#listedAtPause) {
      this.#countArrivals(this.#listedAtPause);
      return;
    }
    const pending = this.#pending;
    this.#pending = [];
    this.#counted = 0;
    this.#arrivedIds.clear();
    this.#arrivedWhilePaused = 0;
    if (pending.length === 0) return;
    const applied = applyUpdates(this.#rows, pending, Math.max(this.limit, this.#rows.length));
    this.#rows = applied.rows;
    if (applied.trimmed) this.#trimmed = true;
  }

  /** Counts the new ids of what came since the last count; memory stays bounded by compacting. */
  #countArrivals(listed: ReadonlySet<string>): void {
    for (let i = this.#counted; i < this.#pending.length; i++) {
      const id = this.#pending[i]!.row?.id;
      if (id && !listed.has(id)) this.#arrivedIds.add(id);
    }
    if (this.#pending.length > this.limit * 4)
      this.#pending = compactPending(this.#pending, listed, this.limit);
    this.#counted = this.#pending.length;
    this.#arrivedWhilePaused = this.#arrivedIds.size;
  }
}
