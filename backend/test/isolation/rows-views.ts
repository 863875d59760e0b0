import { CommandBus } from '@nestjs/cqrs';
import type { Credential } from './client';
import {
  asAlpha,
  control,
  CREDENTIAL_NAMES,
  forbidden,
  gqlError,
  keyA,
  notFound,
  sessionA,
  viewerA,
} from './common';
import type { Fn, Row } from './table';
import { dataOf, type World } from './world';
import { SaveViewCommand } from '../../src/views/views.commands';

/** Saved views: a project reads and changes only its own; viewers read, members change. */
const VIEW = 'id name query columns sortField sortDirection updatedBy { id }';
const V = {
  savedViews: `query($p: ID) { savedViews(projectId: $p) { ${VIEW} } }`,
  saveView: `mutation($p: ID, $id: ID, $input: SavedViewInput!) { saveView(projectId: $p, id: $id, input: $input) { ${VIEW} } }`,
  renameView: `mutation($p: ID, $id: ID!, $name: String!) { renameView(projectId: $p, id: $id, name: $name) { ${VIEW} } }`,
  deleteView: `mutation($p: ID, $id: ID!) { deleteView(projectId: $p, id: $id) }`,
} as const;

interface Shown {
  id: string;
  name: string;
  columns: string[];
}

const input = (name: string) => ({
  name,
  query: 'range=24h&errors=only',
  columns: ['time', 'name', 'latency'],
  sortField: 'LATENCY_MS',
  sortDirection: 'DESC',
});
const who = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

const bravoViews = new WeakMap<World, Promise<string>>();

/** B's view (made once, by B's owner): what A aims at through A's own project. */
const bravoView: Fn<string> = (w, t) => {
  if (t.label === 'nowhere') return 'view_nowhere0000';
  if (!bravoViews.has(w))
    bravoViews.set(
      w,
      w.app
        .get(CommandBus)
        .execute(
          new SaveViewCommand({ userId: w.bravo.userId, via: 'session' }, w.bravo.projectId, null, {
            ...input('bravo slow errors'),
            sortDirection: 'DESC',
          }),
        )
        .then((v) => v.viewId),
    );
  return bravoViews.get(w)!;
};

async function expectBravoViewIntact(w: World): Promise<void> {
  const id = await bravoView(w, w.targets.bravo);
  expect(control(w).views.get(id)).toMatchObject({ name: 'bravo slow errors', deletedAt: null });
}

/** A fresh view of A (by A's owner), to rename or delete. */
async function freshAlphaView(w: World): Promise<string> {
  const { saveView } = await asAlpha<{ saveView: Shown }>(w, V.saveView, {
    p: w.alpha.projectId,
    input: input(`alpha ${Date.now()}-${Math.random()}`),
  });
  return saveView.id;
}

const ON_B: Record<keyof typeof V, Fn<Record<string, unknown>>> = {
  savedViews: (_w, t) => ({ p: t.projectId }),
  saveView: (_w, t) => ({ p: t.projectId, input: input('intruder view') }),
  renameView: async (w, t) => ({ p: t.projectId, id: await bravoView(w, t), name: 'intruder view' }),
  deleteView: async (w, t) => ({ p: t.projectId, id: await bravoView(w, t) }),
};

const viewNotFound = gqlError('NOT_FOUND', 'view_not_found');

export const viewRows: Row[] = [
  ...(Object.keys(V) as (keyof typeof V)[]).flatMap((field) =>
    [keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's project as ${who(as)}`,
      kind: 'cross-project',
      call: { gql: V[field], as, variables: ON_B[field] },
      expect: notFound,
    })),
  ),
  ...(['renameView', 'deleteView'] as const).map((field): Row => ({
    name: `${field} of B's view through A's own project as A's owner session`,
    kind: 'cross-project',
    call: {
      gql: V[field],
      as: sessionA,
      variables: async (w, t) => ({ ...(await ON_B[field](w, t)), p: w.alpha.projectId }),
    },
    expect: viewNotFound,
    verify: expectBravoViewIntact,
  })),
  {
    name: "saveView(A) as A's owner session: listed for A's viewer, not for B",
    kind: 'positive',
    call: {
      gql: V.saveView,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, input: input('alpha slow errors') }),
    },
    expect: {
      ok: (o) =>
        expect(dataOf<{ saveView: Shown }>(o).saveView).toMatchObject({
          name: 'alpha slow errors',
          columns: ['time', 'name', 'latency'],
        }),
    },
    verify: async (w, o) => {
      const id = dataOf<{ saveView: Shown }>(o).saveView.id;
      expect(control(w).views.get(id)).toMatchObject({ projectId: w.alpha.projectId });
      await expectBravoViewIntact(w);
    },
  },
  {
    name: "savedViews(A) as A's viewer: A's views only",
    kind: 'positive',
    call: { gql: V.savedViews, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: {
      ok: (o) =>
        expect(dataOf<{ savedViews: Shown[] }>(o).savedViews.map((v) => v.name)).toContain(
          'alpha slow errors',
        ),
    },
    verify: (_w, o) => expect(o.text).not.toContain('bravo slow errors'),
  },
  {
    name: "saveView(A) as A's viewer",
    kind: 'role',
    call: {
      gql: V.saveView,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, input: input('viewer view') }),
    },
    expect: forbidden,
  },
  {
    name: "renameView(A) of A's view as A's viewer",
    kind: 'role',
    call: {
      gql: V.renameView,
      as: viewerA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await freshAlphaView(w), name: 'viewer' }),
    },
    expect: forbidden,
  },
  {
    name: "deleteView(A) of A's view as A's viewer",
    kind: 'role',
    call: {
      gql: V.deleteView,
      as: viewerA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await freshAlphaView(w) }),
    },
    expect: forbidden,
  },
  {
    name: "renameView(A) as A's API key: keys act as members",
    kind: 'positive',
    call: {
      gql: V.renameView,
      as: keyA,
      variables: async (w) => ({ id: await freshAlphaView(w), name: `renamed ${Math.random()}` }),
    },
    expect: { ok: (o) => expect(dataOf<{ renameView: Shown }>(o).renameView.name).toMatch(/^renamed /) },
  },
  {
    name: "deleteView(A) of A's view as A's owner session",
    kind: 'positive',
    call: {
      gql: V.deleteView,
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await freshAlphaView(w) }),
    },
    expect: { ok: (o) => expect(dataOf<{ deleteView: string }>(o).deleteView).toMatch(/^view_/) },
    verify: (w, o) =>
      expect(control(w).views.get(dataOf<{ deleteView: string }>(o).deleteView)?.deletedAt).not.toBeNull(),
  },
];
