import type { Credential } from './client';
import { asAlpha, CREDENTIAL_NAMES, forbidden, keyA, notFound, sessionA, viewerA } from './common';
import type { Fn, Row } from './table';
import { dataOf } from './world';

/** Demo traffic: a project starts, cancels and watches only its own. Late: a run adds data to A. */
const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

const D = {
  demoTraffic: `query($p: ID) { demoTraffic(projectId: $p) { id status done total } }`,
  startDemoTraffic: `mutation($p: ID) { startDemoTraffic(projectId: $p) { id status total } }`,
  cancelDemoTraffic: `mutation($p: ID) { cancelDemoTraffic(projectId: $p) { id status } }`,
} as const;

export const demoRows: Row[] = [
  ...(Object.keys(D) as (keyof typeof D)[]).flatMap((field) =>
    [keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's project as ${name(as)}`,
      kind: 'cross-project',
      call: { gql: D[field], as, variables: (_w, t) => ({ p: t.projectId }) },
      expect: notFound,
    })),
  ),
  {
    name: "startDemoTraffic(A) as A's API key: it makes a key, so admins only",
    kind: 'role',
    call: { gql: D.startDemoTraffic, as: keyA },
    expect: forbidden,
  },
  {
    name: "cancelDemoTraffic(A) as A's viewer",
    kind: 'role',
    call: { gql: D.cancelDemoTraffic, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: forbidden,
  },
  {
    name: "startDemoTraffic(A) as A's owner: a run of A's",
    kind: 'positive',
    call: { gql: D.startDemoTraffic, as: sessionA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: {
      ok: (o) =>
        expect(dataOf<{ startDemoTraffic: { status: string } }>(o).startDemoTraffic.status).toBe('RUNNING'),
    },
  },
  {
    name: "demoTraffic(A) as A's viewer: A's run",
    kind: 'positive',
    call: { gql: D.demoTraffic, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: {
      ok: (o) => expect(dataOf<{ demoTraffic: { total: number } }>(o).demoTraffic.total).toBeGreaterThan(0),
    },
  },
  {
    name: "cancelDemoTraffic(A) as A's owner: A's run stops",
    kind: 'positive',
    call: { gql: D.cancelDemoTraffic, as: sessionA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: {
      ok: (o) =>
        expect(dataOf<{ cancelDemoTraffic: { status: string } }>(o).cancelDemoTraffic.status).toBe(
          'CANCELLED',
        ),
    },
    verify: async (w) =>
      expect(
        (await asAlpha<{ demoTraffic: { status: string } }>(w, D.demoTraffic, { p: w.alpha.projectId }))
          .demoTraffic.status,
      ).toBe('CANCELLED'),
  },
];
