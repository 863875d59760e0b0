import { stringify } from 'csv-stringify/sync';

/** The two wire formats of an export. */
export type ExportFormat = 'csv' | 'jsonl';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl'];

export const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

type Row = Readonly<Record<string, unknown>>;

/** A CSV cell: empty for null, lists and objects (tags, metadata, choices...) as their JSON text. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Turns pages of rows into the export's text, one page at a time (so nothing holds more than a page).
 * CSV: RFC 4180 by csv-stringify, a header row first (also for an empty export); cells that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) get a leading `'`, since
 * prompts and outputs are text anyone can type (OWASP "CSV injection"). JSONL: one JSON object per
 * row with the chosen fields in order, values exactly as the GraphQL API gives them.
 */
export class ExportEncoder {
  private started = false;

  constructor(
    private readonly format: ExportFormat,
    private readonly columns: readonly string[],
  ) {}

  page(rows: readonly Row[]): string {
    const header = !this.started;
    this.started = true;
    if (this.format === 'jsonl')
      return rows
        .map((row) => `${JSON.stringify(Object.fromEntries(this.columns.map((c) => [c, row[c] ?? null])))}\n`)
        .join('');
    const records = rows.map((row) => this.columns.map((c) => cell(row[c])));
    return stringify(header ? [[...this.columns], ...records] : records, { escape_formulas: true });
  }
}
