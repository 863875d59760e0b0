import { CommandBus } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { AddProviderCredentialCommand } from '../../src/credentials/credentials.commands';
import { withoutCsrf } from './client';
import {
  control,
  expectBravoIntact,
  forbidden,
  gqlError,
  intruderCredential,
  INTRUDER_SECRET,
  keyA,
  sessionA,
  sessionB,
  viewerA,
} from './common';
import { D } from './documents';
import type { Expectation, Row } from './table';
import { dataOf, type World } from './world';

interface Shown {
  id: string;
  label: string;
  last4: string;
}

/**
 * A fresh provider credential of A (through the command bus), to rotate, remove or test; its base
 * URL is a closed port, so a test reaches nothing.
 */
async function freshAlphaCredential(w: World): Promise<string> {
  const credential = await w.app.get(CommandBus).execute(
    new AddProviderCredentialCommand({ userId: w.alpha.userId, via: 'session' }, w.alpha.projectId, {
      provider: 'openai',
      label: 'alpha disposable credential',
      secret: { apiKey: `sk-alpha-${randomBytes(16).toString('hex')}` },
      baseUrl: 'http://127.0.0.1:1/v1',
      settings: {},
      weight: 1,
    }),
  );
  return credential.credentialId;
}

const ALPHA_SECRET = `sk-alpha-${randomBytes(16).toString('hex')}`;
const credentialNotFound: Expectation = gqlError('NOT_FOUND', 'credential_not_found');

