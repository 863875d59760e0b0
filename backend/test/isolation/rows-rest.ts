import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { CreateInviteCommand } from '../../src/auth/commands/invites.commands';
import { SetRoleCommand } from '../../src/auth/commands/projects.commands';
import { CreateLoginLinkCommand } from '../../src/auth/commands/sessions.commands';
import { SYSTEM } from '../../src/control/control-events';
import { PurgerService } from '../../src/privacy/purger.service';
import { graphqlHttp, httpRequest, withoutCsrf, type Credential } from './client';
import {
  CREDENTIAL_NAMES,
  bodyOf,
  endedSessionA,
  expectBravoIntact,
  expectNoCrossMembership,
  forgedKey,
  forgedSession,
  generationIds,
  intruderEmail,
  keyA,
  none,
  revokedKeyA,
  roleIn,
  sessionA,
  unknownKey,
  viewerA,
} from './common';
import { D } from './documents';
import type { Fn, Row, RowKind } from './table';
import { chat, dataOf, login, recorded, sessionFrom, type World } from './world';

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';
const GATEWAY = '/v1/chat/completions';
const chatBody = () => ({
  model: 'mock-1',
  messages: [{ role: 'user', content: `intruder ${randomUUID()}` }],
});
const onProject = (projectId: string) => ({ 'x-sightline-project-id': projectId });

async function sessionStillValid(w: World, credential: Credential): Promise<void> {
  expect((await httpRequest(w.base, credential, 'GET', '/auth/session')).status).toBe(200);
}

const kindOf = (as: Fn<Credential>): RowKind =>
  as === keyA ? 'role' : (DENIED.find(([denied]) => denied === as)?.[1] ?? 'unauthenticated');

export const DENIED: [Fn<Credential>, RowKind][] = [
  [none, 'unauthenticated'],
  [unknownKey, 'unauthenticated'],
  // A's own credential material rewritten to claim B's key or user: an attack on B.
  [forgedKey, 'cross-project'],
  [forgedSession, 'cross-project'],
  [revokedKeyA, 'revoked'],
  [endedSessionA, 'revoked'],
];

// ---- POST /v1/chat/completions ----------------------------------------------------------------

const gatewayRows: Row[] = [
  ...[keyA, sessionA, viewerA].map((as): Row => ({
    name: `gateway into B's project (x-sightline-project-id) as ${name(as)}`,
    kind: 'cross-project',
    call: { http: 'POST', route: GATEWAY, as, body: chatBody, headers: (_w, t) => onProject(t.projectId) },
    expect: { status: 404, code: 'project_not_found' },
  })),
  {
    name: "gateway into B's project with A's key in x-api-key",
    kind: 'cross-project',
    call: {
      http: 'POST',
      route: GATEWAY,
      as: (w) => ({ kind: 'key', key: w.alpha.apiKey, header: 'x-api-key' }),
      body: chatBody,
      headers: (_w, t) => onProject(t.projectId),
    },
    expect: { status: 404, code: 'project_not_found' },
  },
  ...DENIED.map(([as, kind]): Row => ({
    name: `gateway into B's project with ${name(as)}`,
    kind,
    call: { http: 'POST', route: GATEWAY, as, body: chatBody, headers: (_w, t) => onProject(t.projectId) },
    expect: { status: 401, code: 'invalid_api_key' },
  })),
  {
    name: "gateway into A's project as A's viewer: viewers do not send",
    kind: 'role',
    call: {
      http: 'POST',
      route: GATEWAY,
      as: viewerA,
      body: chatBody,
      headers: (w) => onProject(w.alpha.projectId),
    },
    expect: { status: 403, code: 'forbidden' },
  },
  {
    name: "gateway into A's project as A's owner session without the CSRF header",
    kind: 'csrf',
    call: {
      http: 'POST',
      route: GATEWAY,
      as: (w) => withoutCsrf(w.alpha.session),
      body: chatBody,
      headers: (w) => onProject(w.alpha.projectId),
    },
    expect: { status: [401, 403] },
  },
  {
    name: "gateway as A's API key records into A",
    kind: 'positive',
    call: {
      http: 'POST',
      route: GATEWAY,
      as: keyA,
      body: () => ({ model: 'mock-1', messages: [{ role: 'user', content: 'alpha positive' }] }),
    },
    expect: { status: 200 },
    verify: async (w, o) => {
      const node = await recorded(w.base, w.alpha.key, o.headers!['x-sightline-span-id']);
      expect(node.node.projectId).toBe(w.alpha.projectId);
    },
  },
  {
    name: "gateway into A's project as A's owner session",
    kind: 'positive',
    call: {
      http: 'POST',
      route: GATEWAY,
      as: sessionA,
      body: () => ({ model: 'mock-1', messages: [{ role: 'user', content: 'alpha session positive' }] }),
      headers: (w) => onProject(w.alpha.projectId),
    },
    expect: { status: 200 },
  },
];

