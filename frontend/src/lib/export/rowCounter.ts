/** The two formats of `/api/export/{traces|generations}`. */
export type ExportFormat = 'csv' | 'jsonl';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Counts the rows of an export as its bytes arrive, for "n of total rows". JSONL rows end at each
 * newline; CSV rows at a newline outside quotes (a quoted cell may hold newlines; `""` inside quotes
 * toggles twice). Scans bytes, not text: in UTF-8 `"` and `\n` never occur inside a multi-byte
 * character, so a chunk may end anywhere. The CSV header row is not counted.
 */
export class RowCounter {
  private quoted = false;
  private newlines = 0;

  constructor(private readonly format: ExportFormat) {}

  get rows(): number {
    return this.format === 'csv' ? Math.max(0, this.newlines - 1) : this.newlines;
  }

  /** Feeds the next chunk of the body; returns the rows counted so far. */
  add(chunk: Uint8Array): number {
    const csv = this.format === 'csv';
    for (const byte of chunk) {
      if (byte === QUOTE && csv) this.quoted = !this.quoted;
      else if (byte === NEWLINE && !this.quoted) this.newlines++;
    }
    return this.rows;
  }
}
