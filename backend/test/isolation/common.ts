import { randomUUID } from 'node:crypto';
import { parseApiKey } from '../../src/control/credentials';
import { ControlPlane } from '../../src/control/control-plane';
import type { ControlState } from '../../src/control/control-state';
import { membershipKey } from '../../src/control/control-state';
import { PurgerService } from '../../src/privacy/purger.service';
import { NO_CREDENTIALS, graphqlHttp, httpRequest, type Credential, type Outcome } from './client';
import { D } from './documents';
import type { Code, Expectation, Fn } from './table';
import { dataOf, listAllGenerations, type Target, type World } from './world';

// ---- who calls -------------------------------------------------------------------------------

export const keyA: Fn<Credential> = (w) => w.alpha.key;
export const sessionA: Fn<Credential> = (w) => w.alpha.session;
export const viewerA: Fn<Credential> = (w) => w.viewer.session;
export const keyB: Fn<Credential> = (w) => w.bravo.key;
export const sessionB: Fn<Credential> = (w) => w.bravo.session;
export const none: Fn<Credential> = () => NO_CREDENTIALS;
export const revokedKeyA: Fn<Credential> = (w) => w.alpha.revokedKey;
export const endedSessionA: Fn<Credential> = (w) => w.alpha.endedSession;
export const unknownKey: Fn<Credential> = (w) => w.unknownKey;
/** The target's key id with A's secret: `sl_<B's pk_…>_<A's secret>`. */
export const forgedKey: Fn<Credential> = (w, t) => ({
  kind: 'key',
  key: `sl_${t.keyId}_${parseApiKey(w.alpha.apiKey)!.secret}`,
});
/** A's session cookie with its claims rewritten to the target's user id (A's signature kept). */
export const forgedSession: Fn<Credential> = (w, t) => {
  const [payload, signature] = w.alpha.session.cookie.slice('sl_session='.length).split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, uid: t.userId })).toString('base64url');
  return { ...w.alpha.session, cookie: `sl_session=${forged}.${signature}` };
};

export const CREDENTIAL_NAMES = new Map<Fn<Credential>, string>([
  [keyA, "A's API key"],
  [sessionA, "A's owner session"],
  [viewerA, "A's viewer session"],
  [none, 'no credentials'],
  [unknownKey, 'a never-issued API key'],
  [forgedKey, "B's key id with A's secret"],
  [forgedSession, "A's session cookie rewritten to B's user id"],
  [revokedKeyA, "A's revoked API key"],
  [endedSessionA, "A's logged-out session"],
]);

// ---- what a denial looks like ----------------------------------------------------------------

export const notFound: Expectation = { gqlError: 'NOT_FOUND' };
export const forbidden: Expectation = { gqlError: 'FORBIDDEN' };
export const unauthenticated: Expectation = { gqlError: 'UNAUTHENTICATED' };
export const gqlError = (code: Code, reason?: string): Expectation => ({ gqlError: code, reason });

// ---- state checks ------------------------------------------------------------------------------

export const control = (w: World): ControlState => w.app.get(ControlPlane).current;

export const uniqueName = (what: string): string => `intruder ${what} ${randomUUID().slice(0, 8)}`;
export const intruderEmail = (): string => `intruder-${randomUUID().slice(0, 8)}@example.com`;
export const INTRUDER_SECRET = 'sk-intruder-0000000000000000';
export const intruderCredential = () => ({
  provider: 'openai',
  label: uniqueName('credential'),
  secret: INTRUDER_SECRET,
});

export const intruderBudget = () => ({
  name: uniqueName('budget'),
  scope: 'PROJECT',
  window: 'DAY',
  hardLimitUsd: '0.01',
});

export const intruderModel = () => ({
  name: `intruder-model-${randomUUID().slice(0, 8)}`,
  provider: 'openai',
  wireModel: 'ft:gpt-4o-mini:intruder::x1',
});

/** A's GraphQL call that must succeed. */
export async function asAlpha<T = Record<string, unknown>>(w: World, query: string, variables = {}) {
  return dataOf<T>(await graphqlHttp(w.base, w.alpha.session, query, variables));
}

export function roleIn(w: World, projectId: string, userId: string) {
  return control(w).memberships.get(membershipKey(projectId, userId))?.role ?? null;
}

/** B as it was set up: project live, B its owner, B's keys valid, B's generation readable by B. */
export async function expectBravoIntact(w: World): Promise<void> {
  const state = control(w);
  const b = w.bravo;
  expect(state.projects.get(b.projectId)?.deletedAt).toBeNull();
  expect(roleIn(w, b.projectId, b.userId)).toBe('owner');
  expect(state.apiKeys.get(b.keyId)?.revokedAt).toBeNull();
  expect(state.apiKeys.get(b.secondKeyId)?.revokedAt).toBeNull();
  expect(state.providerCredentials.get(b.credentialId)).toMatchObject({ removedAt: null, rotatedAt: null });
  await w.app.get(PurgerService).idle();
  expect(await generationIds(w, b.key)).toContain(b.generation.spanId);
  const session = await httpRequest(w.base, b.session, 'GET', '/auth/session');
  expect(session.status).toBe(200);
}

