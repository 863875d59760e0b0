import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { CreateApiKeyCommand } from '../../src/auth/commands/api-keys.commands';
import { CreateProjectCommand, SetRoleCommand } from '../../src/auth/commands/projects.commands';
import { RegisterUserCommand } from '../../src/auth/commands/users.commands';
import { SYSTEM } from '../../src/control/control-events';
import { PurgerService } from '../../src/privacy/purger.service';
import {
  graphqlHttp,
  httpRequest,
  withCsrf,
  withoutCsrf,
  withOrigin,
  type Credential,
  type Outcome,
} from './client';
import {
  CREDENTIAL_NAMES,
  ON_TARGET,
  asAlpha,
  control,
  documentOf,
  endedSessionA,
  expectBravoIntact,
  expectNoCrossMembership,
  forbidden,
  forgedKey,
  forgedSession,
  generationIds,
  gqlError,
  intruderEmail,
  keyA,
  keyB,
  none,
  notFound,
  revokedKeyA,
  roleIn,
  sessionA,
  sessionB,
  uniqueName,
  unknownKey,
  viewerA,
} from './common';
import { D } from './documents';
import type { Expectation, Fn, Row, RowKind } from './table';
import { dataOf, tokenOf, type World } from './world';

const QUERIES = [
  'project',
  'apiKeys',
  'members',
  'auditLog',
  'generations',
  'providerCredentials',
  'models',
  'refusedRequests',
  'budgets',
  'budgetAlerts',
  'restatements',
  'restatement',
];
const MUTATIONS = [
  'createProject',
  'createApiKey',
  'revokeApiKey',
  'createInvite',
  'setMemberRole',
  'removeMember',
  'deleteData',
  'addProviderCredential',
  'rotateProviderCredential',
  'removeProviderCredential',
  'addProjectModel',
  'removeProjectModel',
  'testProviderCredential',
  'createBudget',
  'updateBudget',
  'removeBudget',
  'startRestatement',
  'cancelRestatement',
  'resumeRestatement',
];
const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

/** What A gets for a field aimed at B: B's project does not exist for A. */
function crossExpectation(field: string, as: Fn<Credential>): Expectation {
  if (field !== 'createProject') return notFound;
  // Projects are created by signed-in users in an organization where they administer a project;
  // B's organization answers exactly like one that does not exist.
  return as === keyA ? gqlError('UNAUTHENTICATED') : gqlError('BAD_USER_INPUT', 'unknown_org');
}

/** Every project-scoped field × every credential of A, over POST, GET (queries) and graphql-ws. */
const crossMatrix: Row[] = [
  ...[...QUERIES, ...MUTATIONS].flatMap((field) =>
    [keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's ids as ${name(as)} (POST /graphql)`,
      kind: 'cross-project',
      call: { gql: documentOf(field), as, variables: ON_TARGET[field] },
      expect: crossExpectation(field, as),
    })),
  ),
  ...QUERIES.flatMap((field) =>
    [keyA, sessionA].map((as): Row => ({
      name: `${field} on B's ids as ${name(as)} (GET /graphql, no CSRF needed)`,
      kind: 'cross-project',
      call: { gql: documentOf(field), via: 'GET', as, variables: ON_TARGET[field] },
      expect: crossExpectation(field, as),
    })),
  ),
  ...[...QUERIES, ...MUTATIONS, 'generationRecorded', 'liveGenerations', 'restatementProgress'].flatMap(
    (field) =>
      [keyA, sessionA].map((as): Row => ({
        name: `${field} on B's ids as ${name(as)} (graphql-ws)`,
        kind: 'cross-project',
        call: { gql: documentOf(field), via: 'ws', as, variables: ON_TARGET[field] },
        expect: crossExpectation(field, as),
      })),
  ),
];

const DENIED: [Fn<Credential>, RowKind][] = [
  [none, 'unauthenticated'],
  [unknownKey, 'unauthenticated'],
  // A's own credential material rewritten to claim B's key or user: an attack on B.
  [forgedKey, 'cross-project'],
  [forgedSession, 'cross-project'],
  [revokedKeyA, 'revoked'],
  [endedSessionA, 'revoked'],
];