/** Settings → Providers: admins of the project only, and never a secret in an answer. */
export const credentialRows: Row[] = [
  // ---- Mutation.addProviderCredential ----
  {
    name: "addProviderCredential(A) as A's owner session: listed masked, the secret never answered",
    kind: 'positive',
    call: {
      gql: D.addProviderCredential,
      as: sessionA,
      variables: (w) => ({
        p: w.alpha.projectId,
        input: { provider: 'openai', label: 'alpha openai key', secret: ALPHA_SECRET },
      }),
    },
    expect: {
      ok: (o) => {
        expect(dataOf<{ addProviderCredential: Shown }>(o).addProviderCredential.last4).toBe(
          ALPHA_SECRET.slice(-4),
        );
        expect(o.text).not.toContain(ALPHA_SECRET);
      },
    },
    verify: (w, o) => {
      const id = dataOf<{ addProviderCredential: Shown }>(o).addProviderCredential.id;
      expect(control(w).providerCredentials.get(id)).toMatchObject({ projectId: w.alpha.projectId });
      expect(JSON.stringify(control(w).providerCredentials.get(id))).not.toContain(ALPHA_SECRET);
    },
  },
  {
    name: "addProviderCredential as A's API key: keys do not administer",
    kind: 'role',
    call: { gql: D.addProviderCredential, as: keyA, variables: () => ({ input: intruderCredential() }) },
    expect: forbidden,
  },
  {
    name: "addProviderCredential(A) as A's viewer",
    kind: 'role',
    call: {
      gql: D.addProviderCredential,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, input: intruderCredential() }),
    },
    expect: forbidden,
  },
  {
    name: "addProviderCredential(A) as A's owner session without the CSRF header",
    kind: 'csrf',
    call: {
      gql: D.addProviderCredential,
      as: (w) => withoutCsrf(w.alpha.session),
      variables: (w) => ({ p: w.alpha.projectId, input: intruderCredential() }),
    },
    expect: gqlError('CSRF'),
  },

  // ---- Query.providerCredentials ----
  {
    name: "providerCredentials(A) as A's owner session: A's credentials, masked",
    kind: 'positive',
    call: { gql: D.providerCredentials, as: sessionA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: {
      ok: (o) => {
        const listed = dataOf<{ providerCredentials: Shown[] }>(o).providerCredentials;
        expect(listed).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ label: 'alpha openai key', last4: ALPHA_SECRET.slice(-4) }),
          ]),
        );
        expect(o.text).not.toContain(ALPHA_SECRET);
      },
    },
  },
  {
    name: "providerCredentials(B) as B's owner session lists B's credential (B's control)",
    kind: 'positive',
    actsAsBravo: true,
    call: { gql: D.providerCredentials, as: sessionB, variables: (w) => ({ p: w.bravo.projectId }) },
    expect: {
      ok: (o, w) => {
        const listed = dataOf<{ providerCredentials: Shown[] }>(o).providerCredentials;
        expect(listed.map((c) => c.id)).toEqual([w.bravo.credentialId]);
        expect(o.text).not.toContain(w.bravo.providerSecret);
      },
    },
  },
  {
    name: "providerCredentials as A's API key: keys do not administer",
    kind: 'role',
    call: { gql: D.providerCredentials, as: keyA },
    expect: forbidden,
  },
  {
    name: "providerCredentials(A) as A's viewer",
    kind: 'role',
    call: { gql: D.providerCredentials, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: forbidden,
  },

  // ---- Mutation.rotateProviderCredential ----
  {
    name: "rotateProviderCredential of B's credential through A's own project as A's owner session",
    kind: 'cross-project',
    call: {
      gql: D.rotateProviderCredential,
      as: sessionA,
      variables: (w, t) => ({ p: w.alpha.projectId, id: t.credentialId, secret: INTRUDER_SECRET }),
    },
    expect: credentialNotFound,
    verify: expectBravoIntact,
  },
  {
    name: "rotateProviderCredential(A) of A's credential as A's viewer",
    kind: 'role',
    call: {
      gql: D.rotateProviderCredential,
      as: viewerA,
      variables: async (w) => ({
        p: w.alpha.projectId,
        id: await freshAlphaCredential(w),
        secret: INTRUDER_SECRET,
      }),
    },
    expect: forbidden,
  },
  {
    name: "rotateProviderCredential(A) of A's credential as A's owner session",
    kind: 'positive',
    call: {
      gql: D.rotateProviderCredential,
      as: sessionA,
      variables: async (w) => ({
        p: w.alpha.projectId,
        id: await freshAlphaCredential(w),
        secret: ALPHA_SECRET,
      }),
    },
    expect: {
      ok: (o) => {
        const rotated = dataOf<{ rotateProviderCredential: Shown & { rotatedAt: string } }>(
          o,
        ).rotateProviderCredential;
        expect(rotated).toMatchObject({ last4: ALPHA_SECRET.slice(-4), rotatedAt: expect.any(String) });
        expect(o.text).not.toContain(ALPHA_SECRET);
      },
    },
  },

  // ---- Mutation.removeProviderCredential ----
  {
    name: "removeProviderCredential of B's credential through A's own project as A's owner session",
    kind: 'cross-project',
    call: {
      gql: D.removeProviderCredential,
      as: sessionA,
      variables: (w, t) => ({ p: w.alpha.projectId, id: t.credentialId }),
    },
    expect: credentialNotFound,
    verify: expectBravoIntact,
  },
  {
    name: "removeProviderCredential(A) as A's API key",
    kind: 'role',
    call: {
      gql: D.removeProviderCredential,
      as: keyA,
      variables: async (w) => ({ id: await freshAlphaCredential(w) }),
    },
    expect: forbidden,
  },
  {
    name: "removeProviderCredential(A) of A's credential as A's owner session: gone, secret too",
    kind: 'positive',
    call: {
      gql: D.removeProviderCredential,
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await freshAlphaCredential(w) }),
    },
    expect: {
      ok: (o) => expect(dataOf<{ removeProviderCredential: boolean }>(o).removeProviderCredential).toBe(true),
    },
    verify: (w) => {
      const disposable = [...control(w).providerCredentials.values()].filter(
        (c) => c.label === 'alpha disposable credential' && c.removedAt,
      );
      expect(disposable.length).toBeGreaterThan(0);
      expect(disposable.every((c) => c.secretEnc === null)).toBe(true);
    },
  },

  // ---- Mutation.testProviderCredential ----
  {
    name: "testProviderCredential of B's credential through A's own project as A's owner session",
    kind: 'cross-project',
    call: {
      gql: D.testProviderCredential,
      as: sessionA,
      variables: (w, t) => ({ p: w.alpha.projectId, id: t.credentialId }),
    },
    expect: credentialNotFound,
  },
  {
    name: "testProviderCredential(A) as A's viewer",
    kind: 'role',
    call: {
      gql: D.testProviderCredential,
      as: viewerA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await freshAlphaCredential(w) }),
    },
    expect: forbidden,
  },
  {
    name: "testProviderCredential(A) as A's API key",
    kind: 'role',
    call: {
      gql: D.testProviderCredential,
      as: keyA,
      variables: async (w) => ({ id: await freshAlphaCredential(w) }),
    },
    expect: forbidden,
  },
  {
    name: "testProviderCredential(A) of A's credential as A's owner session: tried, the closed port reported",
    kind: 'positive',
    call: {
      gql: D.testProviderCredential,
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await freshAlphaCredential(w) }),
    },
    expect: {
      ok: (o) =>
        expect(dataOf<{ testProviderCredential: unknown }>(o).testProviderCredential).toMatchObject({
          ok: false,
          status: null,
        }),
    },
  },
];
