import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { CreateLoginLinkCommand } from '../src/auth/commands/sessions.commands';
import { BootstrapService } from '../src/auth/bootstrap.service';
import { SYSTEM } from '../src/control/control-events';
import { ControlPlane } from '../src/control/control-plane';
import { AppConfig } from '../src/config/app-config';
import { createApp } from '../src/create-app';
import { eventually } from './support/events';

/** A tiny cookie jar: what a browser would send back. */
class Browser {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly base: string) {}

  async fetch(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    if (this.csrf) headers.set('x-csrf-token', this.csrf);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    const res = await fetch(`${this.base}${path}`, {
      ...init,
      headers,
      redirect: 'manual',
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair.split('=');
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    return res;
  }

  async graphql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) {
    const res = await this.fetch('/graphql', { method: 'POST', json: { query, variables } });
    return (await res.json()) as { data?: T; errors?: { message: string; extensions: { code: string } }[] };
  }
}

describe('accounts, sessions and keys', () => {
  let app: NestExpressApplication;
  let base: string;
  let first: NonNullable<BootstrapService['firstStart']>;

  beforeAll(async () => {
    app = await createApp(
      new AppConfig({
        PORT: '0',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-auth-')),
        SIGHTLINE_UI_DIR: '',
        LOG_LEVEL: 'warn',
        API_RATE_LIMIT_RPS: '20',
      }),
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    first = app.get(BootstrapService).firstStart!;
  });
  afterAll(() => app?.close());

  const gateway = (key: string) =>
    fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mock-1', messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('first start: a one-time login link signs the admin in once, then asks for a password', async () => {
    const browser = new Browser(base);
    const path = new URL(first.loginUrl).pathname;
    const res = await browser.fetch(path);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/account?setPassword=1');
    const session = (await (await browser.fetch('/auth/session')).json()) as {
      user: { email: string };
      csrfToken: string;
    };
    expect(session.user.email).toBe(first.adminEmail);
    const again = await new Browser(base).fetch(path);
    expect(again.headers.get('location')).toBe('/login?error=link_invalid');
  });

  it('first start: the printed API key works on the gateway', async () => {
    expect((await gateway(first.apiKey)).status).toBe(200);
  });

  it('password login, CSRF on writes, key creation and revocation, logout', async () => {
    const browser = new Browser(base);
    // Set a password through a fresh link session, then sign in with it.
    const linkBrowser = new Browser(base);
    const token = await app.get(CommandBus).execute(new CreateLoginLinkCommand(SYSTEM, adminId()));
    await linkBrowser.fetch(`/auth/link/${token}`);
    linkBrowser.csrf = (
      (await (await linkBrowser.fetch('/auth/session')).json()) as { csrfToken: string }
    ).csrfToken;
    expect(
      (await linkBrowser.fetch('/auth/password', { method: 'POST', json: { password: 'short' } })).status,
    ).toBe(400);
    expect(
      (
        await linkBrowser.fetch('/auth/password', {
          method: 'POST',
          json: { password: 'correct horse battery' },
        })
      ).status,
    ).toBe(204);

    const wrong = await browser.fetch('/auth/login', {
      method: 'POST',
      json: { email: first.adminEmail, password: 'nope-nope-nope' },
    });
    expect(wrong.status).toBe(401);
    const ok = await browser.fetch('/auth/login', {
      method: 'POST',
      json: { email: first.adminEmail, password: 'correct horse battery' },
    });
    expect(ok.status).toBe(200);
    const csrf = ((await ok.json()) as { csrfToken: string }).csrfToken;

    const create = `mutation($p: ID!) { createApiKey(projectId: $p, name: "ci") { secret apiKey { id preview } } }`;
    const withoutCsrf = await browser.graphql(create, { p: first.projectId });
    expect(withoutCsrf.errors?.[0].extensions.code).toBe('CSRF');
    browser.csrf = csrf;
    const created = await browser.graphql<{
      createApiKey: { secret: string; apiKey: { id: string; preview: string } };
    }>(create, { p: first.projectId });
    const key = created.data!.createApiKey;
    expect(key.secret.startsWith(key.apiKey.preview.replace('…', ''))).toBe(true);
    expect((await gateway(key.secret)).status).toBe(200);

    // Last use is recorded in the background, coalesced per minute.
    const listed = await eventually(
      () =>
        browser.graphql<{ apiKeys: { id: string; lastUsedAt: string | null }[] }>(
          `query($p: ID!) { apiKeys(projectId: $p) { id lastUsedAt } }`,
          { p: first.projectId },
        ),
      (r) => !!r.data?.apiKeys.find((k) => k.id === key.apiKey.id)?.lastUsedAt,
    );
    expect(JSON.stringify(listed)).not.toContain(key.secret.slice(-20));

    await browser.graphql(
      `mutation($p: ID!, $id: ID!) { revokeApiKey(projectId: $p, id: $id) { revokedAt } }`,
      {
        p: first.projectId,
        id: key.apiKey.id,
      },
    );
    const refused = await gateway(key.secret);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');

    expect((await browser.fetch('/auth/logout', { method: 'POST' })).status).toBe(204);
    expect((await browser.fetch('/auth/session')).status).toBe(401);
  });

  it('locks out brute force with 429 and retry-after', async () => {
    const browser = new Browser(base);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const res = await browser.fetch('/auth/login', {
        method: 'POST',
        json: { email: 'victim@example.com', password: `guess-${i}-guess` },
      });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('answers a wrong key the same whether or not anything exists', async () => {
    const bodies = await Promise.all(
      ['sl_pk_AAAAAAAAAAAA_' + 'A'.repeat(43), `${first.apiKey.slice(0, -4)}AAAA`, 'garbage'].map(
        async (k) => {
          const res = await gateway(k);
          return `${res.status} ${await res.text()}`;
        },
      ),
    );
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toMatch(/^401 /);
  });

  it('invites a viewer who signs up through the link and can read but not administer', async () => {
    const admin = new Browser(base);
    const token = await app.get(CommandBus).execute(new CreateLoginLinkCommand(SYSTEM, adminId()));
    await admin.fetch(`/auth/link/${token}`);
    admin.csrf = ((await (await admin.fetch('/auth/session')).json()) as { csrfToken: string }).csrfToken;
    const invite = await admin.graphql<{ createInvite: { url: string } }>(
      `mutation($p: ID!) { createInvite(projectId: $p, role: VIEWER, email: "viewer@example.com") { url } }`,
      { p: first.projectId },
    );
    const inviteToken = invite.data!.createInvite.url.split('/invite/')[1];

    const viewer = new Browser(base);
    const info = await viewer.fetch(`/auth/invites/${inviteToken}`);
    expect(((await info.json()) as { role: string }).role).toBe('viewer');
    const accepted = await viewer.fetch(`/auth/invites/${inviteToken}/accept`, {
      method: 'POST',
      json: { email: 'viewer@example.com', name: 'V', password: 'viewer password 1' },
    });
    expect(accepted.status).toBe(200);
    viewer.csrf = ((await accepted.json()) as { csrfToken: string }).csrfToken;
    const reuse = await new Browser(base).fetch(`/auth/invites/${inviteToken}/accept`, {
      method: 'POST',
      json: { email: 'viewer@example.com', name: 'V', password: 'viewer password 1' },
    });
    expect(reuse.status).toBe(400);

    const read = await viewer.graphql(
      `query($p: ID!) { generations(projectId: $p, first: 5) { edges { cursor } } }`,
      {
        p: first.projectId,
      },
    );
    expect(read.errors).toBeUndefined();
    const write = await viewer.graphql(
      `mutation($p: ID!) { createApiKey(projectId: $p, name: "x") { secret } }`,
      {
        p: first.projectId,
      },
    );
    expect(write.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('accepting an invite never demotes an owner, whoever sent it (issue 8.5)', async () => {
    const p = first.projectId;
    const owner = new Browser(base);
    await owner.fetch(
      `/auth/link/${await app.get(CommandBus).execute(new CreateLoginLinkCommand(SYSTEM, adminId()))}`,
    );
    owner.csrf = ((await (await owner.fetch('/auth/session')).json()) as { csrfToken: string }).csrfToken;
    const invite = async (from: Browser, role: string) =>
      (
        await from.graphql<{ createInvite: { url: string } }>(
          `mutation($p: ID!, $r: Role!) { createInvite(projectId: $p, role: $r) { url } }`,
          { p, r: role },
        )
      ).data!.createInvite.url.split('/invite/')[1];
    const accept = async (as: Browser, token: string, json: Record<string, string> = {}) => {
      const res = await as.fetch(`/auth/invites/${token}/accept`, { method: 'POST', json });
      expect(res.status).toBe(200);
      as.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    };
    const roleOfOwner = async () =>
      (
        await owner.graphql<{ project: { role: string } }>(
          `query($p: ID!) { project(projectId: $p) { role } }`,
          { p },
        )
      ).data!.project.role;

    const admin = new Browser(base);
    await accept(admin, await invite(owner, 'ADMIN'), {
      email: 'second-admin@example.com',
      name: 'A',
      password: 'admin password 1',
    });
    // The sole owner follows their own viewer link, then the admin's: still the owner.
    for (const from of [owner, admin]) {
      await accept(owner, await invite(from, 'VIEWER'));
      expect(await roleOfOwner()).toBe('OWNER');
    }
    const direct = await admin.graphql(
      `mutation($p: ID!, $u: ID!) { setMemberRole(projectId: $p, userId: $u, role: VIEWER) { role } }`,
      { p, u: adminId() },
    );
    expect(direct.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'role_too_high' });
    expect(await roleOfOwner()).toBe('OWNER');
  });

  it('rejects an overly deep or aliased GraphQL query before execution', async () => {
    const key = { authorization: `Bearer ${first.apiKey}`, 'content-type': 'application/json' };
    const aliases = Array.from(
      { length: 30 },
      (_, i) => `a${i}: generations(first: 1) { edges { cursor } }`,
    ).join(' ');
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: key,
      body: JSON.stringify({ query: `{ ${aliases} }` }),
    });
    const body = (await res.json()) as { errors: { extensions: { code: string } }[]; data?: unknown };
    expect(body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(body.data).toBeUndefined();
  });

  const adminId = (): string => app.get(ControlPlane).current.userIdsByEmail.get(first.adminEmail)!;

  // Last: it spends this process's per-IP API budget.
  it('rate-limits the API per caller with 429, retry-after and a stable code', async () => {
    // 20 rps with bursts of 40: 400 requests at once stay over the budget unless they take 18 s to
    // arrive, so a loaded machine (2 shared cores) cannot make this pass by accident of timing.
    const results = await Promise.all(
      Array.from({ length: 400 }, () =>
        fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ viewer { user { id } } }' }),
        }),
      ),
    );
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThan(0);
    expect(
      ((await limited[0].json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code,
    ).toBe('TOO_MANY_REQUESTS');
  });

  it('answers an oversized GraphQL body with 413 and a stable code', async () => {
    await new Promise((r) => setTimeout(r, 2500)); // let the bucket refill after the flood above
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${first.apiKey}` },
      body: JSON.stringify({ query: '{ project { id } }', padding: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(
      ((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code,
    ).toBe('REQUEST_TOO_LARGE');
  });
});
