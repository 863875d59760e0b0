// The export's progress counting over arbitrary chunk boundaries, its columns and file name, and one
// streamed export read chunk by chunk (progress after each, the abort stopping it).
import { describe, expect, it } from 'vitest';
import { attachmentName, ExportError, exportColumns, runExport, type ExportProgress } from './exportRequest';
import { RowCounter, type ExportFormat } from './rowCounter';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Counts `text` fed in pieces of `size` bytes (cutting through quotes and multi-byte characters). */
function countInPieces(format: ExportFormat, text: string, size: number): number {
  const all = bytes(text);
  const counter = new RowCounter(format);
  for (let i = 0; i < all.length; i += size) counter.add(all.subarray(i, i + size));
  return counter.rows;
}

const CSV =
  'id,output\r\n' +
  't1,plain\r\n' +
  't2,"a, b, and c"\r\n' +
  't3,"line one\nline two\r\nline three"\r\n' +
  't4,"she said ""hi"", then ""bye"""\r\n' +
  't5,naïve café — 東京 🚀\r\n';
const JSONL = '{"id":"t1","output":"line one\\nline two"}\n{"id":"t2","output":"\\"quoted\\""}\n';

describe('RowCounter', () => {
  it.each([1, 2, 3, 7, 1000])(
    'counts CSV rows, not the header nor newlines inside quoted cells, in %i-byte chunks',
    (size) => {
      expect(countInPieces('csv', CSV, size)).toBe(5);
    },
  );

  it.each([1, 5, 1000])('counts one JSONL row per line in %i-byte chunks', (size) => {
    expect(countInPieces('jsonl', JSONL, size)).toBe(2);
  });

  it('counts nothing for a header-only CSV and an empty body, and a row only once it ends', () => {
    const csv = new RowCounter('csv');
    expect(csv.add(bytes('id,name\r\n'))).toBe(0);
    expect(csv.add(bytes('t1,"half'))).toBe(0);
    expect(csv.add(bytes(' a row"\r\n'))).toBe(1);
    expect(new RowCounter('jsonl').rows).toBe(0);
  });
});

describe('exportColumns', () => {
  it('maps the visible list columns to trace fields in their order, the id first', () => {
    expect(exportColumns(['time', 'io', 'cost'])).toEqual([
      'id',
      'startedAt',
      'inputPreview',
      'outputPreview',
      'totalCost',
    ]);
    expect(exportColumns(['who'])).toEqual(['id', 'userId', 'sessionId']);
  });
});

describe('attachmentName', () => {
  it('takes the quoted or bare file name, else the fallback', () => {
    expect(attachmentName('attachment; filename="sightline-traces-2026-12-01T00-40-12Z.csv"', 'x')).toBe(
      'sightline-traces-2026-12-01T00-40-12Z.csv',
    );
    expect(attachmentName('attachment; filename=a.jsonl', 'x')).toBe('a.jsonl');
    expect(attachmentName(null, 'fallback.csv')).toBe('fallback.csv');
  });
});

/** A fetch answering with `chunks` as a streamed body, the next chunk only once asked for. */
function streaming(chunks: string[], headers: Record<string, string>, sent: RequestInit[]): typeof fetch {
  return async (_url, init) => {
    sent.push(init!);
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (i < chunks.length) controller.enqueue(bytes(chunks[i++]));
        else controller.close();
      },
    });
    return new Response(body, { status: 200, headers });
  };
}

const request = {
  projectId: 'p1',
  format: 'csv' as const,
  filter: { models: ['gpt-x'] },
  columns: ['name' as const],
};

describe('runExport', () => {
  it('POSTs the filter and columns, reports n of total after each chunk and returns the whole file', async () => {
    const sent: RequestInit[] = [];
    const seen: ExportProgress[] = [];
    const file = await runExport(request, {
      signal: new AbortController().signal,
      onprogress: (p) => seen.push(p),
      fetch: streaming(
        ['id,name\r\nt1,a\r\nt2,"b\n', 'c"\r\nt3,d\r\n'],
        {
          'x-total-count': '3',
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="sightline-traces-now.csv"',
        },
        sent,
      ),
    });
    expect(JSON.parse(sent[0].body as string)).toEqual({
      projectId: 'p1',
      format: 'csv',
      filter: { models: ['gpt-x'] },
      columns: ['id', 'name'],
    });
    expect(seen).toEqual([
      { rows: 0, total: 3 },
      { rows: 1, total: 3 },
      { rows: 3, total: 3 },
    ]);
    expect(file.name).toBe('sightline-traces-now.csv');
    expect(file.rows).toBe(3);
    expect(await file.blob.text()).toBe('id,name\r\nt1,a\r\nt2,"b\nc"\r\nt3,d\r\n');
  });

  it('stops reading when aborted mid-stream', async () => {
    const abort = new AbortController();
    const seen: ExportProgress[] = [];
    const run = runExport(request, {
      signal: abort.signal,
      onprogress: (p) => {
        seen.push(p);
        if (p.rows === 1) abort.abort();
      },
      fetch: async (url, init) => {
        const answer = await streaming(
          ['id\r\nt1\r\n', 't2\r\n', 't3\r\n'],
          { 'x-total-count': '3' },
          [],
        )(url, init);
        // A real fetch errors its body's reader on abort; this one does too.
        const reader = answer.body!.getReader();
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (init?.signal?.aborted) return controller.error(init.signal.reason);
            const next = await reader.read();
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          },
        });
        return new Response(body, { headers: answer.headers });
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(seen.at(-1)).toEqual({ rows: 1, total: 3 });
  });

  it('turns a refusal into an ExportError with the API message', async () => {
    const refused: typeof fetch = async () =>
      Response.json({ error: { code: 'invalid_filter', message: 'filter.from: bad date' } }, { status: 400 });
    const run = runExport(request, {
      signal: new AbortController().signal,
      onprogress: () => {},
      fetch: refused,
    });
    await expect(run).rejects.toEqual(new ExportError('filter.from: bad date', 400));
  });
});
