import type { ChoiceDelta } from '@sightline/schemas';
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

interface Sent {
  content: number;
  refusal: number;
  reasoning: number;
  readonly calls: { id: boolean; name: number; arguments: number }[];
}

type TextField = 'content' | 'refusal' | 'reasoning';

/**
 * Coalesces one stream's output into progress deltas without a timer: the gateway asks on each
 * chunk whether one is `due` (the first as soon as there is text, then at least `intervalMs` after
 * the previous one) and `take`s the text new since. Nothing follows the last chunk: the end event
 * carries the whole output, so text still held then is never sent as progress.
 */
export class ProgressCoalescer {
  private lastMs = Number.NEGATIVE_INFINITY;
  private seq = 0;
  private readonly sent = new Map<number, Sent>();

  constructor(private readonly intervalMs = PROGRESS_INTERVAL_MS) {}

  due(elapsedMs: number): boolean {
    return elapsedMs - this.lastMs >= this.intervalMs;
  }

  /** The text of `choices` not sent yet, as the next progress; null when nothing can go out. */
  take(choices: readonly RecordedChoice[], elapsedMs: number): Progress | null {
    const deltas = choices.flatMap((choice) => this.delta(choice));
    if (!deltas.length) return null;
    this.lastMs = elapsedMs;
    return { seq: ++this.seq, elapsedMs, choices: deltas };
  }

  private delta(choice: RecordedChoice): ChoiceDelta[] {
    let sent = this.sent.get(choice.index);
    if (!sent) this.sent.set(choice.index, (sent = { content: 0, refusal: 0, reasoning: 0, calls: [] }));
    const delta: { -readonly [K in keyof ChoiceDelta]: ChoiceDelta[K] } = { index: choice.index };
    for (const field of ['content', 'refusal', 'reasoning'] as const satisfies TextField[]) {
      const text = choice[field] ?? '';
      const end = cutPoint(text, sent[field]);
      if (end > sent[field]) [delta[field], sent[field]] = [text.slice(sent[field], end), end];
    }
    const calls = choice.toolCalls.flatMap((call, position) => {
      const was = (sent.calls[position] ??= { id: false, name: 0, arguments: 0 });
      const end = cutPoint(call.arguments, was.arguments);
      const piece = {
        ...(call.id && !was.id ? { id: call.id } : {}),
        ...(call.name.length > was.name ? { name: call.name.slice(was.name) } : {}),
        ...(end > was.arguments ? { arguments: call.arguments.slice(was.arguments, end) } : {}),
      };
      [was.id, was.name, was.arguments] = [was.id || call.id !== '', call.name.length, end];
      return Object.keys(piece).length ? [{ position, ...piece }] : [];
    });
    if (calls.length) delta.toolCalls = calls;
    return Object.keys(delta).length > 1 ? [delta] : [];
  }
}
