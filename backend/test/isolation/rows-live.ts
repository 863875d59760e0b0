import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { SetRoleCommand } from '../../src/auth/commands/projects.commands';
import { RegisterUserCommand } from '../../src/auth/commands/users.commands';
import { SYSTEM } from '../../src/control/control-events';
import {
  graphqlHttp,
  httpRequest,
  sleep,
  waitFor,
  WsConnection,
  type Credential,
  type Outcome,
} from './client';
import { D } from './documents';
import type { Row } from './table';
import { chat, dataOf, login, type World } from './world';

const SUBSCRIPTION = 'Subscription.generationRecorded';
/** How long a push that must not come is waited for, after a later one already arrived elsewhere. */
const QUIET_MS = 400;

interface Live {
  readonly connection: WsConnection;
  readonly id: string;
  readonly ids: () => string[];
}

type LiveField = 'generationRecorded' | 'liveGenerations';
type Pushed = { id: string } | { generation?: { id: string }; progress?: { id: string } };
const idOf = (p: Pushed): string => ('id' in p ? p.id : (p.generation ?? p.progress)!.id);

/**
 * A live subscription (`generationRecorded` unless told), primed: it counts as registered once a
 * generation `sender` sent arrived on it.
 */
async function subscribed(
  w: World,
  credential: Credential,
  variables: Record<string, unknown>,
  sender: Credential,
  field: LiveField = 'generationRecorded',
): Promise<Live> {
  const connection = await WsConnection.open(w.wsUrl, credential);
  if (!connection.acked) throw new Error(`connection refused: ${connection.outcome().text}`);
  const id = connection.subscribe(D[field], variables);
  const ids = () => connection.pushed<Pushed>(id, field).map(idOf);
  for (let attempt = 1; ; attempt++) {
    const primer = await chat(w.base, sender, `primer ${randomUUID()}`);
    try {
      await waitFor(() => ids().includes(primer.spanId), 2000);
      return { connection, id, ids };
    } catch (error) {
      if (attempt === 5) {
        await connection.close();
        throw new Error(`subscription never received: ${connection.outcome(id).text}`, { cause: error });
      }
    }
  }
}

/** B sends, then A sends; `live` must get A's generation and never B's. */
async function onlyOwnProject(w: World, live: Live, sender: Credential, other: Credential): Promise<Outcome> {
  try {
    const foreign = await chat(w.base, other, `bravo-live-${randomUUID()}`);
    const own = await chat(w.base, sender, `own-live-${randomUUID()}`);
    await waitFor(() => live.ids().includes(own.spanId), 10_000);
    await sleep(QUIET_MS);
    expect(live.ids()).not.toContain(foreign.spanId);
    return live.connection.outcome(live.id);
  } finally {
    await live.connection.close();
  }
}

/** A new viewer of A with a password, signed in. */
async function freshViewer(w: World) {
  const commands = w.app.get(CommandBus);
  const password = `viewer-${randomUUID()}`;
  const user = await commands.execute(
    new RegisterUserCommand(SYSTEM, {
      email: `alpha-viewer-${randomUUID().slice(0, 8)}@example.com`,
      name: 'alpha second viewer',
      password,
    }),
  );
  await commands.execute(new SetRoleCommand(SYSTEM, w.alpha.projectId, user.userId, 'viewer'));
  return { userId: user.userId, session: await login(w.base, user.email, password) };
}

async function removeFromAlpha(w: World, userId: string): Promise<void> {
  const removed = await graphqlHttp(w.base, w.alpha.session, D.removeMember, {
    p: w.alpha.projectId,
    u: userId,
  });
  expect(dataOf(removed).removeMember).toBe(true);
}

/** After `change`, A sends one generation: `control` receives it, `stopped` must not. */
async function expectStopped(w: World, stopped: Live, control: Live): Promise<void> {
  const after = await chat(w.base, w.alpha.key, `after ${randomUUID()}`);
  await waitFor(() => control.ids().includes(after.spanId), 10_000);
  await sleep(QUIET_MS);
  expect(stopped.ids()).not.toContain(after.spanId);
}

