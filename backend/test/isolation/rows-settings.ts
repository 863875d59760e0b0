import type { Credential } from './client';
import { asAlpha, control, CREDENTIAL_NAMES, forbidden, keyA, notFound, sessionA, viewerA } from './common';
import type { Fn, Row } from './table';
import { dataOf } from './world';

/** Settings: retention, project rename, pending invites and their revocation; each project its own only. */
const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

const S = {
  retention: `query($p: ID) { retention(projectId: $p) { days setAt setBy { id email } } }`,
  setRetention: `mutation($p: ID, $days: Int) { setRetention(projectId: $p, input: { days: $days }) { days } }`,
  invites: `query($p: ID) { invites(projectId: $p) { id role email expiresAt expired invitedBy { id email } } }`,
  revokeInvite: `mutation($p: ID, $id: ID!) { revokeInvite(projectId: $p, id: $id) }`,
  renameProject: `mutation($p: ID, $name: String!) { renameProject(projectId: $p, name: $name) { id name } }`,
} as const;

const ON_B: Record<keyof typeof S, (t: { projectId: string }) => Record<string, unknown>> = {
  retention: (t) => ({ p: t.projectId }),
  setRetention: (t) => ({ p: t.projectId, days: 1 }),
  invites: (t) => ({ p: t.projectId }),
  revokeInvite: (t) => ({ p: t.projectId, id: 'inv_guessed' }),
  renameProject: (t) => ({ p: t.projectId, name: 'intruder was here' }),
};

const CREATE_INVITE = `mutation($p: ID) { createInvite(projectId: $p, role: VIEWER) { id } }`;
let inviteId = '';
let alphaName = '';

export const settingsRows: Row[] = [
  ...(Object.keys(S) as (keyof typeof S)[]).flatMap((field) =>
    [keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's project as ${name(as)}`,
      kind: 'cross-project',
      call: { gql: S[field], as, variables: (_w, t) => ON_B[field](t) },
      expect: notFound,
    })),
  ),
  {
    name: "setRetention(A, 3650 days) as A's owner: kept for A",
    kind: 'positive',
    call: { gql: S.setRetention, as: sessionA, variables: (w) => ({ p: w.alpha.projectId, days: 3650 }) },
    expect: { ok: (o) => expect(dataOf<{ setRetention: { days: number } }>(o).setRetention.days).toBe(3650) },
    verify: async (w) => expect(control(w).retention.get(w.alpha.projectId)?.days).toBe(3650),
    cleanup: async (w) => void (await asAlpha(w, S.setRetention, { p: w.alpha.projectId, days: null })),
  },
  {
    name: "setRetention(A) as A's viewer",
    kind: 'role',
    call: { gql: S.setRetention, as: viewerA, variables: (w) => ({ p: w.alpha.projectId, days: 1 }) },
    expect: forbidden,
  },
  {
    name: "setRetention(A) as A's API key: settings are for admins",
    kind: 'role',
    call: { gql: S.setRetention, as: keyA, variables: () => ({ days: 1 }) },
    expect: forbidden,
  },
  {
    name: "retention(A) as A's viewer",
    kind: 'positive',
    call: { gql: S.retention, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: { ok: (o) => expect(dataOf<{ retention: { days: null } }>(o).retention).toHaveProperty('days') },
  },
  {
    name: "invites(A) as A's owner: A's open invite",
    kind: 'positive',
    call: {
      gql: S.invites,
      as: sessionA,
      variables: async (w) => {
        const made = await asAlpha<{ createInvite: { id: string } }>(w, CREATE_INVITE, {
          p: w.alpha.projectId,
        });
        inviteId = made.createInvite.id;
        return { p: w.alpha.projectId };
      },
    },
    expect: {
      ok: (o) =>
        expect(dataOf<{ invites: { id: string }[] }>(o).invites.map((i) => i.id)).toContain(inviteId),
    },
  },
  {
    name: "invites(A) as A's viewer: invites are for admins",
    kind: 'role',
    call: { gql: S.invites, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: forbidden,
  },
  {
    name: "revokeInvite(A's invite) as A's owner: its link stops working",
    kind: 'positive',
    call: {
      gql: S.revokeInvite,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, id: inviteId }),
    },
    expect: { ok: (o) => expect(dataOf<{ revokeInvite: boolean }>(o).revokeInvite).toBe(true) },
    verify: async (w) => expect(control(w).invites.has(inviteId)).toBe(false),
  },
  {
    name: "revokeInvite(A) as A's viewer",
    kind: 'role',
    call: {
      gql: S.revokeInvite,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, id: 'inv_guessed' }),
    },
    expect: forbidden,
  },
  {
    name: "renameProject(A) as A's owner: renamed (and renamed back)",
    kind: 'positive',
    call: {
      gql: S.renameProject,
      as: sessionA,
      variables: (w) => {
        alphaName = control(w).projects.get(w.alpha.projectId)!.name;
        return { p: w.alpha.projectId, name: `${alphaName} renamed` };
      },
    },
    expect: {
      ok: (o) =>
        expect(dataOf<{ renameProject: { name: string } }>(o).renameProject.name).toMatch(/ renamed$/),
    },
    verify: async (w) =>
      expect(control(w).projects.get(w.alpha.projectId)?.name).toBe(`${alphaName} renamed`),
    cleanup: async (w) => void (await asAlpha(w, S.renameProject, { p: w.alpha.projectId, name: alphaName })),
  },
  {
    name: "renameProject(A) as A's API key: settings are for admins",
    kind: 'role',
    call: { gql: S.renameProject, as: keyA, variables: () => ({ name: 'by a key' }) },
    expect: forbidden,
  },
];