// ---- /auth/* ------------------------------------------------------------------------------------

const sessionRows: Row[] = [
  ...[keyA, ...DENIED.map(([as]) => as)].map((as): Row => ({
    name: `GET /auth/session with ${name(as)}`,
    kind: kindOf(as),
    call: { http: 'GET', route: '/auth/session', as },
    expect: { status: 401, code: 'unauthenticated' },
  })),
  {
    name: "GET /auth/session as A's session: A's user",
    kind: 'positive',
    call: { http: 'GET', route: '/auth/session', as: sessionA },
    expect: { status: 200 },
    verify: (w, o) => expect(bodyOf<{ user: { id: string } }>(o).user.id).toBe(w.alpha.userId),
  },
];

const loginRows: Row[] = [
  {
    name: "POST /auth/login with B's email and A's password: same answer as an unknown email",
    kind: 'cross-project',
    call: {
      http: 'POST',
      route: '/auth/login',
      as: none,
      body: (w, t) => ({ email: t.email, password: w.alpha.password }),
    },
    expect: { status: 401, code: 'unauthenticated' },
  },
  {
    name: "POST /auth/login as A with A's password",
    kind: 'positive',
    call: {
      http: 'POST',
      route: '/auth/login',
      as: none,
      body: (w) => ({ email: w.alpha.email, password: w.alpha.password }),
    },
    expect: { status: 200 },
    verify: (w, o) => expect(bodyOf<{ user: { id: string } }>(o).user.id).toBe(w.alpha.userId),
  },
];

const linkRows: Row[] = [
  ...[none, sessionA].map((as): Row => ({
    name: `GET /auth/link/:token with B's link id and a guessed secret, as ${name(as)}: no session`,
    kind: 'cross-project',
    call: {
      http: 'GET',
      route: '/auth/link/:token',
      as,
      path: (_w, t) => `/auth/link/${t.guessedLinkToken}`,
    },
    // Links are opened in a browser: a refusal is a redirect to the sign-in page, never a session.
    expect: { status: 302 },
    verify: (_w, o) => {
      expect(o.headers!.location).toBe('/login?error=link_invalid');
      expect(o.setCookies!.filter((c) => c.startsWith('sl_session='))).toEqual([]);
    },
  })),
  {
    name: "GET /auth/link/:token with A's own login link signs A in",
    kind: 'positive',
    call: {
      http: 'GET',
      route: '/auth/link/:token',
      as: none,
      path: async (w) =>
        `/auth/link/${await w.app.get(CommandBus).execute(new CreateLoginLinkCommand(SYSTEM, w.alpha.userId))}`,
    },
    expect: { status: 302 },
    verify: async (w, o) => {
      const cookie = o.setCookies!.find((c) => c.startsWith('sl_session='))!.split(';')[0];
      const me = await httpRequest(w.base, { kind: 'session', cookie, csrf: null }, 'GET', '/auth/session');
      expect(bodyOf<{ user: { id: string } }>(me).user.id).toBe(w.alpha.userId);
    },
  },
];

