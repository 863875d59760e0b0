import type { ChoiceDelta } from '@sightline/schemas';
import { OutputCursor } from '../common/output-cursor';
import type { RecordedChoice } from './generation-tap';

/** At most one progress event per this many milliseconds of a stream. */
export const PROGRESS_INTERVAL_MS = 100;

/** A run without whitespace longer than this goes out anyway (code, JSON, scripts without spaces). */
export const MAX_HELD_CHARS = 256;

/** What a stream produced since its previous progress. */
export interface Progress {
  /** 1, 2, ... per stream. */
  readonly seq: number;
  readonly elapsedMs: number;
  readonly choices: readonly ChoiceDelta[];
}

/**
 * Where the unsent text `text[from..]` may be cut: after its last whitespace, so a word (a secret)
 * never straddles two events; the whole text once the run after the whitespace is too long to hold.
 */
export function cutPoint(text: string, from: number): number {
  for (let i = text.length - 1; i >= from; i--) {
    if (text.length - i > MAX_HELD_CHARS) return text.length;
    if (/\s/.test(text[i])) return i + 1;
  }
  return from;
}

/**
 * Coalesces one stream's output into progress deltas without a timer: the gateway asks on each
 * chunk whether one is `due` (the first as soon as there is text, then at least `intervalMs` after
 * the previous one) and `take`s the text new since. Nothing follows the last chunk: the end event
 * carries the whole output, so text still held then is never sent as progress.
 */
export class ProgressCoalescer {
  private lastMs = Number.NEGATIVE_INFINITY;
  private seq = 0;
  private readonly cursor = new OutputCursor();

  constructor(private readonly intervalMs = PROGRESS_INTERVAL_MS) {}

  due(elapsedMs: number): boolean {
    return elapsedMs - this.lastMs >= this.intervalMs;
  }

  /** The text of `choices` not sent yet, as the next progress; null when nothing can go out. */
  take(choices: readonly RecordedChoice[], elapsedMs: number): Progress | null {
    const deltas = this.cursor.next(choices, cutPoint);
    if (!deltas.length) return null;
    this.lastMs = elapsedMs;
    return { seq: ++this.seq, elapsedMs, choices: deltas };
  }
}
