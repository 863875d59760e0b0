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
import { dataOf } from './world';

/** Redaction rules: a project reads, previews and sets only its own. */
const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

const SETTINGS = `emails cardNumbers apiKeys redactForwarded updatedAt
  customRules { name pattern replacement caseInsensitive } updatedBy { id email }`;
const R = {
  redactionSettings: `query($p: ID) { redactionSettings(projectId: $p) { ${SETTINGS} } }`,
  previewRedaction: `query($p: ID, $s: RedactionSettingsInput!, $text: String!) {
    previewRedaction(projectId: $p, settings: $s, text: $text)
  }`,
  setRedactionSettings: `mutation($p: ID, $s: RedactionSettingsInput!) {
    setRedactionSettings(projectId: $p, settings: $s) { ${SETTINGS} }
  }`,
} as const;

/** Rules that touch no text the other rows send. */
const settings = (pattern = 'isolation-never-\\d{9}') => ({
  emails: false,
  cardNumbers: false,
  apiKeys: false,
  customRules: [{ name: 'never', pattern, replacement: '[NEVER]' }],
});
const preview = { s: { ...settings(), emails: true }, text: 'mail ada@example.com' };

const ON_B: Record<keyof typeof R, (t: { projectId: string }) => Record<string, unknown>> = {
  redactionSettings: (t) => ({ p: t.projectId }),
  previewRedaction: (t) => ({ p: t.projectId, ...preview }),
  setRedactionSettings: (t) => ({ p: t.projectId, s: settings() }),
};

interface Shown {
  customRules: { name: string; pattern: string }[];
  updatedBy: { id: string } | null;
}

export const redactionRows: Row[] = [
  ...(Object.keys(R) as (keyof typeof R)[]).flatMap((field) =>
    [keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's project as ${name(as)}`,
      kind: 'cross-project',
      call: { gql: R[field], as, variables: (_w, t) => ON_B[field](t) },
      expect: notFound,
    })),
  ),
  {
    name: "setRedactionSettings(A) as A's owner session: kept for A",
    kind: 'positive',
    call: {
      gql: R.setRedactionSettings,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, s: settings() }),
    },
    expect: {
      ok: (o) =>
        expect(dataOf<{ setRedactionSettings: Shown }>(o).setRedactionSettings.customRules).toEqual([
          expect.objectContaining({ name: 'never' }),
        ]),
    },
    verify: async (w) => {
      expect(control(w).redaction.get(w.alpha.projectId)?.customRules).toHaveLength(1);
      const { redactionSettings } = await asAlpha<{ redactionSettings: Shown }>(w, R.redactionSettings, {
        p: w.alpha.projectId,
      });
      expect(redactionSettings.updatedBy?.id).toBe(w.alpha.userId);
    },
  },
  {
    name: "setRedactionSettings(A) as A's viewer",
    kind: 'role',
    call: {
      gql: R.setRedactionSettings,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, s: settings() }),
    },
    expect: forbidden,
  },
  {
    name: "setRedactionSettings(A) as A's API key: settings are for admins",
    kind: 'role',
    call: { gql: R.setRedactionSettings, as: keyA, variables: () => ({ s: settings() }) },
    expect: forbidden,
  },
  {
    name: "setRedactionSettings(A, a backtracking pattern) as A's owner: BAD_USER_INPUT",
    kind: 'role',
    call: {
      gql: R.setRedactionSettings,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, s: settings('(a)\\1') }),
    },
    expect: gqlError('BAD_USER_INPUT', 'invalid_pattern'),
  },
  {
    name: "redactionSettings(A) as A's viewer",
    kind: 'positive',
    call: { gql: R.redactionSettings, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: {
      ok: (o) => expect(dataOf<{ redactionSettings: Shown }>(o).redactionSettings.customRules).toBeDefined(),
    },
  },
  {
    name: "previewRedaction(A) as A's API key: the text as it would be recorded",
    kind: 'positive',
    call: { gql: R.previewRedaction, as: keyA, variables: () => preview },
    expect: {
      ok: (o) => expect(dataOf<{ previewRedaction: string }>(o).previewRedaction).toBe('mail [EMAIL]'),
    },
  },
  {
    name: "previewRedaction(A) as A's viewer: previews are for members",
    kind: 'role',
    call: { gql: R.previewRedaction, as: viewerA, variables: (w) => ({ p: w.alpha.projectId, ...preview }) },
    expect: forbidden,
  },
];
