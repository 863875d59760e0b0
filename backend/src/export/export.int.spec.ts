import type { NestExpressApplication } from '@nestjs/platform-express';
import { QueryBus } from '@nestjs/cqrs';
import { parse as parseCsv } from 'csv-parse/sync';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestProject } from '../../test/support/accounts';
import { call, projectAll, type Call } from '../../test/support/generation-world';
import { login } from '../../test/isolation/world';
import { ClickHouse } from '../clickhouse/clickhouse';
import { AppConfig } from '../config/app-config';
import { createApp } from '../create-app';
import { ListGenerationsQuery } from '../generations/list-generations.query';
import { ListTracesQuery } from '../traces/trace-queries';
import { EXPORT_PAGE_ROWS } from './export-rows';

/** Outputs a CSV writer must quote, escape or keep byte for byte. */
const TRICKY = [
  'a, b, and c',
  'she said "hi", then "bye"',
  'line one\nline two\r\nline three',
  'unicode: naïve café — 東京 🚀',
  '"',
];
/** More than a page, so every export crosses a keyset page boundary. */
const ROWS = EXPORT_PAGE_ROWS + 23;

describe('export of traces and generations as CSV and JSONL (chDB, over HTTP)', () => {
  let app: NestExpressApplication;
  let base: string;
  let a: Awaited<ReturnType<typeof createTestProject>>;
  let b: Awaited<ReturnType<typeof createTestProject>>;
  const at = (i: number) => new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString();

  beforeAll(async () => {
    app = await createApp(
      new AppConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-export-')),
        SIGHTLINE_UI_DIR: '',
        LOG_LEVEL: 'error',
      }),
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    a = await createTestProject(app, 'export-a');
    b = await createTestProject(app, 'export-b');
    const calls: Call[] = [
      ...Array.from({ length: ROWS }, (_, i) => ({
        name: `a${String(i).padStart(4, '0')}`,
        project: a.projectId,
        model: i % 3 === 0 ? 'claude-x' : 'gpt-x',
        day: at(i),
        tags: i % 2 ? ['odd'] : [],
        output: i < TRICKY.length ? TRICKY[i] : `answer ${i}`,
      })),
      { name: 'formula', project: a.projectId, model: 'formula', day: at(ROWS), output: '=HYPERLINK("x")' },
      { name: 'bravo1', project: b.projectId, model: 'gpt-x', day: at(1), output: 'bravo secret' },
    ];
    await projectAll(app.get(ClickHouse), calls.flatMap(call), 'export');
  }, 120_000);
  afterAll(() => app?.close());

  const get = (path: string, key = a.apiKey, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}`, ...headers } });
  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const filterParam = (filter: unknown) => encodeURIComponent(JSON.stringify(filter));

  it('streams the filtered generations as CSV: count first, quotes/commas/newlines/unicode intact, every row once across pages', async () => {
    const res = await get(
      `/api/export/generations?format=csv&columns=id,model,output,tags&filter=${filterParam({ models: ['gpt-x', 'claude-x'] })}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="sightline-generations-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.csv"$/,
    );
    expect(res.headers.get('x-total-count')).toBe(String(ROWS));
    const [header, ...rows] = parseCsv(await res.text(), { relax_column_count: false }) as string[][];
    expect(header).toEqual(['id', 'model', 'output', 'tags']);
    expect(rows).toHaveLength(ROWS);
    const ids = rows.map((r) => r[0]);
    expect(new Set(ids).size).toBe(ROWS);
    // Newest first, across the page boundary.
    expect(ids).toEqual(
      Array.from({ length: ROWS }, (_, i) => `a${String(ROWS - 1 - i).padStart(4, '0')}-g`),
    );
    const byId = new Map(rows.map((r) => [r[0], r]));
    TRICKY.forEach((text, i) => expect(byId.get(`a000${i}-g`)![2]).toBe(text));
    expect(byId.get('a0001-g')![3]).toBe('["odd"]');
    expect(byId.get('a0000-g')![1]).toBe('claude-x');
  });

  it('escapes cells a spreadsheet would run as formulas', async () => {
    const res = await get(
      `/api/export/generations?columns=output&filter=${filterParam({ models: ['formula'] })}`,
    );
    expect(parseCsv(await res.text())).toEqual([['output'], [`'=HYPERLINK("x")`]]);
  });

  it('round-trips JSONL: each line is the GraphQL list row with the chosen fields, also past a page', async () => {
    const res = await post(
      '/api/export/traces',
      { format: 'jsonl', columns: ['id', 'startedAt', 'outputPreview', 'tags', 'totalCost', 'latencyMs'] },
      { authorization: `Bearer ${a.apiKey}` },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const text = await res.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(ROWS + 1);
    const listed = await app
      .get(QueryBus)
      .execute(
        new ListTracesQuery(a.projectId, {}, { field: 'STARTED_AT', direction: 'DESC' }, ROWS + 1, undefined),
      );
    expect(lines).toEqual(
      listed.edges.map(({ node }) => ({
        id: node.id,
        startedAt: node.startedAt,
        outputPreview: node.outputPreview,
        tags: node.tags,
        totalCost: node.totalCost,
        latencyMs: node.latencyMs,
      })),
    );
    expect(lines.find((l) => l.id === 'a0003')!.outputPreview).toContain('naïve café — 東京 🚀');
  });

  it('exports only what the filter matches, and only the caller project', async () => {
    const res = await get(
      `/api/export/generations?format=jsonl&columns=id,model,tags&filter=${filterParam({ models: ['claude-x'], tags: ['odd'] })}`,
    );
    const rows = (await res.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; model: string; tags: string[] });
    const expected = Array.from({ length: ROWS }, (_, i) => i).filter((i) => i % 3 === 0 && i % 2 === 1);
    expect(res.headers.get('x-total-count')).toBe(String(expected.length));
    expect(rows.map((r) => r.id).sort()).toEqual(
      expected.map((i) => `a${String(i).padStart(4, '0')}-g`).sort(),
    );
    expect(rows.every((r) => r.model === 'claude-x' && r.tags.includes('odd'))).toBe(true);

    const all = await (await get('/api/export/generations?format=jsonl&columns=id,output')).text();
    expect(all).not.toContain('bravo');
  });

  it("answers another project's export as not found, and the session of a member with its project", async () => {
    const cross = await get(`/api/export/traces?projectId=${b.projectId}`);
    expect(cross.status).toBe(404);
    const viaHeader = await get('/api/export/traces', a.apiKey, { 'x-sightline-project-id': b.projectId });
    expect(viaHeader.status).toBe(404);
    expect(await viaHeader.text()).not.toContain('bravo');

    const session = await login(base, a.user.email, a.password);
    const mine = await fetch(`${base}/api/export/traces?projectId=${a.projectId}&columns=id`, {
      headers: { cookie: session.cookie },
    });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('x-total-count')).toBe(String(ROWS + 1));
    const theirs = await fetch(`${base}/api/export/traces?projectId=${b.projectId}`, {
      headers: { cookie: session.cookie },
    });
    expect(theirs.status).toBe(404);
  });

  it('refuses missing credentials (401), a session POST without its CSRF token (403) and bad input (400) in JSON', async () => {
    const anonymous = await fetch(`${base}/api/export/traces`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      error: { code: 'unauthenticated', message: expect.any(String) },
    });
    expect((await get('/api/export/traces', 'sl_pk_nope_nope')).status).toBe(401);

    const session = await login(base, a.user.email, a.password);
    const noCsrf = await post('/api/export/traces', { projectId: a.projectId }, { cookie: session.cookie });
    expect(noCsrf.status).toBe(403);
    const withCsrf = await post(
      '/api/export/traces',
      { projectId: a.projectId, columns: ['id'] },
      { cookie: session.cookie, 'x-csrf-token': session.csrf ?? '' },
    );
    expect(withCsrf.status).toBe(200);
    // A body that is not an object is refused, not read as "no fields" (an export of everything).
    for (const body of [[{ columns: ['id'] }], 'id', 7]) {
      const notObject = await post('/api/export/traces', body, {
        cookie: session.cookie,
        'x-csrf-token': session.csrf ?? '',
      });
      expect([body, notObject.status]).toEqual([body, 400]);
      expect(((await notObject.json()) as { error: { code: string } }).error.code).toBe('invalid_body');
    }

    const cases: [string, string, string][] = [
      ['/api/export/traces?columns=id,nope', 'unknown_column', 'columns'],
      ['/api/export/traces?columns=id,id', 'invalid_columns', 'columns'],
      ['/api/export/traces?format=xml', 'invalid_format', 'format: must be csv or jsonl'],
      ['/api/export/spans', 'unknown_export', 'traces or generations'],
      [
        `/api/export/traces?filter=${filterParam({ model: ['x'] })}`,
        'invalid_filter',
        'filter: Field "model" is not defined',
      ],
      [`/api/export/traces?filter=${filterParam({ from: 'yesterday' })}`, 'invalid_filter', 'filter.from'],
      [
        `/api/export/generations?filter=${filterParam({ statuses: ['SLEEPING'] })}`,
        'invalid_filter',
        'filter.statuses',
      ],
      ['/api/export/traces?filter={not json', 'invalid_filter', 'filter: must be JSON'],
      // Beyond 2^53 chDB cannot bind the number: a 400 here, never a 500.
      [
        `/api/export/generations?filter=${filterParam({ cost: { min: 1e20 } })}`,
        'invalid_filter',
        'filter.cost.min',
      ],
      [
        `/api/export/traces?filter=${filterParam({ totalTokens: { min: 1e20 } })}`,
        'invalid_filter',
        'filter.totalTokens.min',
      ],
    ];
    for (const [path, code, param] of cases) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 400]);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect([path, body.error.code]).toEqual([path, code]);
      expect(body.error.message).toContain(param);
    }
  });

  it('reads keyset pages of EXPORT_PAGE_ROWS rows, never the whole set in one query', async () => {
    const queries = jest.spyOn(app.get(QueryBus), 'execute');
    try {
      const res = await get('/api/export/generations?format=jsonl&columns=id');
      expect((await res.text()).trimEnd().split('\n')).toHaveLength(ROWS + 1);
      const pages = queries.mock.calls
        .map(([q]) => q)
        .filter((q): q is ListGenerationsQuery => q instanceof ListGenerationsQuery);
      expect(pages.map((q) => q.first)).toEqual([EXPORT_PAGE_ROWS, EXPORT_PAGE_ROWS]);
      expect(pages[0].after).toBeUndefined();
      expect(pages[1].after).toEqual(expect.any(String));
    } finally {
      queries.mockRestore();
    }
  });
});
