import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestProject } from '../../../test/support/accounts';
import { login } from '../../../test/isolation/world';
import { AppConfig } from '../../config/app-config';
import { createApp } from '../../create-app';
import { contentSecurityPolicy } from '../../security/security-headers';

const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('/graphql opened in a browser', () => {
  let app: NestExpressApplication;
  let base: string;
  let project: Awaited<ReturnType<typeof createTestProject>>;

  beforeAll(async () => {
    app = await createApp(
      new AppConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-explorer-')),
        SIGHTLINE_UI_DIR: '',
        LOG_LEVEL: 'error',
      }),
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    project = await createTestProject(app, 'explorer');
  }, 60_000);
  afterAll(() => app?.close());

  it('tells a visitor who is not signed in what to do, with no stack or server path', async () => {
    const res = await fetch(`${base}/graphql`, { headers: BROWSER });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('href="/login"');
    expect(html).not.toMatch(/csrf|node_modules|at .*\.js/i);
  });

  it('serves GraphiQL to a signed-in member, with its scripts from this server', async () => {
    const session = await login(base, project.user.email, project.password);
    const res = await fetch(`${base}/graphql`, { headers: { ...BROWSER, cookie: session.cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/graphql\/explorer\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets).toHaveLength(5);
    for (const asset of assets) {
      const file = await fetch(`${base}${asset}`);
      expect([asset, file.status]).toEqual([asset, 200]);
      expect((await file.text()).length).toBeGreaterThan(100);
    }
  });

  it("lets GraphiQL's embedded data: fonts load on its page only, the rest of the policy unchanged", async () => {
    const session = await login(base, project.user.email, project.password);
    const explorer = await fetch(`${base}/graphql`, { headers: { ...BROWSER, cookie: session.cookie } });
    const policy = explorer.headers.get('content-security-policy') ?? '';
    expect(policy.split('; ')).toContain("font-src 'self' data:");
    expect(policy.split('; ').filter((d) => !d.startsWith('font-src'))).toEqual(
      contentSecurityPolicy().split('; '),
    );
    // What the policy allows is what the stylesheet embeds: data: fonts, nothing fetched elsewhere.
    const css = await (await fetch(`${base}/graphql/explorer/graphiql.css`)).text();
    const fonts = [...css.matchAll(/@font-face\s*\{[^}]*?url\(["']?([a-z]+:|\/)/g)].map((m) => m[1]);
    expect(fonts.length).toBeGreaterThan(0);
    expect(new Set(fonts)).toEqual(new Set(['data:']));
    const signIn = await fetch(`${base}/graphql`, { headers: BROWSER });
    expect(signIn.headers.get('content-security-policy')).not.toContain('font-src');
  });

  it('leaves GraphQL itself alone: POST, and GET with a query, answer JSON as before', async () => {
    const post = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${project.apiKey}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await post.json()).toEqual({ data: { __typename: 'Query' } });
    const get = await fetch(`${base}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: {
        accept: 'application/json',
        'apollo-require-preflight': 'true',
        authorization: `Bearer ${project.apiKey}`,
      },
    });
    expect(get.headers.get('content-type')).toContain('application/json');
  });
});
