// One export of the traces list as a file: the request `/api/export/traces` takes, read as it
// streams with the rows counted for progress (the backend's contract: backend/src/export/).
import { CSRF_COOKIE, CSRF_HEADER, readCookie } from '../graphql/client';
import type { TraceFilter } from '../graphql/generated';
import { fetchOrNetworkError } from '../errors';
import type { ColumnId } from '../traces/columns';
import { RowCounter, type ExportFormat } from './rowCounter';

export const EXPORT_PATH = '/api/export/traces';

/** The `Trace` fields behind each column of the list; an export always starts with the trace id. */
const FIELDS: Readonly<Record<ColumnId, readonly string[]>> = {
  time: ['startedAt'],
  name: ['name'],
  io: ['inputPreview', 'outputPreview'],
  latency: ['latencyMs'],
  tokens: ['inputTokens', 'outputTokens', 'totalTokens'],
  cost: ['totalCost'],
  errors: ['errorCount'],
  who: ['userId', 'sessionId'],
};

/** The export's columns for the list's visible `columns`, in their order. */
export const exportColumns = (columns: readonly ColumnId[]): string[] => [
  'id',
  ...columns.flatMap((c) => FIELDS[c]),
];

/** The file name of a `Content-Disposition: attachment; filename="…"` header, else `fallback`. */
export function attachmentName(disposition: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(disposition ?? '') ?? /filename=([^;\s]+)/.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}

export interface ExportProgress {
  readonly rows: number;
  /** `X-Total-Count`: the rows the filter matched when the export began. */
  readonly total: number;
}

export interface ExportedFile {
  readonly name: string;
  readonly blob: Blob;
  readonly rows: number;
}

/** A refused export (HTTP status + the API's message). */
export class ExportError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

/**
 * POSTs the export and reads its body chunk by chunk, calling `onprogress` after each. Aborting
 * `signal` closes the connection, which stops the server's reading.
 * @throws ExportError for a refusal (4xx/5xx, its JSON `error.message`), NetworkError, or the abort
 */
export async function runExport(
  request: { projectId: string; format: ExportFormat; filter: TraceFilter; columns: readonly ColumnId[] },
  options: { signal: AbortSignal; onprogress: (progress: ExportProgress) => void; fetch?: typeof fetch },
): Promise<ExportedFile> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const csrf = readCookie(typeof document === 'undefined' ? '' : document.cookie, CSRF_COOKIE);
  if (csrf) headers[CSRF_HEADER] = csrf;
  const response = await fetchOrNetworkError(options.fetch ?? fetch, EXPORT_PATH, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: JSON.stringify({
      projectId: request.projectId,
      format: request.format,
      filter: request.filter,
      columns: exportColumns(request.columns),
    }),
    signal: options.signal,
  });
  if (!response.ok || !response.body) throw new ExportError(await refusal(response), response.status);

  const total = Number(response.headers.get('x-total-count') ?? 0);
  const counter = new RowCounter(request.format);
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const reader = response.body.getReader();
  options.onprogress({ rows: 0, total });
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    chunks.push(next.value);
    options.onprogress({ rows: counter.add(next.value), total });
  }
  return {
    name: attachmentName(response.headers.get('content-disposition'), `sightline-traces.${request.format}`),
    blob: new Blob(chunks, { type: response.headers.get('content-type') ?? 'application/octet-stream' }),
    rows: counter.rows,
  };
}

async function refusal(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') return body.error.message;
  } catch {
    // not JSON: say the status
  }
  return `The export failed (HTTP ${response.status}).`;
}

/** Saves `file` through the browser's download (an object URL on a temporary link). */
export function saveFile(file: ExportedFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.click();
  // The download has taken the blob once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