/** Every field without valid credentials: UNAUTHENTICATED, the same whether B's ids exist or not. */
const unauthenticatedMatrix: Row[] = [
  ...['viewer', ...QUERIES, ...MUTATIONS].flatMap((field) =>
    DENIED.map(([as, kind]): Row => ({
      name: `${field}${ON_TARGET[field] ? " on B's ids" : ''} with ${name(as)} (POST /graphql)`,
      kind,
      call: { gql: documentOf(field), as, variables: ON_TARGET[field] ?? (() => ({})) },
      expect: gqlError('UNAUTHENTICATED'),
    })),
  ),
  // graphql-ws accepts the connection (closing it would say nothing a client can branch on) and
  // answers each operation with UNAUTHENTICATED, running none.
  ...DENIED.map(([as, kind]): Row => ({
    name: `generationRecorded over a graphql-ws connection with ${name(as)}`,
    kind,
    call: { gql: D.generationRecorded, via: 'ws', as, variables: ON_TARGET.generationRecorded },
    expect: gqlError('UNAUTHENTICATED'),
  })),
];

const has = (o: Outcome, text: string): boolean => o.text.includes(text);
const okWith = (check: (data: Record<string, unknown>, w: World, o: Outcome) => void): Expectation => ({
  ok: (o: Outcome, w: World) => check(dataOf(o), w, o),
});

interface KeyPage {
  apiKeys: { id: string }[];
}
interface GenerationsPage {
  generations: { edges: { node: { id: string; projectId: string } }[] };
}

/** A fresh API key of A (through the command bus), to revoke. */
async function freshAlphaKey(w: World): Promise<{ keyId: string; full: string }> {
  const asAlpha = { userId: w.alpha.userId, via: 'session' } as const;
  const { key, full } = await w.app
    .get(CommandBus)
    .execute(new CreateApiKeyCommand(asAlpha, w.alpha.projectId, 'alpha disposable key'));
  return { keyId: key.keyId, full };
}

/** A fresh member of A (through the command bus), to remove. */
async function freshAlphaMember(w: World): Promise<string> {
  const commands = w.app.get(CommandBus);
  const user = await commands.execute(
    new RegisterUserCommand(SYSTEM, {
      email: `alpha-member-${randomUUID().slice(0, 8)}@example.com`,
      name: 'alpha member',
      password: null,
    }),
  );
  await commands.execute(new SetRoleCommand(SYSTEM, w.alpha.projectId, user.userId, 'member'));
  return user.userId;
}

/** A fresh project of A's owner (through the command bus), to delete. */
async function freshAlphaProject(w: World): Promise<string> {
  const project = await w.app
    .get(CommandBus)
    .execute(
      new CreateProjectCommand(SYSTEM, w.alpha.organizationId, 'alpha doomed project', w.alpha.userId),
    );
  return project.projectId;
}