/** Neither A's user nor A's viewer became a member of B; B's user did not join A. */
export function expectNoCrossMembership(w: World): void {
  expect(roleIn(w, w.bravo.projectId, w.alpha.userId)).toBeNull();
  expect(roleIn(w, w.bravo.projectId, w.viewer.userId)).toBeNull();
  expect(roleIn(w, w.alpha.projectId, w.bravo.userId)).toBeNull();
}

/** Nothing an attack would have created (named `intruder …`) exists anywhere. */
export function expectNoIntruderArtifacts(w: World): void {
  const state = control(w);
  const named = [
    ...[...state.projects.values()].map((p) => p.name),
    ...[...state.apiKeys.values()].map((k) => k.name),
    ...[...state.invites.values()].map((i) => i.email ?? ''),
    ...[...state.users.values()].map((u) => u.email),
    ...[...state.providerCredentials.values()].map((c) => c.label),
    ...[...state.projectModels.values()].map((m) => m.name),
    ...[...state.budgets.values()].map((b) => b.name),
  ];
  expect(named.filter((n) => n.toLowerCase().includes('intruder'))).toEqual([]);
}

/** All generation ids of a project, read as `credential`. */
export async function generationIds(w: World, credential: Credential, projectId?: string) {
  return (await listAllGenerations(w.base, credential, projectId)).map((g) => g.id);
}

export const bodyOf = <T>(o: Outcome): T => o.body as T;

/** Variables that aim each root field at the target tenant (B, or ids that exist nowhere). */
export const ON_TARGET: Record<string, Fn<Record<string, unknown>>> = {
  project: (_w, t) => ({ p: t.projectId }),
  apiKeys: (_w, t) => ({ p: t.projectId }),
  members: (_w, t) => ({ p: t.projectId }),
  auditLog: (_w, t) => ({ p: t.projectId }),
  generations: (_w, t) => ({ p: t.projectId, after: t.cursor }),
  createProject: (_w, t) => ({ org: t.organizationId, name: uniqueName('project') }),
  createApiKey: (_w, t) => ({ p: t.projectId, name: uniqueName('key') }),
  revokeApiKey: (_w, t) => ({ p: t.projectId, id: t.keyId }),
  createInvite: (_w, t) => ({ p: t.projectId, role: 'OWNER', email: intruderEmail() }),
  setMemberRole: (_w, t) => ({ p: t.projectId, u: t.userId, role: 'VIEWER' }),
  removeMember: (_w, t) => ({ p: t.projectId, u: t.userId }),
  deleteData: (_w, t) => ({ p: t.projectId, scope: 'PROJECT', target: null }),
  generationRecorded: (_w, t) => ({ p: t.projectId }),
  liveGenerations: (_w, t) => ({ p: t.projectId }),
  providerCredentials: (_w, t) => ({ p: t.projectId }),
  addProviderCredential: (_w, t) => ({ p: t.projectId, input: intruderCredential() }),
  rotateProviderCredential: (_w, t) => ({ p: t.projectId, id: t.credentialId, secret: INTRUDER_SECRET }),
  removeProviderCredential: (_w, t) => ({ p: t.projectId, id: t.credentialId }),
  models: (_w, t) => ({ p: t.projectId }),
  addProjectModel: (_w, t) => ({ p: t.projectId, input: intruderModel() }),
  removeProjectModel: (_w, t) => ({ p: t.projectId, id: t.modelId }),
  testProviderCredential: (_w, t) => ({ p: t.projectId, id: t.credentialId }),
  refusedRequests: (_w, t) => ({ p: t.projectId, since: new Date(Date.now() - 3600_000).toISOString() }),
  budgets: (_w, t) => ({ p: t.projectId }),
  budgetAlerts: (_w, t) => ({ p: t.projectId }),
  createBudget: (_w, t) => ({ p: t.projectId, input: intruderBudget() }),
  updateBudget: (_w, t) => ({ p: t.projectId, id: 'bud_guessed', input: intruderBudget() }),
  removeBudget: (_w, t) => ({ p: t.projectId, id: 'bud_guessed' }),
  restatements: (_w, t) => ({ p: t.projectId }),
  restatement: (_w, t) => ({ p: t.projectId, id: 'rst_0' }),
  startRestatement: (_w, t) => ({ p: t.projectId, key: uniqueName('restatement') }),
  cancelRestatement: (_w, t) => ({ p: t.projectId, id: 'rst_0' }),
  resumeRestatement: (_w, t) => ({ p: t.projectId, id: 'rst_0' }),
  restatementProgress: (_w, t) => ({ p: t.projectId, id: 'rst_0' }),
};

export const documentOf = (field: string): string => D[field as keyof typeof D];

export type { Target };