const inviteRows: Row[] = [
  ...[none, sessionA].map((as): Row => ({
    name: `GET /auth/invites/:token with B's invite id and a guessed secret, as ${name(as)}`,
    kind: 'cross-project',
    call: {
      http: 'GET',
      route: '/auth/invites/:token',
      as,
      path: (_w, t) => `/auth/invites/${t.guessedInviteToken}`,
    },
    expect: { status: 400, code: 'invite_invalid' },
  })),
  {
    name: "GET /auth/invites/:token of A's own invite shows A's project",
    kind: 'positive',
    call: {
      http: 'GET',
      route: '/auth/invites/:token',
      as: none,
      path: async (w) => `/auth/invites/${(await alphaInvite(w)).token}`,
    },
    expect: { status: 200 },
    verify: (w, o) => expect(o.body).toMatchObject({ projectName: w.alpha.projectName }),
  },
  {
    name: "POST /auth/invites/:token/accept of B's invite id with a guessed secret as A's session",
    kind: 'cross-project',
    call: {
      http: 'POST',
      route: '/auth/invites/:token/accept',
      as: sessionA,
      path: (_w, t) => `/auth/invites/${t.guessedInviteToken}/accept`,
      body: () => ({}),
    },
    expect: { status: 400, code: 'invite_invalid' },
    verify: expectNoCrossMembership,
  },
  {
    name: "POST /auth/invites/:token/accept of B's invite id with a guessed secret, signing up",
    kind: 'cross-project',
    call: {
      http: 'POST',
      route: '/auth/invites/:token/accept',
      as: none,
      path: (_w, t) => `/auth/invites/${t.guessedInviteToken}/accept`,
      body: () => ({ email: intruderEmail(), name: 'intruder', password: `intruder-${randomUUID()}` }),
    },
    expect: { status: 400, code: 'invite_invalid' },
  },
  {
    name: "POST /auth/invites/:token/accept as A's session without the CSRF header",
    kind: 'csrf',
    call: {
      http: 'POST',
      route: '/auth/invites/:token/accept',
      as: (w) => withoutCsrf(w.alpha.session),
      path: async (w) => `/auth/invites/${(await alphaInvite(w)).token}/accept`,
      body: () => ({}),
    },
    expect: { status: 403, code: 'csrf' },
  },
  {
    name: "POST /auth/invites/:token/accept of A's invite, signing up: a session for A's project only",
    kind: 'positive',
    call: {
      http: 'POST',
      route: '/auth/invites/:token/accept',
      as: none,
      path: async (w) => `/auth/invites/${(await alphaInvite(w)).token}/accept`,
      body: () => ({
        email: `alpha-joiner-${randomUUID().slice(0, 8)}@example.com`,
        name: 'alpha joiner',
        password: `joiner-${randomUUID()}`,
      }),
    },
    expect: { status: 200 },
    verify: async (w, o) => {
      expect(bodyOf<{ projectId: string }>(o).projectId).toBe(w.alpha.projectId);
      const viewer = dataOf<{ viewer: { projects: { id: string }[] } }>(
        await graphqlHttp(w.base, sessionFrom(o), D.viewer),
      );
      expect(viewer.viewer.projects.map((p) => p.id)).toEqual([w.alpha.projectId]);
    },
  },
];

async function alphaInvite(w: World) {
  const asAlpha = { userId: w.alpha.userId, via: 'session' } as const;
  return w.app.get(CommandBus).execute(new CreateInviteCommand(asAlpha, w.alpha.projectId, 'member', null));
}

const passwordRows: Row[] = [
  ...[keyA, ...DENIED.map(([as]) => as)].map((as): Row => ({
    name: `POST /auth/password with ${name(as)}`,
    kind: kindOf(as),
    call: {
      http: 'POST',
      route: '/auth/password',
      as,
      body: (_w, t) => ({ password: `intruder-${randomUUID()}`, userId: t.userId }),
    },
    expect: { status: 401, code: 'unauthenticated' },
  })),
  {
    name: "POST /auth/password as A's session sets A's own password",
    kind: 'positive',
    call: {
      http: 'POST',
      route: '/auth/password',
      as: sessionA,
      body: (w) => ({ password: w.alpha.password }),
    },
    expect: { status: 204 },
    verify: async (w) => void (await login(w.base, w.alpha.email, w.alpha.password)),
  },
  {
    name: "POST /auth/password as A's session without the CSRF header",
    kind: 'csrf',
    call: {
      http: 'POST',
      route: '/auth/password',
      as: (w) => withoutCsrf(w.alpha.session),
      body: () => ({ password: `intruder-${randomUUID()}` }),
    },
    expect: { status: 403, code: 'csrf' },
  },
];