const explicitRows: Row[] = [
  // ---- Query.viewer ----
  {
    name: "viewer as A's owner session lists A's projects only",
    kind: 'positive',
    call: { gql: D.viewer, as: sessionA },
    expect: okWith((data, w) => {
      const viewer = data.viewer as { user: { id: string }; projects: { id: string }[] };
      expect(viewer.user.id).toBe(w.alpha.userId);
      expect(viewer.projects.map((p) => p.id)).toContain(w.alpha.projectId);
    }),
  },
  {
    name: "viewer as A's viewer session lists A as VIEWER",
    kind: 'positive',
    call: { gql: D.viewer, as: viewerA },
    expect: okWith((data, w) => {
      const viewer = data.viewer as { projects: { id: string; role: string }[] };
      expect(viewer.projects).toEqual([expect.objectContaining({ id: w.alpha.projectId, role: 'VIEWER' })]);
    }),
  },
  {
    name: "viewer as A's API key: sessions only",
    kind: 'role',
    call: { gql: D.viewer, as: keyA },
    expect: gqlError('UNAUTHENTICATED'),
  },

  // ---- Query.project ----
  {
    name: "project() as A's API key is A's project",
    kind: 'positive',
    call: { gql: D.project, as: keyA, variables: () => ({ p: null }) },
    expect: okWith((data, w) =>
      expect(data.project).toMatchObject({ id: w.alpha.projectId, role: 'MEMBER' }),
    ),
  },
  {
    name: "project(A) as A's owner session",
    kind: 'positive',
    call: { gql: D.project, as: sessionA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: okWith((data, w) => expect(data.project).toMatchObject({ id: w.alpha.projectId, role: 'OWNER' })),
  },
  {
    name: "project(A) as A's viewer session",
    kind: 'positive',
    call: { gql: D.project, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }), via: 'ws' },
    expect: okWith((data, w) =>
      expect(data.project).toMatchObject({ id: w.alpha.projectId, role: 'VIEWER' }),
    ),
  },
  {
    name: "project() as B's API key is B's project (B's control)",
    kind: 'positive',
    actsAsBravo: true,
    call: { gql: D.project, as: keyB },
    expect: okWith((data, w) => expect(data.project).toMatchObject({ id: w.bravo.projectId })),
  },

  // ---- Query.apiKeys ----
  {
    name: "apiKeys(A) as A's owner session lists A's keys only",
    kind: 'positive',
    call: { gql: D.apiKeys, as: sessionA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: okWith((data, w) =>
      expect((data as unknown as KeyPage).apiKeys.map((k) => k.id)).toContain(w.alpha.keyId),
    ),
  },
  {
    name: "apiKeys(B) as B's owner session lists B's keys (B's control)",
    kind: 'positive',
    actsAsBravo: true,
    call: { gql: D.apiKeys, as: sessionB, variables: (w) => ({ p: w.bravo.projectId }) },
    expect: okWith((data, w) =>
      expect((data as unknown as KeyPage).apiKeys.map((k) => k.id).sort()).toEqual(
        [w.bravo.keyId, w.bravo.secondKeyId].sort(),
      ),
    ),
  },
  {
    name: "apiKeys as A's API key: keys do not administer",
    kind: 'role',
    call: { gql: D.apiKeys, as: keyA },
    expect: forbidden,
  },
  {
    name: "apiKeys(A) as A's viewer",
    kind: 'role',
    call: { gql: D.apiKeys, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: forbidden,
  },

  // ---- Query.members ----
  {
    name: "members(A) as A's owner session: A's owner and viewer",
    kind: 'positive',
    call: { gql: D.members, as: sessionA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: {
      ok: (o, w) => {
        expect(has(o, w.alpha.userId) && has(o, w.viewer.userId)).toBe(true);
      },
    },
  },
  {
    name: "members() as A's API key",
    kind: 'positive',
    call: { gql: D.members, as: keyA },
    expect: { ok: (o, w) => expect(has(o, w.alpha.userId)).toBe(true) },
  },
  {
    name: "members(A) as A's viewer",
    kind: 'positive',
    call: { gql: D.members, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: { ok: (o, w) => expect(has(o, w.alpha.userId)).toBe(true) },
  },

  // ---- Query.auditLog ----
  {
    name: "auditLog(A) as A's owner session shows A's history",
    kind: 'positive',
    call: {
      gql: D.auditLog,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId }),
      until: (o) => has(o, 'invite.accepted'),
    },
    expect: { ok: (o, w) => expect(has(o, w.alpha.email) && has(o, 'api-key.revoked')).toBe(true) },
  },
  {
    name: "auditLog(A) as A's viewer",
    kind: 'role',
    call: { gql: D.auditLog, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: forbidden,
  },
  {
    name: "auditLog as A's API key",
    kind: 'role',
    call: { gql: D.auditLog, as: keyA },
    expect: forbidden,
  },

  // ---- Query.generations ----
  {
    name: "generations() as A's API key has A's generation",
    kind: 'positive',
    call: { gql: D.generations, as: keyA },
    expect: { ok: (o, w) => expect(has(o, w.alpha.generation.spanId)).toBe(true) },
  },
  {
    name: "generations(A) as A's owner session",
    kind: 'positive',
    call: { gql: D.generations, as: sessionA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: { ok: (o, w) => expect(has(o, w.alpha.generation.prompt)).toBe(true) },
  },
  {
    name: "generations(A) as A's viewer",
    kind: 'positive',
    call: { gql: D.generations, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }), via: 'GET' },
    expect: { ok: (o, w) => expect(has(o, w.alpha.generation.prompt)).toBe(true) },
  },
  {
    name: "generations() as B's API key has B's generation (B's control)",
    kind: 'positive',
    actsAsBravo: true,
    call: { gql: D.generations, as: keyB },
    expect: { ok: (o, w) => expect(has(o, w.bravo.generation.prompt)).toBe(true) },
  },
  {
    name: "generations() as A's API key, paging with B's cursor: A's rows only",
    kind: 'cross-project',
    call: { gql: D.generations, as: keyA, variables: (_w, t) => ({ p: null, after: t.cursor }) },
    expect: okWith((data, w) => {
      const nodes = (data as unknown as GenerationsPage).generations.edges.map((e) => e.node);
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes.every((n) => n.projectId === w.alpha.projectId)).toBe(true);
    }),
  },

  // ---- Mutation.createProject ----
  {
    name: "createProject in A's organization as A's owner session",
    kind: 'positive',
    call: {
      gql: D.createProject,
      as: sessionA,
      variables: (w) => ({ org: w.alpha.organizationId, name: 'alpha second project' }),
    },
    expect: okWith((data, w) =>
      expect(data.createProject).toMatchObject({
        role: 'OWNER',
        organization: { id: w.alpha.organizationId },
      }),
    ),
  },
  {
    name: "createProject in A's organization as A's viewer: only admins create projects",
    kind: 'role',
    call: {
      gql: D.createProject,
      as: viewerA,
      variables: (w) => ({ org: w.alpha.organizationId, name: uniqueName('project') }),
    },
    expect: gqlError('BAD_USER_INPUT', 'unknown_org'),
  },

  // ---- Mutation.createApiKey ----
  {
    name: "createApiKey(A) as A's owner session: the key works, for A only",
    kind: 'positive',
    call: {
      gql: D.createApiKey,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, name: 'alpha new key' }),
    },
    expect: okWith((data) => expect((data.createApiKey as { secret: string }).secret).toMatch(/^sl_pk_/)),
    verify: async (w, o) => {
      const secret = (dataOf(o).createApiKey as { secret: string }).secret;
      const key: Credential = { kind: 'key', key: secret };
      expect(dataOf(await graphqlHttp(w.base, key, D.project)).project).toMatchObject({
        id: w.alpha.projectId,
      });
      const onB = await graphqlHttp(w.base, key, D.project, { p: w.bravo.projectId });
      expect(onB.gql?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    },
  },
  {
    name: "createApiKey as A's API key: keys do not administer",
    kind: 'role',
    call: { gql: D.createApiKey, as: keyA, variables: () => ({ name: uniqueName('key') }) },
    expect: forbidden,
  },
  {
    name: "createApiKey(A) as A's viewer",
    kind: 'role',
    call: {
      gql: D.createApiKey,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, name: uniqueName('key') }),
    },
    expect: forbidden,
  },
  {
    name: "createApiKey(A) as A's owner session without the CSRF header",
    kind: 'csrf',
    call: {
      gql: D.createApiKey,
      as: (w) => withoutCsrf(w.alpha.session),
      variables: (w) => ({ p: w.alpha.projectId, name: uniqueName('key') }),
    },
    expect: gqlError('CSRF'),
  },
  {
    name: "createApiKey(A) as A's owner session with B's CSRF token",
    kind: 'csrf',
    call: {
      gql: D.createApiKey,
      as: (w) => withCsrf(w.alpha.session, w.bravo.session.csrf!),
      variables: (w) => ({ p: w.alpha.projectId, name: uniqueName('key') }),
    },
    expect: gqlError('CSRF'),
  },
  {
    name: "project(A) as A's owner session without the CSRF header (every POST needs it)",
    kind: 'csrf',
    call: {
      gql: D.project,
      as: (w) => withoutCsrf(w.alpha.session),
      variables: (w) => ({ p: w.alpha.projectId }),
    },
    expect: gqlError('CSRF'),
  },
  {
    name: "createApiKey(A) as A's owner session over GET (no CSRF header on GET): refused",
    kind: 'csrf',
    call: {
      gql: D.createApiKey,
      via: 'GET',
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, name: uniqueName('key') }),
    },
    expect: { status: 405 },
  },
  {
    name: "graphql-ws connection with A's session cookie from a foreign Origin (cross-site websocket hijacking)",
    kind: 'csrf',
    call: {
      gql: D.generationRecorded,
      via: 'ws',
      as: (w) => withOrigin(w.alpha.session, 'https://evil.example'),
      variables: (w) => ({ p: w.alpha.projectId }),
    },
    expect: gqlError('CSRF'),
  },

  // ---- Mutation.revokeApiKey ----
  {
    name: "revokeApiKey of B's key through A's own project as A's owner session",
    kind: 'cross-project',
    call: { gql: D.revokeApiKey, as: sessionA, variables: (w, t) => ({ p: w.alpha.projectId, id: t.keyId }) },
    expect: notFound,
    verify: expectBravoIntact,
  },
  {
    name: "revokeApiKey of B's key as A's API key (its own project by default)",
    kind: 'role',
    call: { gql: D.revokeApiKey, as: keyA, variables: (_w, t) => ({ id: t.keyId }) },
    expect: forbidden,
    verify: expectBravoIntact,
  },
  {
    name: "revokeApiKey(A, A's key) as A's viewer",
    kind: 'role',
    call: {
      gql: D.revokeApiKey,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, id: w.alpha.keyId }),
    },
    expect: forbidden,
    verify: (w) => expect(control(w).apiKeys.get(w.alpha.keyId)?.revokedAt).toBeNull(),
  },
  {
    name: "revokeApiKey(A) of A's own key as A's owner session: the key stops working",
    kind: 'positive',
    call: {
      gql: D.revokeApiKey,
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: (await freshAlphaKey(w)).keyId }),
    },
    expect: okWith((data) =>
      expect((data.revokeApiKey as { revokedAt: string | null }).revokedAt).not.toBeNull(),
    ),
    verify: (w, o) => {
      const id = (dataOf(o).revokeApiKey as { id: string }).id;
      expect(control(w).apiKeys.get(id)?.revokedAt).not.toBeNull();
    },
  },

  // ---- Mutation.createInvite ----
  {
    name: "createInvite(A) as A's owner session: the link shows A's project",
    kind: 'positive',
    call: {
      gql: D.createInvite,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, role: 'MEMBER', email: null }),
    },
    expect: okWith((data) => expect((data.createInvite as { url: string }).url).toMatch(/\/invite\/inv_/)),
    verify: async (w, o) => {
      const token = tokenOf((dataOf(o).createInvite as { url: string }).url);
      const shown = await httpRequest(w.base, { kind: 'none' }, 'GET', `/auth/invites/${token}`);
      expect(shown.body).toMatchObject({ projectName: w.alpha.projectName, role: 'member' });
    },
  },
  {
    name: "createInvite(A) as A's viewer",
    kind: 'role',
    call: {
      gql: D.createInvite,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, role: 'VIEWER', email: intruderEmail() }),
    },
    expect: forbidden,
  },
  {
    name: "createInvite as A's API key",
    kind: 'role',
    call: { gql: D.createInvite, as: keyA, variables: () => ({ role: 'VIEWER', email: intruderEmail() }) },
    expect: forbidden,
  },

  // ---- Mutation.setMemberRole ----
  {
    name: "setMemberRole(A, B's user, OWNER) as A's owner session: B's user is no member of A",
    kind: 'cross-project',
    call: {
      gql: D.setMemberRole,
      as: sessionA,
      variables: (w, t) => ({ p: w.alpha.projectId, u: t.userId, role: 'OWNER' }),
    },
    expect: gqlError('BAD_USER_INPUT', 'not_a_member'),
    verify: expectNoCrossMembership,
  },
  {
    name: "setMemberRole(A, self, OWNER) as A's viewer",
    kind: 'role',
    call: {
      gql: D.setMemberRole,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, u: w.viewer.userId, role: 'OWNER' }),
    },
    expect: forbidden,
    verify: (w) => expect(roleIn(w, w.alpha.projectId, w.viewer.userId)).toBe('viewer'),
  },
  {
    name: "setMemberRole(A, viewer, VIEWER) as A's owner session",
    kind: 'positive',
    call: {
      gql: D.setMemberRole,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, u: w.viewer.userId, role: 'VIEWER' }),
    },
    expect: okWith((data, w) =>
      expect(data.setMemberRole).toMatchObject({ role: 'VIEWER', user: { id: w.viewer.userId } }),
    ),
  },

  // ---- Mutation.removeMember ----
  {
    name: "removeMember(A, B's user) as A's owner session",
    kind: 'cross-project',
    call: { gql: D.removeMember, as: sessionA, variables: (w, t) => ({ p: w.alpha.projectId, u: t.userId }) },
    expect: gqlError('BAD_USER_INPUT', 'not_a_member'),
    verify: expectBravoIntact,
  },
  {
    name: "removeMember(A, A's owner) as A's viewer",
    kind: 'role',
    call: {
      gql: D.removeMember,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, u: w.alpha.userId }),
    },
    expect: forbidden,
    verify: (w) => expect(roleIn(w, w.alpha.projectId, w.alpha.userId)).toBe('owner'),
  },
  {
    name: "removeMember(A, a member of A) as A's owner session",
    kind: 'positive',
    call: {
      gql: D.removeMember,
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, u: await freshAlphaMember(w) }),
    },
    expect: okWith((data) => expect(data.removeMember).toBe(true)),
  },

  // ---- Mutation.deleteData ----
  {
    name: "deleteData(B, TRACE, B's trace) as A's owner session",
    kind: 'cross-project',
    call: {
      gql: D.deleteData,
      as: sessionA,
      variables: (_w, t) => ({ p: t.projectId, scope: 'TRACE', target: t.traceId }),
    },
    expect: notFound,
    verify: expectBravoIntact,
  },
  {
    name: "deleteData(B, END_USER, B's end user) as A's API key",
    kind: 'cross-project',
    call: {
      gql: D.deleteData,
      as: keyA,
      variables: (_w, t) => ({ p: t.projectId, scope: 'END_USER', target: t.endUserId }),
    },
    expect: notFound,
    verify: expectBravoIntact,
  },
  {
    name: "deleteData(A, TRACE) as A's API key: keys do not delete",
    kind: 'role',
    call: {
      gql: D.deleteData,
      as: keyA,
      variables: (w) => ({ scope: 'TRACE', target: w.alpha.generation.traceId }),
    },
    expect: forbidden,
  },
  {
    name: "deleteData(A, TRACE) as A's viewer",
    kind: 'role',
    call: {
      gql: D.deleteData,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, scope: 'TRACE', target: w.alpha.generation.traceId }),
    },
    expect: forbidden,
  },
  {
    name: "deleteData(A, PROJECT) as A's viewer",
    kind: 'role',
    call: { gql: D.deleteData, as: viewerA, variables: (w) => ({ p: w.alpha.projectId, scope: 'PROJECT' }) },
    expect: forbidden,
    verify: (w) => expect(control(w).projects.get(w.alpha.projectId)?.deletedAt).toBeNull(),
  },
  {
    name: "deleteData(A's other project, PROJECT) as A's owner session: gone for A",
    kind: 'positive',
    call: {
      gql: D.deleteData,
      as: sessionA,
      variables: async (w) => ({ p: await freshAlphaProject(w), scope: 'PROJECT' }),
    },
    expect: okWith((data) => expect(data.deleteData).toBe(true)),
    verify: async (w) => {
      const gone = [...control(w).projects.values()].filter((p) => p.name === 'alpha doomed project');
      expect(gone.every((p) => p.deletedAt)).toBe(true);
      const after = await asAlpha<{ viewer: { projects: { id: string }[] } }>(w, D.viewer);
      expect(after.viewer.projects.map((p) => p.id)).not.toEqual(
        expect.arrayContaining(gone.map((p) => p.projectId)),
      );
    },
  },
];

/**
 * A writes into its own project with B's identifiers: allowed, and must touch A's data only.
 * Last, because A's audit log then holds B's ids as A typed them.
 */
const ownProjectWithBravoIds: Row[] = [
  {
    name: "deleteData(A, END_USER, B's end user) as A's owner session deletes nothing of B",
    kind: 'cross-project',
    sameForUnknownIds: false,
    call: {
      gql: D.deleteData,
      as: sessionA,
      variables: (w, t) => ({ p: w.alpha.projectId, scope: 'END_USER', target: t.endUserId }),
    },
    expect: okWith((data) => expect(data.deleteData).toBe(true)),
    verify: async (w) => {
      await w.app.get(PurgerService).idle();
      await expectBravoIntact(w);
      expect(await generationIds(w, w.alpha.key)).toContain(w.alpha.generation.spanId);
    },
  },
];

export const graphqlRows: Row[] = [...explicitRows, ...crossMatrix, ...unauthenticatedMatrix];
export const graphqlLateRows: Row[] = ownProjectWithBravoIds;
