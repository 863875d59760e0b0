/**
 * A project's own provider key through the gateway: project A's calls reach A's provider with A's
 * key, project B's the instance's provider with the instance's key (both fake OpenAI servers that
 * refuse any other key); a rotation takes effect at once, a removal falls back to the instance.
 * The key reaches neither the caller nor the recorded generation.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CommandBus } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { createApp } from '../create-app';
import { createTestProject } from '../../test/support/accounts';
import { eventually } from '../../test/support/events';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';
import {
  AddProviderCredentialCommand,
  RemoveProviderCredentialCommand,
  RotateProviderCredentialCommand,
} from './credentials.commands';
import { TestProviderCredentialCommand } from './test-credential.command';

const INSTANCE_KEY = 'sk-instance-env-key-0001';
const newSecret = () => `sk-project-${randomBytes(18).toString('base64url')}`;

describe('a project key through the gateway', () => {
  let app: NestExpressApplication;
  let base: string;
  let instance: FakeOpenAiServer;
  let projects: FakeOpenAiServer[] = [];
  let alpha: Awaited<ReturnType<typeof createTestProject>>;
  let bravo: Awaited<ReturnType<typeof createTestProject>>;

  beforeAll(async () => {
    instance = await startFakeOpenAiServer({ apiKey: INSTANCE_KEY });
    app = await createApp(
      new AppConfig({
        PORT: '0',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-credentials-gateway-')),
        SIGHTLINE_UI_DIR: '',
        LOG_LEVEL: 'warn',
        API_RATE_LIMIT_RPS: '10000',
        GATEWAY_RATE_LIMIT_RPS: '10000',
        OPENAI_BASE_URL: instance.url,
        OPENAI_API_KEY: INSTANCE_KEY,
      }),
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    alpha = await createTestProject(app, 'alpha');
    bravo = await createTestProject(app, 'bravo');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([instance, ...projects].map((f) => f?.close()));
  });

  const owner = (p: typeof alpha) => ({ userId: p.user.userId, via: 'session' as const });

  /** A fake OpenAI server that accepts only `secret`, stored as `project`'s OpenAI key with its URL. */
  async function projectKey(project: typeof alpha, secret: string) {
    const provider = await startFakeOpenAiServer({ apiKey: secret });
    projects = [...projects, provider];
    const credential = await app.get(CommandBus).execute(
      new AddProviderCredentialCommand(owner(project), project.projectId, {
        provider: 'openai',
        label: `${project.user.name} key`,
        secret: { apiKey: secret },
        baseUrl: provider.url,
        settings: {},
        weight: 1,
      }),
    );
    return { provider, credentialId: credential.credentialId };
  }

  const chat = (apiKey: string, content: string) =>
    fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }),
    });
  it("uses A's key for A and the instance's for B; a rotation and a removal take effect at once", async () => {
    const first = newSecret();
    const { provider: alphaProvider, credentialId } = await projectKey(alpha, first);

    const a = await chat(alpha.apiKey, 'from alpha');
    const aText = await a.text();
    expect([a.status, aText]).toEqual([200, expect.any(String)]);
    expect(alphaProvider.requests.at(-1)!.headers.authorization).toBe(`Bearer ${first}`);
    expect(aText).not.toContain(first);

    const b = await chat(bravo.apiKey, 'from bravo');
    expect([b.status, await b.text()]).toEqual([200, expect.any(String)]);
    expect(instance.requests.at(-1)!.headers.authorization).toBe(`Bearer ${INSTANCE_KEY}`);
    expect(instance.requests.some((r) => JSON.stringify(r.body).includes('from alpha'))).toBe(false);
    expect(alphaProvider.requests.some((r) => JSON.stringify(r.body).includes('from bravo'))).toBe(false);

    // Rotated: the very next call carries the new key (which A's fake provider, still expecting
    // the first one, refuses: the refusal is the provider's, passed on).
    const second = newSecret();
    await app.get(CommandBus).execute(
      new RotateProviderCredentialCommand(owner(alpha), alpha.projectId, credentialId, {
        apiKey: second,
      }),
    );
    const afterRotation = await chat(alpha.apiKey, 'after rotation');
    expect(afterRotation.status).toBe(401);
    expect(await afterRotation.text()).not.toContain(second);
    expect(alphaProvider.requests.at(-1)!.headers.authorization).toBe(`Bearer ${second}`);

    // Removed: A falls back to the instance's provider and key.
    await app
      .get(CommandBus)
      .execute(new RemoveProviderCredentialCommand(owner(alpha), alpha.projectId, credentialId));
    const afterRemoval = await chat(alpha.apiKey, 'after removal');
    expect([afterRemoval.status, await afterRemoval.text()]).toEqual([200, expect.any(String)]);
    expect(instance.requests.at(-1)!.headers.authorization).toBe(`Bearer ${INSTANCE_KEY}`);
    expect(JSON.stringify(instance.requests.at(-1)!.body)).toContain('after removal');
  }, 30_000);

  it('records no provider key in the generations', async () => {
    const secret = newSecret();
    await projectKey(bravo, secret);
    const res = await chat(bravo.apiKey, 'recorded call');
    expect([res.status, await res.text()]).toEqual([200, expect.any(String)]);
    const generations = await eventually(
      async () => {
        const answer = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bravo.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            query: '{ generations(first: 50) { edges { node { id input output provider } } } }',
          }),
        });
        return answer.text();
      },
      (text) => text.includes('recorded call'),
    );
    expect(generations).not.toContain(secret);
  }, 30_000);

  it('tests a connection: accepted, refused with the key masked, unreachable', async () => {
    const commands = app.get(CommandBus);
    const secret = newSecret();
    const { credentialId } = await projectKey(alpha, secret);
    const test = () =>
      commands.execute(new TestProviderCredentialCommand(alpha.projectId, credentialId, 'gpt-4o-mini'));
    expect(await test()).toMatchObject({ ok: true, status: 200, message: 'ok' });

    const wrong = newSecret();
    await commands.execute(
      new RotateProviderCredentialCommand(owner(alpha), alpha.projectId, credentialId, { apiKey: wrong }),
    );
    const refused = await test();
    expect(refused).toMatchObject({
      ok: false,
      status: 401,
      message: expect.stringContaining('Incorrect API key'),
    });
    expect(refused.message).not.toContain(wrong);

    const closed = await commands.execute(
      new AddProviderCredentialCommand(owner(alpha), alpha.projectId, {
        provider: 'openai',
        label: 'nowhere',
        secret: { apiKey: newSecret() },
        baseUrl: 'http://127.0.0.1:1/v1',
        settings: {},
        weight: 1,
      }),
    );
    const unreachable = await commands.execute(
      new TestProviderCredentialCommand(alpha.projectId, closed.credentialId, 'gpt-4o-mini'),
    );
    expect(unreachable).toMatchObject({ ok: false, status: null });
    await expect(
      commands.execute(new TestProviderCredentialCommand(bravo.projectId, credentialId, 'gpt-4o-mini')),
    ).rejects.toMatchObject({ reason: 'credential_not_found' });
  }, 30_000);
});
