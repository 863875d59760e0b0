import { randomUUID } from 'node:crypto';
import { ClickHouse } from '../../src/clickhouse/clickhouse';
import { RestatementStore } from '../../src/restatement/restatement-store';
import { graphqlHttp } from './client';
import { asAlpha, forbidden, gqlError, keyA, sessionA, viewerA } from './common';
import { D } from './documents';
import type { Row } from './table';
import { dataOf, type World } from './world';

/** Restatement jobs: A's are A's alone; B's job ids are unknown in A. */
interface Job {
  id: string;
  projectId: string;
  status: string;
}

const key = (): string => `isolation-${randomUUID()}`;

/** B's own restatement, started by B's owner. */
async function bravoJob(w: World): Promise<Job> {
  const out = await graphqlHttp(w.base, w.bravo.session, D.startRestatement, {
    p: w.bravo.projectId,
    key: key(),
  });
  return dataOf<{ startRestatement: Job }>(out).startRestatement;
}

/**
 * A job of A that the record says runs but no process runs (its process stopped): recorded
 * straight into the store, over nothing (no partitions), so cancelling and resuming it is certain.
 */
async function orphanedAlphaJob(w: World): Promise<string> {
  const id = `rst_isolation_${randomUUID().slice(0, 8)}`;
  await new RestatementStore(w.app.get(ClickHouse)).append(w.alpha.projectId, id, {
    kind: 'started',
    at: new Date().toISOString(),
    data: { idempotencyKey: id, ends: [] },
  });
  return id;
}

export const restatementRows: Row[] = [
  {
    name: "startRestatement(A) as A's owner session; B lists none of it",
    kind: 'positive',
    call: { gql: D.startRestatement, as: sessionA, variables: (w) => ({ p: w.alpha.projectId, key: key() }) },
    expect: {
      ok: (o, w) =>
        expect(dataOf<{ startRestatement: Job }>(o).startRestatement.projectId).toBe(w.alpha.projectId),
    },
    verify: async (w, o) => {
      const { id } = dataOf<{ startRestatement: Job }>(o).startRestatement;
      const bravo = dataOf<{ restatements: Job[] }>(
        await graphqlHttp(w.base, w.bravo.session, D.restatements, { p: w.bravo.projectId }),
      ).restatements;
      expect(bravo.some((j) => j.id === id)).toBe(false);
    },
  },
  {
    name: "startRestatement(A) as A's viewer",
    kind: 'role',
    call: { gql: D.startRestatement, as: viewerA, variables: (w) => ({ p: w.alpha.projectId, key: key() }) },
    expect: forbidden,
  },
  {
    name: "startRestatement as A's API key: keys do not administer",
    kind: 'role',
    call: { gql: D.startRestatement, as: keyA, variables: () => ({ key: key() }) },
    expect: forbidden,
  },
  {
    name: "restatements(A) as A's viewer: A's jobs",
    kind: 'positive',
    call: {
      gql: D.restatements,
      as: viewerA,
      variables: async (w) => {
        await asAlpha(w, D.startRestatement, { p: w.alpha.projectId, key: key() });
        return { p: w.alpha.projectId };
      },
    },
    expect: {
      ok: (o, w) => {
        const jobs = dataOf<{ restatements: Job[] }>(o).restatements;
        expect(jobs.length).toBeGreaterThan(0);
        expect(jobs.every((j) => j.projectId === w.alpha.projectId)).toBe(true);
      },
    },
  },
  {
    name: "restatement(A, A's job) as A's viewer",
    kind: 'positive',
    call: {
      gql: D.restatement,
      as: viewerA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await orphanedAlphaJob(w) }),
    },
    expect: { ok: (o) => expect(dataOf<{ restatement: Job }>(o).restatement.status).toBe('RUNNING') },
  },
  {
    name: "restatement(A, B's job id) as A's owner session: unknown in A",
    kind: 'cross-project',
    call: {
      gql: D.restatement,
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: (await bravoJob(w)).id }),
    },
    expect: gqlError('NOT_FOUND', 'restatement_not_found'),
    sameForUnknownIds: false,
  },
  {
    name: "cancelRestatement(A) as A's owner session: a job whose process stopped",
    kind: 'positive',
    call: {
      gql: D.cancelRestatement,
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await orphanedAlphaJob(w) }),
    },
    expect: {
      ok: (o) => expect(dataOf<{ cancelRestatement: Job }>(o).cancelRestatement.status).toBe('CANCELLED'),
    },
  },
  {
    name: "cancelRestatement(A, B's job id) as A's owner session: unknown in A, B's job untouched",
    kind: 'cross-project',
    call: {
      gql: D.cancelRestatement,
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: (await bravoJob(w)).id }),
    },
    expect: gqlError('NOT_FOUND', 'restatement_not_found'),
    sameForUnknownIds: false,
  },
  {
    name: "cancelRestatement(A) as A's viewer",
    kind: 'role',
    call: {
      gql: D.cancelRestatement,
      as: viewerA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await orphanedAlphaJob(w) }),
    },
    expect: forbidden,
  },
  {
    name: "resumeRestatement(A) as A's owner session: a job whose process stopped goes on and finishes",
    kind: 'positive',
    call: {
      gql: D.resumeRestatement,
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await orphanedAlphaJob(w) }),
    },
    expect: {
      ok: (o) => expect(dataOf<{ resumeRestatement: Job }>(o).resumeRestatement.status).toBe('RUNNING'),
    },
  },
  {
    name: "resumeRestatement(A, B's job id) as A's owner session: unknown in A",
    kind: 'cross-project',
    call: {
      gql: D.resumeRestatement,
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: (await bravoJob(w)).id }),
    },
    expect: gqlError('NOT_FOUND', 'restatement_not_found'),
    sameForUnknownIds: false,
  },
  {
    name: "restatementProgress(A, A's job) as A's viewer (graphql-ws): the job until it ends",
    kind: 'positive',
    call: {
      gql: D.restatementProgress,
      via: 'ws',
      as: viewerA,
      variables: async (w) => {
        const { startRestatement } = await asAlpha<{ startRestatement: Job }>(w, D.startRestatement, {
          p: w.alpha.projectId,
          key: key(),
        });
        return { p: w.alpha.projectId, id: startRestatement.id };
      },
    },
    expect: {
      ok: (o, w) =>
        expect(dataOf<{ restatementProgress: Job }>(o).restatementProgress.projectId).toBe(w.alpha.projectId),
    },
  },
  {
    name: "restatementProgress(A, B's job id) as A's owner session (graphql-ws): unknown in A",
    kind: 'cross-project',
    call: {
      gql: D.restatementProgress,
      via: 'ws',
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: (await bravoJob(w)).id }),
    },
    expect: gqlError('NOT_FOUND', 'restatement_not_found'),
    sameForUnknownIds: false,
  },
];
