import { OutputCursor } from '../common/output-cursor';
import { Burst } from '../live/burst';
import type { GenerationView } from './generation.view';
import type { InFlightGeneration, ProgressView } from './in-flight-generation';

/**
 * The GraphQL `LiveGenerationUpdate`: exactly one of `generation` and `progress` set, and `missed`,
 * the changes this subscriber lost since its previous update (0 unless it fell behind by `capacity`).
 */
export type LiveUpdate = (
  | { readonly generation: GenerationView; readonly progress?: never }
  | { readonly progress: ProgressView; readonly generation?: never }
) & { readonly missed: number };

type Change = { readonly generation: GenerationView } | { readonly progress: ProgressView };

/** Spans whose delivered output a subscriber remembers; past this the oldest is shown whole again. */
const MAX_CURSORS = 10_000;

/**
 * One `liveGenerations` subscriber, coalescing: it keeps which spans changed, not every change, and
 * renders an update only when the client reads. A span's first update is its whole in-flight row,
 * later ones carry the text new since the previous one (its cursor), the last one is the final row.
 * A slow client so gets fewer, larger updates, never a gap. Past `capacity` changed spans still
 * pending when a later burst of changes arrives, the oldest are dropped (their cursors too, so they
 * are shown whole next time) and counted in the next update's `missed`; one burst (one log read) is
 * kept whole however large, so a client that keeps up misses nothing.
 */
export class LiveSubscriber implements AsyncIterableIterator<LiveUpdate> {
  private readonly pending = new Map<string, GenerationView | 'changed'>();
  private readonly cursors = new Map<string, OutputCursor>();
  private waiting: ((result: IteratorResult<LiveUpdate>) => void) | undefined;
  private closed = false;
  private missed = 0;
  private readonly burst = new Burst();

  constructor(
    private readonly capacity: number,
    private readonly inFlight: (key: string) => InFlightGeneration | undefined,
    private readonly onClose: () => void,
  ) {}

  /** The in-flight generation under `key` grew (or appeared). */
  changed(key: string): void {
    if (!this.pending.has(key)) this.add(key, 'changed');
    this.wake();
  }

  /**
   * The generation under `key` ended: `view` is its final row, shown when it `matches` this
   * subscriber's selection or was shown in flight (a view it started is always ended).
   */
  ended(key: string, view: GenerationView, matches = true): void {
    this.pending.delete(key);
    if (!matches && !this.cursors.has(key)) return;
    this.add(key, view);
    this.wake();
  }

  next(): Promise<IteratorResult<LiveUpdate>> {
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    const update = this.take();
    if (update) return Promise.resolve({ value: update, done: false });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<LiveUpdate>> {
    if (!this.closed) {
      this.closed = true;
      this.pending.clear();
      this.cursors.clear();
      this.waiting?.({ value: undefined, done: true });
      this.waiting = undefined;
      this.onClose();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<LiveUpdate> {
    return this;
  }

  private add(key: string, change: GenerationView | 'changed'): void {
    if (this.closed) return;
    if (this.burst.starts())
      while (this.pending.size > this.capacity) {
        const oldest = this.pending.keys().next().value!;
        this.pending.delete(oldest);
        this.cursors.delete(oldest);
        this.missed++;
      }
    this.pending.set(key, change);
  }

  private wake(): void {
    if (!this.waiting) return;
    const update = this.take();
    if (!update) return;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve({ value: update, done: false });
  }

  /** The oldest pending change that renders to an update, if any, with what was missed before it. */
  private take(): LiveUpdate | undefined {
    for (const [key, change] of this.pending) {
      this.pending.delete(key);
      const update = change === 'changed' ? this.progressOf(key) : this.final(key, change);
      if (update) {
        const missed = this.missed;
        this.missed = 0;
        return { ...update, missed };
      }
    }
    return undefined;
  }

  private final(key: string, view: GenerationView): Change {
    this.cursors.delete(key);
    return { generation: view };
  }

  private progressOf(key: string): Change | undefined {
    const generation = this.inFlight(key);
    const requested = generation?.requested;
    if (!generation || !requested) return undefined;
    const cursor = this.cursors.get(key);
    if (cursor) {
      const choices = cursor.next(generation.choices);
      return choices.length ? { progress: generation.progress(requested.spanId, choices) } : undefined;
    }
    const fresh = new OutputCursor();
    fresh.next(generation.choices);
    this.cursors.set(key, fresh);
    if (this.cursors.size > MAX_CURSORS) this.cursors.delete(this.cursors.keys().next().value!);
    return { generation: generation.view(requested) };
  }
}
