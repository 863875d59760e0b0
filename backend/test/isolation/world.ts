import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { CreateLoginLinkCommand } from '../../src/auth/commands/sessions.commands';
import { parseApiKey } from '../../src/control/credentials';
import { AppConfig } from '../../src/config/app-config';
import { SYSTEM } from '../../src/control/control-events';
import { createApp } from '../../src/create-app';
import { createTestProject } from '../support/accounts';
import { eventually } from '../support/events';
import {
  cookiesOf,
  graphqlHttp,
  httpRequest,
  type Credential,
  type GraphqlResult,
  type Outcome,
} from './client';
import { D } from './documents';

/** The ids a row aims at: B's real ones, or look-alikes that exist nowhere. */
export interface Target {
  readonly label: 'bravo' | 'nowhere';
  readonly projectId: string;
  readonly organizationId: string;
  readonly userId: string;
  readonly email: string;
  /** The public id of one of the tenant's API keys. */
  readonly keyId: string;
  /** The id of one of the tenant's provider credentials. */
  readonly credentialId: string;
  /** The id of one of the tenant's own models. */
  readonly modelId: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly endUserId: string;
  /** A `generations` cursor the tenant's own listing returned. */
  readonly cursor: string;
  /** The tenant's invite id with a guessed secret. */
  readonly guessedInviteToken: string;
  /** The tenant's login-link id with a guessed secret. */
  readonly guessedLinkToken: string;
}

export interface Generation {
  readonly spanId: string;
  readonly traceId: string;
  readonly prompt: string;
}

export interface Tenant {
  readonly userId: string;
  readonly email: string;
  password: string;
  readonly name: string;
  readonly organizationId: string;
  readonly projectId: string;
  readonly projectName: string;
  readonly apiKey: string;
  readonly keyId: string;
  readonly key: Credential;
  readonly session: Credential & { kind: 'session' };
  readonly generation: Generation;
}

export interface World {
  readonly app: NestExpressApplication;
  readonly base: string;
  readonly wsUrl: string;
  readonly alpha: Tenant & {
    /** An API key of A, revoked at setup. */
    readonly revokedKey: Credential;
    /** A session of A that logged out at setup. */
    readonly endedSession: Credential;
  };
  /** A viewer of project A, invited by A's owner and accepted through the REST invite flow. */
  readonly viewer: { readonly userId: string; readonly email: string; readonly session: Credential };
  readonly bravo: Tenant & {
    readonly secondKeyId: string;
    readonly secondKeyPreview: string;
    readonly inviteId: string;
    readonly inviteToken: string;
    readonly inviteEmail: string;
    readonly loginLinkToken: string;
    /** A provider credential of B and the secret B typed for it. */
    readonly credentialId: string;
    readonly providerSecret: string;
    /** A model of B's own, with a name only B uses (not secret: it carries no B data). */
    readonly modelId: string;
    readonly modelName: string;
    readonly endUserId: string;
    readonly cursor: string;
  };
  readonly targets: { readonly bravo: Target; readonly nowhere: Target };
  /** A well-formed API key that was never issued. */
  readonly unknownKey: Credential;
}

const secret = (): string => randomBytes(32).toString('base64url');
const fakeId = (prefix: string, bytes = 9): string => `${prefix}_${randomBytes(bytes).toString('base64url')}`;

export async function startApp(): Promise<{ app: NestExpressApplication; base: string; wsUrl: string }> {
  const config = new AppConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-isolation-')),
    SIGHTLINE_UI_DIR: '',
    MOCK_TOKEN_INTERVAL_MS: '1',
    LOG_LEVEL: 'warn',
    GATEWAY_RATE_LIMIT_RPS: '100000',
    API_RATE_LIMIT_RPS: '100000',
    GATEWAY_REFUSAL_WINDOW_MS: '50',
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, base: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/graphql` };
}

/** Fails unless the GraphQL call returned data without errors. */
export function dataOf<T = Record<string, unknown>>(outcome: Outcome): T {
  const result: GraphqlResult | undefined = outcome.gql;
  if (!result?.data || result.errors?.length) throw new Error(`GraphQL call failed: ${outcome.text}`);
  return result.data as T;
}

export async function login(base: string, email: string, password: string) {
  const res = await httpRequest(base, { kind: 'none' }, 'POST', '/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.text}`);
  return sessionFrom(res);
}