const logoutRows: Row[] = [
  {
    name: "POST /auth/logout with A's session cookie rewritten to B's user: B stays signed in",
    kind: 'cross-project',
    call: { http: 'POST', route: '/auth/logout', as: forgedSession },
    expect: { status: 401, code: 'unauthenticated' },
    verify: (w) => sessionStillValid(w, w.bravo.session),
  },
  {
    name: 'POST /auth/logout without credentials',
    kind: 'unauthenticated',
    call: { http: 'POST', route: '/auth/logout', as: none },
    expect: { status: 401, code: 'unauthenticated' },
  },
  {
    name: "POST /auth/logout as A's session without the CSRF header",
    kind: 'csrf',
    call: { http: 'POST', route: '/auth/logout', as: (w) => withoutCsrf(w.alpha.session) },
    expect: { status: 403, code: 'csrf' },
    verify: (w) => sessionStillValid(w, w.alpha.session),
  },
  {
    name: "POST /auth/logout of a second session of A ends that one only (not A's other, not B's)",
    kind: 'positive',
    call: {
      scenario: async (w) => {
        const second = await login(w.base, w.alpha.email, w.alpha.password);
        const out = await httpRequest(w.base, second, 'POST', '/auth/logout');
        expect(out.status).toBe(204);
        expect((await httpRequest(w.base, second, 'GET', '/auth/session')).status).toBe(401);
        await sessionStillValid(w, w.alpha.session);
        await sessionStillValid(w, w.bravo.session);
        return out;
      },
      covers: ['POST /auth/logout'],
    },
    expect: { status: 204 },
  },
];

/** Late: these change A's state (password, data) in ways the earlier rows do not expect. */
const lateRows: Row[] = [
  {
    name: "POST /auth/password as A naming B's user id in the body changes A's password only",
    kind: 'cross-project',
    sameForUnknownIds: false,
    call: {
      scenario: async (w, t) => {
        const password = `alpha-new-${randomUUID()}`;
        const out = await httpRequest(w.base, w.alpha.session, 'POST', '/auth/password', {
          body: { password, userId: t.userId, email: t.email },
        });
        expect(out.status).toBe(204);
        await login(w.base, w.alpha.email, password);
        await login(w.base, w.bravo.email, w.bravo.password);
        const asB = await httpRequest(w.base, { kind: 'none' }, 'POST', '/auth/login', {
          body: { email: w.bravo.email, password },
        });
        expect(asB.status).toBe(401);
        w.alpha.password = password;
        return out;
      },
      covers: ['POST /auth/password'],
    },
    expect: { status: 204 },
  },
  {
    name: "gateway as A's key into B's trace id (x-sightline-trace-id), then A deletes that trace: B's trace untouched",
    kind: 'cross-project',
    sameForUnknownIds: false,
    call: {
      scenario: async (w, t) => {
        const planted = await chat(w.base, w.alpha.key, 'alpha in a borrowed trace', {
          headers: { 'x-sightline-trace-id': t.traceId },
        });
        expect(planted.traceId).toBe(t.traceId);
        const node = await recorded(w.base, w.alpha.key, planted.spanId);
        expect(node.node.projectId).toBe(w.alpha.projectId);
        expect(await generationIds(w, w.bravo.key)).not.toContain(planted.spanId);
        const deleted = await graphqlHttp(w.base, w.alpha.session, D.deleteData, {
          p: w.alpha.projectId,
          scope: 'TRACE',
          target: t.traceId,
        });
        expect(dataOf(deleted).deleteData).toBe(true);
        await w.app.get(PurgerService).idle();
        expect(await generationIds(w, w.alpha.key)).not.toContain(planted.spanId);
        await expectBravoIntact(w);
        return deleted;
      },
      covers: ['POST /v1/chat/completions', 'Mutation.deleteData', 'POST /graphql'],
    },
    expect: { ok: () => undefined },
  },
  {
    name: "POST /auth/invites/:token/accept of B's invite for another email, as A's signed-in session",
    kind: 'cross-project',
    sameForUnknownIds: false,
    call: {
      http: 'POST',
      route: '/auth/invites/:token/accept',
      as: sessionA,
      path: async (w) => {
        const { token } = await w.app
          .get(CommandBus)
          .execute(
            new CreateInviteCommand(
              { userId: w.bravo.userId, via: 'session' },
              w.bravo.projectId,
              'member',
              `bravo-carol-${randomUUID().slice(0, 8)}@example.com`,
            ),
          );
        return `/auth/invites/${token}/accept`;
      },
      body: () => ({}),
    },
    expect: { status: 400, code: 'invite_email_mismatch' },
    verify: expectNoCrossMembership,
    cleanup: async (w) => {
      if (roleIn(w, w.bravo.projectId, w.alpha.userId))
        await w.app
          .get(CommandBus)
          .execute(new SetRoleCommand(SYSTEM, w.bravo.projectId, w.alpha.userId, null));
    },
  },
];

export const restRows: Row[] = [
  ...gatewayRows,
  ...sessionRows,
  ...loginRows,
  ...linkRows,
  ...inviteRows,
  ...passwordRows,
  ...logoutRows,
];
export const restLateRows: Row[] = lateRows;
