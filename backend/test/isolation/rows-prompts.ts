import type { Credential } from './client';
import {
  CREDENTIAL_NAMES,
  forbidden,
  gqlError,
  keyA,
  keyB,
  notFound,
  sessionA,
  sessionB,
  viewerA,
} from './common';
import { DENIED } from './rows-rest';
import type { Fn, Row, Vars } from './table';
import { dataOf } from './world';

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

/** B's prompt, saved by B's control row; A must never see it, whatever A holds. */
const B_PROMPT = 'bravo/secret-prompt';
const PROMPTS = `query($p: ID) { prompts(projectId: $p) { name } }`;
const PROMPT = `query($p: ID, $name: String!) { prompt(projectId: $p, name: $name) { name messages } }`;
const VERSIONS = `query($p: ID, $name: String!) { promptVersions(projectId: $p, name: $name) { name messages } }`;
const CREATE = `mutation($p: ID, $name: String!) {
  createPromptVersion(projectId: $p, input: { name: $name, messages: "[{\\"role\\":\\"system\\",\\"content\\":\\"intruder\\"}]" }) { name version } }`;
const LABEL = `mutation($p: ID, $name: String!) {
  setPromptLabel(projectId: $p, name: $name, label: "production", version: 1) { name } }`;
const ROUTE = '/api/prompts/*name';
const onB: Fn<Vars> = (_w, t) => ({ p: t.projectId, name: B_PROMPT });

const OPERATIONS: readonly [string, string][] = [
  ['prompts', PROMPTS],
  ['prompt', PROMPT],
  ['promptVersions', VERSIONS],
  ['createPromptVersion', CREATE],
  ['setPromptLabel', LABEL],
];

/** Prompts: B's read as absent and stay unchanged to A; a viewer of A reads but does not write. */
export const promptRows: Row[] = [
  {
    // B's session, not B's key: B's audit log must show who wrote (a key's writes look like A's keys').
    name: "createPromptVersion in B's project as B's session (B's control; A's rows must not see it)",
    kind: 'positive',
    actsAsBravo: true,
    call: { gql: CREATE, as: sessionB, variables: (w) => ({ p: w.bravo.projectId, name: B_PROMPT }) },
    expect: {
      ok: (o) =>
        expect(
          dataOf<{ createPromptVersion: { version: number } }>(o).createPromptVersion.version,
        ).toBeGreaterThan(0),
    },
  },
  ...(
    [
      ['prompt', PROMPT],
      ['promptVersions', VERSIONS],
      ['setPromptLabel', LABEL],
    ] as const
  ).map(([field, gql]): Row => ({
    name: `${field} of B's prompt as B's session (B's control)`,
    kind: 'positive',
    actsAsBravo: true,
    call: { gql, as: sessionB, variables: (w) => ({ p: w.bravo.projectId, name: B_PROMPT }) },
    expect: { ok: (o) => expect(JSON.stringify(o.gql?.data)).toContain(B_PROMPT) },
  })),
  {
    name: `GET ${ROUTE} of B's prompt as B's session (B's control)`,
    kind: 'positive',
    actsAsBravo: true,
    call: { http: 'GET', route: ROUTE, path: () => `/api/prompts/${encodeURIComponent(B_PROMPT)}`, as: keyB },
    expect: { status: 200 },
  },
  ...OPERATIONS.flatMap(([field, gql]): Row[] => [
    ...[keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's project as ${name(as)}`,
      kind: 'cross-project',
      call: { gql, as, variables: onB },
      expect: notFound,
    })),
    ...DENIED.map(([as, kind]): Row => ({
      name: `${field} on B's project with ${name(as)}`,
      kind,
      call: { gql, as, variables: onB },
      expect: gqlError('UNAUTHENTICATED'),
    })),
  ]),
  {
    name: "prompt(B's prompt name) in A's own project as A's API key: not found, as a name that exists nowhere",
    kind: 'cross-project',
    sameForUnknownIds: true,
    call: { gql: PROMPT, as: keyA, variables: () => ({ name: B_PROMPT }) },
    expect: gqlError('NOT_FOUND', 'prompt_not_found'),
  },
  {
    name: "prompts() as A's API key lists none of B's",
    kind: 'positive',
    call: { gql: PROMPTS, as: keyA },
    expect: {
      ok: (o) =>
        expect(dataOf<{ prompts: { name: string }[] }>(o).prompts.map((p) => p.name)).not.toContain(B_PROMPT),
    },
  },
  {
    name: "createPromptVersion in A's project as A's viewer: below member",
    kind: 'role',
    call: { gql: CREATE, as: viewerA, variables: (w) => ({ p: w.alpha.projectId, name: 'viewer-attempt' }) },
    expect: forbidden,
  },
  ...[keyA, sessionA, viewerA].map((as): Row => ({
    name: `GET ${ROUTE} of B's project (x-sightline-project-id) as ${name(as)}`,
    kind: 'cross-project',
    call: {
      http: 'GET',
      route: ROUTE,
      path: () => `/api/prompts/${encodeURIComponent(B_PROMPT)}`,
      as,
      headers: (_w, t) => ({ 'x-sightline-project-id': t.projectId }),
    },
    expect: { status: 404 },
  })),
  ...DENIED.map(([as, kind]): Row => ({
    name: `GET ${ROUTE} with ${name(as)}`,
    kind,
    call: { http: 'GET', route: ROUTE, path: () => `/api/prompts/${encodeURIComponent(B_PROMPT)}`, as },
    expect: { status: 401, code: 'unauthenticated' },
  })),
];