/** The session a login or an invite acceptance started. */
export function sessionFrom(res: Outcome): Credential & { kind: 'session' } {
  const cookies = cookiesOf(res.setCookies ?? []);
  const body = res.body as { csrfToken: string };
  if (!cookies.sl_session || !body.csrfToken) throw new Error(`no session in ${res.text}`);
  return { kind: 'session', cookie: `sl_session=${cookies.sl_session}`, csrf: body.csrfToken };
}

/** A completion through the gateway; returns its span and trace ids. */
export async function chat(
  base: string,
  credential: Credential,
  prompt: string,
  extra: { user?: string; headers?: Record<string, string> } = {},
): Promise<Generation> {
  const res = await httpRequest(base, credential, 'POST', '/v1/chat/completions', {
    body: { model: 'mock-1', user: extra.user, messages: [{ role: 'user', content: prompt }] },
    headers: extra.headers,
  });
  if (res.status !== 200) throw new Error(`chat failed: ${res.text}`);
  return {
    spanId: res.headers!['x-sightline-span-id'],
    traceId: res.headers!['x-sightline-trace-id'],
    prompt,
  };
}

export interface GenerationNode {
  readonly id: string;
  readonly projectId: string;
  readonly traceId: string;
  readonly input: string;
  readonly output: string | null;
}

