import { randomUUID } from 'node:crypto';
import { decideAndAppend } from '../../src/auth/commands/control-command';
import { SYSTEM } from '../../src/control/control-events';
import { ControlPlane } from '../../src/control/control-plane';
import type { Credential } from './client';
import { graphqlHttp } from './client';
import { CREDENTIAL_NAMES, forbidden, gqlError, keyA, notFound, sessionA, viewerA } from './common';
import { DENIED } from './rows-rest';
import type { Fn, Row } from './table';
import { dataOf, type World } from './world';

/** Experiments (bulk replay): B's experiments are unknown to A; A's viewer follows but does not start. */
const E = 'id projectId status progress { done total } comparison { requests } replays { generationId }';
const INPUT =
  '{ configurations: [{ model: "mock-1" }], concurrency: 1, budget: "1", filter: { models: ["mock-1"] } }';
const D = {
  experiments: `query($p: ID) { experiments(projectId: $p) { ${E} } }`,
  experiment: `query($p: ID, $id: ID!) { experiment(projectId: $p, id: $id) { ${E} } }`,
  experimentEstimate: `query($p: ID, $key: String!) { experimentEstimate(projectId: $p, input: ${INPUT}, idempotencyKey: $key) { requests cost overBudget } }`,
  startExperiment: `mutation($p: ID, $key: String!) { startExperiment(projectId: $p, input: ${INPUT}, idempotencyKey: $key) { ${E} } }`,
  cancelExperiment: `mutation($p: ID, $id: ID!) { cancelExperiment(projectId: $p, id: $id) { ${E} } }`,
  resumeExperiment: `mutation($p: ID, $id: ID!) { resumeExperiment(projectId: $p, id: $id) { ${E} } }`,
  experimentProgress: `subscription($p: ID, $id: ID!) { experimentProgress(projectId: $p, id: $id) { ${E} } }`,
} as const;
type Exp = { id: string; projectId: string; status: string };

const key = () => `isolation-${randomUUID()}`;
const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

/** B's own experiment, started by B's owner over B's generation. */
async function bravoExperiment(w: World): Promise<string> {
  const out = await graphqlHttp(w.base, w.bravo.session, D.startExperiment, {
    p: w.bravo.projectId,
    key: key(),
  });
  return dataOf<{ startExperiment: Exp }>(out).startExperiment.id;
}

/** An experiment of A that the record says runs but no process runs (as after a crash): over no items. */
async function orphanedAlphaExperiment(w: World): Promise<string> {
  const id = `exp_isolation_${randomUUID().slice(0, 8)}`;
  await decideAndAppend(w.app.get(ControlPlane), {
    type: 'start-experiment',
    actor: SYSTEM,
    now: new Date(),
    experimentId: id,
    projectId: w.alpha.projectId,
    definition: {
      name: 'orphan',
      idempotencyKey: id,
      filter: {},
      sample: { kind: 'all' },
      configurations: [{ configurationId: 'c1' }],
      concurrency: 1,
      budgetUsd: '1',
    },
    items: 1,
    estimateNanoUsd: 0n,
  });
  return id;
}

async function alphaExperiment(w: World): Promise<string> {
  const out = await graphqlHttp(w.base, w.alpha.session, D.startExperiment, {
    p: w.alpha.projectId,
    key: key(),
  });
  return dataOf<{ startExperiment: Exp }>(out).startExperiment.id;
}

const ON_B: [keyof typeof D, Fn<Record<string, unknown>>][] = [
  ['experiments', (_w, t) => ({ p: t.projectId })],
  ['experiment', (_w, t) => ({ p: t.projectId, id: 'exp_0' })],
  ['experimentEstimate', (_w, t) => ({ p: t.projectId, key: key() })],
  ['startExperiment', (_w, t) => ({ p: t.projectId, key: key() })],
  ['cancelExperiment', (_w, t) => ({ p: t.projectId, id: 'exp_0' })],
  ['resumeExperiment', (_w, t) => ({ p: t.projectId, id: 'exp_0' })],
];

const byId: (keyof typeof D)[] = ['experiment', 'cancelExperiment', 'resumeExperiment'];

