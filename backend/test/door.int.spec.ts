import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouse } from '../src/clickhouse/clickhouse';
import { MAX_BODY_DEPTH } from '../src/common/json-depth';
import { AppConfig } from '../src/config/app-config';
import { createApp } from '../src/create-app';
import { createTestProject } from './support/accounts';
import { eventually } from './support/events';

// Shaped like the real formats, made fresh each run (none of them is a real credential).
const upperAlnum = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
const alnum = (n: number) =>
  randomBytes(n * 2)
    .toString('base64')
    .replace(/[+/=]/g, '')
    .slice(0, n);
const SECRETS = {
  openai: `sk-proj-${alnum(48)}`,
  awsAccessKeyId: `AKIA${upperAlnum(16)}`,
  github: `ghp_${alnum(36)}`,
  slack: `xoxb-${Date.now()}12-${Date.now()}123-${alnum(24)}`,
  jwt: `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.${randomBytes(32).toString('base64url')}`,
};

/**
 * What the gateway lets into the log: secrets anywhere are masked, text that ClickHouse cannot take
 * is normalised, and bodies nested past the limit are refused — on the embedded log with chDB.
 */
describe('the door to the log', () => {
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  let projectId: string;

  beforeAll(async () => {
    const config = new AppConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-door-')),
      SIGHTLINE_UI_DIR: '',
      MOCK_TOKEN_INTERVAL_MS: '0',
      LOG_LEVEL: 'warn',
      API_RATE_LIMIT_RPS: '10000',
    });
    app = await createApp(config);
    ({ apiKey, projectId } = await createTestProject(app, 'door'));
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  const post = (path: string, body: string | object) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  /** The generation's row in ClickHouse, once projected. */
  const row = (spanId: string) =>
    eventually(
      () =>
        app
          .get(ClickHouse)
          .query<Record<string, unknown>>(
            'SELECT * FROM generations WHERE project_id = {p:String} AND span_id = {s:String}',
            { p: projectId, s: spanId },
          ),
      (rows) => rows.length === 1,
    ).then((rows) => rows[0]);

  /** The span's events as archived: the log's records, copied verbatim by the archive projection. */
  const archived = (spanId: string, count: number) =>
    eventually(
      () =>
        app
          .get(ClickHouse)
          .query<{ data: string; end_user_id: string }>(
            'SELECT data, end_user_id FROM events WHERE project_id = {p:String} AND span_id = {s:String}',
            { p: projectId, s: spanId },
          ),
      (rows) => rows.length === count,
    ).then((rows) => rows.map((r) => JSON.stringify(r)));

  it('masks secrets in every free-text field, in the log and in ClickHouse; ordinary text is kept', async () => {
    const all = Object.values(SECRETS).join(' ');
    const res = await post('/v1/chat/completions', {
      model: 'mock-1',
      user: SECRETS.awsAccessKeyId,
      metadata: { note: `deploy with ${SECRETS.github}`, plain: 'ordinary words' },
      tools: [
        {
          type: 'function',
          function: { name: 'lookup', description: `uses ${SECRETS.slack}`, parameters: { type: 'object' } },
        },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: `keep this sentence ${SECRETS.jwt}` }] },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'lookup', arguments: JSON.stringify({ token: SECRETS.openai }) },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: `result: ${all}` },
      ],
    });
    expect(res.status).toBe(200);
    const spanId = res.headers.get('x-sightline-span-id')!;
    const stored = [JSON.stringify(await row(spanId)), ...(await archived(spanId, 2))];
    for (const text of stored) {
      for (const [name, secret] of Object.entries(SECRETS)) {
        expect({ name, found: text.includes(secret) }).toEqual({ name, found: false });
      }
      expect(text).toContain('[REDACTED]');
    }
    expect(stored[0]).toContain('keep this sentence');
    expect(stored[0]).toContain('ordinary words');
  });

  it('records a lone surrogate as U+FFFD (NUL kept) and still projects the generation', async () => {
    const res = await post(
      '/v1/chat/completions',
      // Escapes as they arrive on the wire: JSON allows a lone surrogate, Unicode does not.
      '{"model":"mock-1","user":"u\\ud800ser","messages":[{"role":"user","content":"a\\udc00b \\u0000 end"}]}',
    );
    expect(res.status).toBe(200);
    const generation = await row(res.headers.get('x-sightline-span-id')!);
    expect(generation.user_id).toBe('u\uFFFDser');
    expect(JSON.parse(generation.input as string)).toEqual([
      { role: 'user', content: 'a\uFFFDb \u0000 end' },
    ]);
  });

  const nested = (depth: number, open: string, close: string, inner = '1') =>
    open.repeat(depth) + inner + close.repeat(depth);

  it.each([
    ['arrays', nested(3000, '[', ']')],
    ['objects', nested(3000, '{"a":', '}')],
  ])('answers a gateway body of deeply nested %s with a 400 in OpenAI shape', async (_kind, deep) => {
    const res = await post(
      '/v1/chat/completions',
      `{"model":"mock-1","messages":[{"role":"user","content":[{"type":"text","text":"x","extra":${deep}}]}]}`,
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string; type: string; code: string } };
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'body_too_deep' });
    expect(error.message).toContain(`${MAX_BODY_DEPTH} levels`);
  });

  it('accepts nesting up to the limit, brackets inside strings not counted', async () => {
    const content = [
      { type: 'text', text: '[[[[{{{{'.repeat(100), deep: JSON.parse(nested(MAX_BODY_DEPTH - 5, '[', ']')) },
    ];
    const res = await post('/v1/chat/completions', {
      model: 'mock-1',
      messages: [{ role: 'user', content }],
    });
    expect(res.status).toBe(200);
    await row(res.headers.get('x-sightline-span-id')!);
  });

  // 1,000 levels: deep enough, and under /auth's 16 kB size cap.
  it.each([
    ['arrays', nested(1000, '[', ']')],
    ['objects', nested(1000, '{"a":', '}')],
  ])(
    'answers GraphQL and REST bodies of deeply nested %s with a 400 and a stable code',
    async (_kind, deep) => {
      for (const path of ['/graphql', '/auth/login']) {
        const res = await post(path, `{"query":"{ viewer { id } }","variables":{"v":${deep}}}`);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        const { errors } = (await res.json()) as {
          errors: { message: string; extensions: { code: string } }[];
        };
        expect(errors[0].extensions.code).toBe('BAD_REQUEST');
        expect(errors[0].message).toContain(`${MAX_BODY_DEPTH} levels`);
      }
    },
  );
});