interface GenerationPage {
  generations: {
    edges: { cursor: string; node: GenerationNode }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** The newest page of generations (enough to find one just sent). */
export async function listGenerations(base: string, credential: Credential, projectId?: string) {
  const data = dataOf<GenerationPage>(
    await graphqlHttp(base, credential, D.generations, { p: projectId ?? null }),
  );
  return data.generations.edges;
}

/** Every generation, page after page. */
export async function listAllGenerations(base: string, credential: Credential, projectId?: string) {
  const all: GenerationNode[] = [];
  for (let after: string | null = null; ;) {
    const page: GenerationPage = dataOf<GenerationPage>(
      await graphqlHttp(base, credential, D.generations, { p: projectId ?? null, after }),
    );
    all.push(...page.generations.edges.map((e) => e.node));
    if (!page.generations.pageInfo.hasNextPage) return all;
    after = page.generations.pageInfo.endCursor;
  }
}

/** Waits until the generation with span `spanId` is listed for `credential`. */
export async function recorded(base: string, credential: Credential, spanId: string, projectId?: string) {
  const edges = await eventually(
    () => listGenerations(base, credential, projectId),
    (list) => list.some((e) => e.node.id === spanId),
  );
  return edges.find((e) => e.node.id === spanId)!;
}

async function tenant(app: NestExpressApplication, base: string, label: string, endUser?: string) {
  const created = await createTestProject(app, label);
  const keyId = parseApiKey(created.apiKey)!.keyId;
  const key: Credential = { kind: 'key', key: created.apiKey };
  const session = await login(base, created.user.email, created.password);
  const prompt = `${label}-prompt-${randomUUID()}`;
  const generation = await chat(base, key, prompt, { user: endUser });
  const listed = await recorded(base, key, generation.spanId);
  return {
    tenant: {
      userId: created.user.userId,
      email: created.user.email,
      password: created.password,
      name: created.user.name,
      organizationId: created.organizationId,
      projectId: created.projectId,
      projectName: '',
      apiKey: created.apiKey,
      keyId,
      key,
      session,
      generation,
    } satisfies Tenant,
    cursor: listed.cursor,
  };
}

/**
 * Two tenants (A = alpha, B = bravo) with owners, keys and data, and a viewer of A.
 * Everything of B a leak would show is collected by `bravoSecrets`.
 */
export async function buildWorld(app: NestExpressApplication, base: string, wsUrl: string): Promise<World> {
  const bravoEndUser = `bravo-end-user-${randomUUID()}`;
  const a = await tenant(app, base, 'alpha');
  const b = await tenant(app, base, 'bravo', bravoEndUser);
  const projectName = async (t: Tenant) =>
    dataOf<{ project: { name: string } }>(await graphqlHttp(base, t.key, D.project, { p: null })).project
      .name;
  const alphaTenant = { ...a.tenant, projectName: await projectName(a.tenant) };
  const bravoTenant = { ...b.tenant, projectName: await projectName(b.tenant) };

  // B: a second key and an open invite, through B's own session.
  const second = dataOf<{ createApiKey: { apiKey: { id: string; preview: string } } }>(
    await graphqlHttp(base, bravoTenant.session, D.createApiKey, {
      p: bravoTenant.projectId,
      name: 'bravo second key',
    }),
  ).createApiKey.apiKey;
  // B: a provider credential of its own.
  const providerSecret = `sk-bravo-${secret()}`;
  const credential = dataOf<{ addProviderCredential: { id: string } }>(
    await graphqlHttp(base, bravoTenant.session, D.addProviderCredential, {
      p: bravoTenant.projectId,
      input: { provider: 'openai', label: 'bravo openai key', secret: providerSecret },
    }),
  ).addProviderCredential;
  // Not a secret of B: A may send it (and see it echoed in the 404), it just must not reach B's model.
  const modelName = `own-model-${secret().slice(0, 8)}`;
  const projectModel = dataOf<{ addProjectModel: { projectModelId: string } }>(
    await graphqlHttp(base, bravoTenant.session, D.addProjectModel, {
      p: bravoTenant.projectId,
      input: { name: modelName, provider: 'openai', wireModel: `ft:gpt-4o-mini:${modelName}` },
    }),
  ).addProjectModel;
  const inviteEmail = `bravo-invitee-${randomUUID().slice(0, 8)}@example.com`;
  const invite = dataOf<{ createInvite: { id: string; url: string } }>(
    await graphqlHttp(base, bravoTenant.session, D.createInvite, {
      p: bravoTenant.projectId,
      role: 'MEMBER',
      email: inviteEmail,
    }),
  ).createInvite;
  const loginLinkToken = await app
    .get(CommandBus)
    .execute(new CreateLoginLinkCommand(SYSTEM, bravoTenant.userId));

  // A: a revoked key, and a viewer who joined through an invite.
  const revoked = dataOf<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
    await graphqlHttp(base, alphaTenant.session, D.createApiKey, {
      p: alphaTenant.projectId,
      name: 'alpha revoked key',
    }),
  ).createApiKey;
  dataOf(
    await graphqlHttp(base, alphaTenant.session, D.revokeApiKey, {
      p: alphaTenant.projectId,
      id: revoked.apiKey.id,
    }),
  );
  const ended = await login(base, alphaTenant.email, alphaTenant.password);
  const logout = await httpRequest(base, ended, 'POST', '/auth/logout');
  if (logout.status !== 204) throw new Error(`logout failed: ${logout.text}`);
  const viewerEmail = `alpha-viewer-${randomUUID().slice(0, 8)}@example.com`;
  const viewerInvite = dataOf<{ createInvite: { url: string } }>(
    await graphqlHttp(base, alphaTenant.session, D.createInvite, {
      p: alphaTenant.projectId,
      role: 'VIEWER',
      email: viewerEmail,
    }),
  ).createInvite;
  const accepted = await httpRequest(
    base,
    { kind: 'none' },
    'POST',
    `/auth/invites/${tokenOf(viewerInvite.url)}/accept`,
    { body: { email: viewerEmail, name: 'alpha viewer', password: `viewer-${randomUUID()}` } },
  );
  if (accepted.status !== 200) throw new Error(`viewer could not join: ${accepted.text}`);
  const viewerSession = sessionFrom(accepted);

  const inviteId = invite.id;
  const linkId = loginLinkToken.split('.')[0];
  const bravoTarget: Target = {
    label: 'bravo',
    projectId: bravoTenant.projectId,
    organizationId: bravoTenant.organizationId,
    userId: bravoTenant.userId,
    email: bravoTenant.email,
    keyId: bravoTenant.keyId,
    credentialId: credential.id,
    modelId: projectModel.projectModelId,
    traceId: bravoTenant.generation.traceId,
    spanId: bravoTenant.generation.spanId,
    endUserId: bravoEndUser,
    cursor: b.cursor,
    guessedInviteToken: `${inviteId}.${secret()}`,
    guessedLinkToken: `${linkId}.${secret()}`,
  };
  const nowhereTarget: Target = {
    label: 'nowhere',
    projectId: fakeId('prj'),
    organizationId: fakeId('org'),
    userId: fakeId('usr'),
    email: `nobody-${randomUUID().slice(0, 8)}@example.com`,
    keyId: fakeId('pk'),
    credentialId: fakeId('pc'),
    modelId: fakeId('pm'),
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    endUserId: `nobody-end-user-${randomUUID()}`,
    cursor: Buffer.from(JSON.stringify([new Date().toISOString(), randomBytes(8).toString('hex')])).toString(
      'base64url',
    ),
    guessedInviteToken: `${fakeId('inv')}.${secret()}`,
    guessedLinkToken: `${fakeId('lnk')}.${secret()}`,
  };

  return {
    app,
    base,
    wsUrl,
    alpha: { ...alphaTenant, revokedKey: { kind: 'key', key: revoked.secret }, endedSession: ended },
    viewer: {
      userId: dataOf<{ viewer: { user: { id: string } } }>(await graphqlHttp(base, viewerSession, D.viewer))
        .viewer.user.id,
      email: viewerEmail,
      session: viewerSession,
    },
    bravo: {
      ...bravoTenant,
      secondKeyId: second.id,
      secondKeyPreview: second.preview,
      inviteId,
      inviteToken: tokenOf(invite.url),
      inviteEmail,
      loginLinkToken,
      credentialId: credential.id,
      providerSecret,
      modelId: projectModel.projectModelId,
      modelName,
      endUserId: bravoEndUser,
      cursor: b.cursor,
    },
    targets: { bravo: bravoTarget, nowhere: nowhereTarget },
    unknownKey: { kind: 'key', key: `sl_${fakeId('pk')}_${secret()}` },
  };
}

export const tokenOf = (inviteUrl: string): string => inviteUrl.slice(inviteUrl.lastIndexOf('/') + 1);

/** Everything of B that must never reach A: ids, names, emails, prompts, outputs. */
export function bravoSecrets(w: World): string[] {
  const b = w.bravo;
  const values = [
    'bravo', // the label in B's user name, org name, project name, prompts, key names and emails
    b.userId,
    b.email,
    b.organizationId,
    b.projectId,
    b.projectName,
    b.keyId,
    b.apiKey,
    b.apiKey.slice(0, 16), // the key preview
    b.secondKeyId,
    b.secondKeyPreview.replace('…', ''),
    b.inviteId,
    b.inviteToken,
    b.inviteEmail,
    b.loginLinkToken,
    b.credentialId,
    b.providerSecret,
    b.modelId,
    b.endUserId,
    b.generation.spanId,
    b.generation.traceId,
    b.generation.prompt,
    b.cursor,
    b.session.cookie.slice('sl_session='.length),
    b.session.csrf!,
  ];
  return [...new Set(values.filter((v) => v.length >= 5))];
}

/** The B secrets found in `text` (none, when isolation holds). */
export function leaks(w: World, text: string): string[] {
  const lower = text.toLowerCase();
  return bravoSecrets(w).filter((s) => lower.includes(s.toLowerCase()));
}
