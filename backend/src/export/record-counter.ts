/**
 * Counts the records of an export as its bytes arrive, for progress: JSONL records end at each
 * newline; CSV records at a newline outside quotes (a quoted cell may hold newlines; `""` inside
 * quotes toggles twice, so it needs no special case). The CSV header row is not counted.
 */
export class RecordCounter {
  private quoted = false;
  private newlines = 0;

  constructor(private readonly format: 'csv' | 'jsonl') {}

  get records(): number {
    return this.format === 'csv' ? Math.max(0, this.newlines - 1) : this.newlines;
  }

  /** Feeds the next chunk of the body's text. */
  add(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34 /* " */ && this.format === 'csv') this.quoted = !this.quoted;
      else if (c === 10 /* \n */ && !this.quoted) this.newlines++;
    }
  }
}