export const liveRows: Row[] = [
  {
    name: "generationRecorded as A's API key: A's generations, none of B's",
    kind: 'positive',
    call: {
      scenario: async (w) =>
        onlyOwnProject(w, await subscribed(w, w.alpha.key, {}, w.alpha.key), w.alpha.key, w.bravo.key),
      covers: [SUBSCRIPTION, 'WS /graphql'],
    },
    expect: { ok: () => undefined },
  },
  {
    name: "liveGenerations as A's API key: A's generations (in flight and ended), none of B's",
    kind: 'positive',
    call: {
      scenario: async (w) =>
        onlyOwnProject(
          w,
          await subscribed(w, w.alpha.key, {}, w.alpha.key, 'liveGenerations'),
          w.alpha.key,
          w.bravo.key,
        ),
      covers: ['Subscription.liveGenerations', 'WS /graphql'],
    },
    expect: { ok: () => undefined },
  },
  {
    name: "liveGenerations(A) as A's viewer: A's generations, none of B's",
    kind: 'positive',
    call: {
      scenario: async (w) =>
        onlyOwnProject(
          w,
          await subscribed(w, w.viewer.session, { p: w.alpha.projectId }, w.alpha.key, 'liveGenerations'),
          w.alpha.key,
          w.bravo.key,
        ),
      covers: ['Subscription.liveGenerations', 'WS /graphql'],
    },
    expect: { ok: () => undefined },
  },
  {
    name: "generationRecorded(A) as A's owner session: A's generations, none of B's",
    kind: 'positive',
    call: {
      scenario: async (w) =>
        onlyOwnProject(
          w,
          await subscribed(w, w.alpha.session, { p: w.alpha.projectId }, w.alpha.key),
          w.alpha.key,
          w.bravo.key,
        ),
      covers: [SUBSCRIPTION, 'WS /graphql'],
    },
    expect: { ok: () => undefined },
  },
  {
    name: "generationRecorded(A) as A's viewer: A's generations, none of B's",
    kind: 'positive',
    call: {
      scenario: async (w) =>
        onlyOwnProject(
          w,
          await subscribed(w, w.viewer.session, { p: w.alpha.projectId }, w.alpha.key),
          w.alpha.key,
          w.bravo.key,
        ),
      covers: [SUBSCRIPTION, 'WS /graphql'],
    },
    expect: { ok: () => undefined },
  },
  {
    name: "generationRecorded as B's API key: B's generations (B's control)",
    kind: 'positive',
    actsAsBravo: true,
    call: {
      scenario: async (w) =>
        onlyOwnProject(w, await subscribed(w, w.bravo.key, {}, w.bravo.key), w.bravo.key, w.alpha.key),
      covers: [SUBSCRIPTION, 'WS /graphql'],
    },
    expect: { ok: () => undefined },
  },
  {
    name: "A's key revoked while its subscription is open: no more pushes, no new operations, nothing on a new connection",
    kind: 'revoked',
    call: {
      scenario: async (w) => {
        const created = dataOf<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
          await graphqlHttp(w.base, w.alpha.session, D.createApiKey, {
            p: w.alpha.projectId,
            name: 'alpha live key',
          }),
        ).createApiKey;
        const doomedKey: Credential = { kind: 'key', key: created.secret };
        const doomed = await subscribed(w, doomedKey, {}, w.alpha.key);
        const control = await subscribed(w, w.alpha.key, {}, w.alpha.key);
        try {
          const revoked = await graphqlHttp(w.base, w.alpha.session, D.revokeApiKey, {
            p: w.alpha.projectId,
            id: created.apiKey.id,
          });
          expect(dataOf(revoked).revokeApiKey).toMatchObject({ id: created.apiKey.id });
          await expectStopped(w, doomed, control);

          const onOpenConnection = await doomed.connection.execute(D.project, {});
          const refusedOp = doomed.connection.outcome(onOpenConnection);
          expect(refusedOp.gql?.data ?? null).toBeNull();
          expect(refusedOp.gql?.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);

          // A new connection is accepted, but nothing runs on it: UNAUTHENTICATED.
          const reconnect = await WsConnection.open(w.wsUrl, doomedKey);
          const onReconnect = reconnect.outcome(await reconnect.execute(D.generationRecorded, {}));
          await reconnect.close();
          expect(onReconnect.gql?.data ?? null).toBeNull();
          expect(onReconnect.gql?.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
          const gateway = await httpRequest(w.base, doomedKey, 'POST', '/v1/chat/completions', {
            body: { model: 'mock-1', messages: [{ role: 'user', content: 'revoked' }] },
          });
          expect(gateway.status).toBe(401);
          const overHttp = await graphqlHttp(w.base, doomedKey, D.generations, {});
          expect(overHttp.gql?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
          return doomed.connection.outcome();
        } finally {
          await doomed.connection.close();
          await control.connection.close();
        }
      },
      covers: [
        SUBSCRIPTION,
        'Mutation.createApiKey',
        'Mutation.revokeApiKey',
        'POST /v1/chat/completions',
        'WS /graphql',
      ],
    },
    expect: { ok: () => undefined },
  },
  {
    name: "A's session logged out while its subscription is open: no more pushes",
    kind: 'revoked',
    call: {
      scenario: async (w) => {
        const session = await login(w.base, w.alpha.email, w.alpha.password);
        const doomed = await subscribed(w, session, { p: w.alpha.projectId }, w.alpha.key);
        const control = await subscribed(w, w.alpha.key, {}, w.alpha.key);
        try {
          expect((await httpRequest(w.base, session, 'POST', '/auth/logout')).status).toBe(204);
          await expectStopped(w, doomed, control);
          const op = doomed.connection.outcome(
            await doomed.connection.execute(D.project, { p: w.alpha.projectId }),
          );
          expect(op.gql?.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
          return doomed.connection.outcome();
        } finally {
          await doomed.connection.close();
          await control.connection.close();
        }
      },
      covers: [SUBSCRIPTION, 'POST /auth/logout', 'WS /graphql'],
    },
    expect: { ok: () => undefined },
  },
  {
    name: 'a viewer removed from A: new operations on the open connection are refused',
    kind: 'revoked',
    call: {
      scenario: async (w) => {
        const viewer = await freshViewer(w);
        const live = await subscribed(w, viewer.session, { p: w.alpha.projectId }, w.alpha.key);
        try {
          await removeFromAlpha(w, viewer.userId);
          const op = live.connection.outcome(
            await live.connection.execute(D.generations, { p: w.alpha.projectId }),
          );
          expect(op.gql?.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
          const again = live.connection.outcome(
            await live.connection.execute(D.generationRecorded, { p: w.alpha.projectId }),
          );
          expect(again.gql?.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
          return op;
        } finally {
          await live.connection.close();
        }
      },
      covers: [SUBSCRIPTION, 'Mutation.removeMember', 'Query.generations', 'WS /graphql'],
    },
    expect: { ok: () => undefined },
  },
  {
    name: "a viewer removed from A: the subscription opened before stops receiving A's generations",
    kind: 'revoked',
    call: {
      scenario: async (w) => {
        const viewer = await freshViewer(w);
        const doomed = await subscribed(w, viewer.session, { p: w.alpha.projectId }, w.alpha.key);
        const control = await subscribed(w, w.alpha.key, {}, w.alpha.key);
        try {
          await removeFromAlpha(w, viewer.userId);
          await expectStopped(w, doomed, control);
          return doomed.connection.outcome();
        } finally {
          await doomed.connection.close();
          await control.connection.close();
        }
      },
      covers: [SUBSCRIPTION, 'Mutation.removeMember', 'WS /graphql'],
    },
    expect: { ok: () => undefined },
  },
];