export const experimentRows: Row[] = [
  ...ON_B.flatMap(([field, variables]): Row[] => [
    ...[keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's project as ${name(as)}`,
      kind: 'cross-project',
      call: { gql: D[field], as, variables },
      expect: notFound,
    })),
    ...DENIED.map(([as, kind]): Row => ({
      name: `${field} on B's project with ${name(as)}`,
      kind,
      call: { gql: D[field], as, variables },
      expect: gqlError('UNAUTHENTICATED'),
    })),
  ]),
  ...byId.map((field): Row => ({
    name: `${field}(A, B's experiment id) as A's owner session: unknown in A`,
    kind: 'cross-project',
    sameForUnknownIds: false,
    call: {
      gql: D[field],
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await bravoExperiment(w) }),
    },
    expect: gqlError('NOT_FOUND', 'experiment_not_found'),
  })),
  {
    name: "experimentProgress(A, B's experiment id) as A's owner session (graphql-ws): unknown in A",
    kind: 'cross-project',
    sameForUnknownIds: false,
    call: {
      gql: D.experimentProgress,
      via: 'ws',
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await bravoExperiment(w) }),
    },
    expect: gqlError('NOT_FOUND', 'experiment_not_found'),
  },
  ...(['startExperiment', 'experimentEstimate'] as const).map((field): Row => ({
    name: `${field}(A) as A's viewer: below member`,
    kind: 'role',
    call: { gql: D[field], as: viewerA, variables: (w) => ({ p: w.alpha.projectId, key: key() }) },
    expect: forbidden,
  })),
  {
    name: "cancelExperiment(A) as A's viewer: below member",
    kind: 'role',
    call: {
      gql: D.cancelExperiment,
      as: viewerA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await alphaExperiment(w) }),
    },
    expect: forbidden,
  },
  {
    name: "startExperiment(A) as A's API key: A's experiment, not listed in B",
    kind: 'positive',
    call: { gql: D.startExperiment, as: keyA, variables: () => ({ key: key() }) },
    expect: {
      ok: (o, w) =>
        expect(dataOf<{ startExperiment: Exp }>(o).startExperiment.projectId).toBe(w.alpha.projectId),
    },
    verify: async (w, o) => {
      const { id } = dataOf<{ startExperiment: Exp }>(o).startExperiment;
      const bravo = dataOf<{ experiments: Exp[] }>(
        await graphqlHttp(w.base, w.bravo.session, D.experiments, { p: w.bravo.projectId }),
      ).experiments;
      expect(bravo.some((e) => e.id === id)).toBe(false);
    },
  },
  {
    name: "experimentEstimate(A) as A's session",
    kind: 'positive',
    call: {
      gql: D.experimentEstimate,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, key: key() }),
    },
    expect: {
      ok: (o) =>
        expect(dataOf<{ experimentEstimate: { overBudget: boolean } }>(o).experimentEstimate.overBudget).toBe(
          false,
        ),
    },
  },
  {
    name: "experiments(A) and experiment(A's id) as A's viewer",
    kind: 'positive',
    call: {
      gql: D.experiment,
      as: viewerA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await alphaExperiment(w) }),
    },
    expect: {
      ok: (o, w) => expect(dataOf<{ experiment: Exp }>(o).experiment.projectId).toBe(w.alpha.projectId),
    },
  },
  {
    name: "experiments(A) as A's viewer: A's alone",
    kind: 'positive',
    call: {
      gql: D.experiments,
      as: viewerA,
      variables: async (w) => {
        await alphaExperiment(w);
        return { p: w.alpha.projectId };
      },
    },
    expect: {
      ok: (o, w) => {
        const list = dataOf<{ experiments: Exp[] }>(o).experiments;
        expect(list.length).toBeGreaterThan(0);
        expect(list.every((e) => e.projectId === w.alpha.projectId)).toBe(true);
      },
    },
  },
  {
    name: "cancelExperiment(A) as A's session: a running experiment no process runs",
    kind: 'positive',
    call: {
      gql: D.cancelExperiment,
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await orphanedAlphaExperiment(w) }),
    },
    expect: {
      ok: (o) => expect(dataOf<{ cancelExperiment: Exp }>(o).cancelExperiment.status).toBe('CANCELLED'),
    },
  },
  {
    name: "resumeExperiment(A) as A's API key: a running experiment no process runs goes on",
    kind: 'positive',
    call: {
      gql: D.resumeExperiment,
      as: keyA,
      variables: async (w) => ({ id: await orphanedAlphaExperiment(w) }),
    },
    expect: {
      ok: (o) => expect(dataOf<{ resumeExperiment: Exp }>(o).resumeExperiment.status).toBe('RUNNING'),
    },
  },
  {
    name: "experimentProgress(A's experiment) as A's viewer (graphql-ws)",
    kind: 'positive',
    call: {
      gql: D.experimentProgress,
      via: 'ws',
      as: viewerA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await alphaExperiment(w) }),
    },
    expect: {
      ok: (o, w) =>
        expect(dataOf<{ experimentProgress: Exp }>(o).experimentProgress.projectId).toBe(w.alpha.projectId),
    },
  },
];
