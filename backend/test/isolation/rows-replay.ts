import type { Credential } from './client';
import { CREDENTIAL_NAMES, forbidden, gqlError, keyA, keyB, notFound, sessionA, viewerA } from './common';
import { DENIED } from './rows-rest';
import type { Fn, Row } from './table';
import { dataOf } from './world';

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

const REPLAY = `mutation($p: ID, $id: ID!) {
  replayGeneration(projectId: $p, generationId: $id) { generationId replayOf status } }`;
const GENERATION = `query($p: ID, $id: ID!) { generation(projectId: $p, id: $id) { id input replays { id } } }`;
type ReplayData = { replayGeneration: { generationId: string; replayOf: string; status: string } };
type GenerationData = { generation: { id: string; input: string } };

const OPERATIONS: readonly [string, string][] = [
  ['replayGeneration', REPLAY],
  ['generation', GENERATION],
];

/** Replay and the generation it reads: B's generations are absent to A; a viewer of A reads but does not replay. */
export const replayRows: Row[] = [
  ...OPERATIONS.flatMap(([field, gql]): Row[] => [
    ...[keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's project as ${name(as)}`,
      kind: 'cross-project',
      call: { gql, as, variables: (_w, t) => ({ p: t.projectId, id: t.spanId }) },
      expect: notFound,
    })),
    ...DENIED.map(([as, kind]): Row => ({
      name: `${field} on B's project with ${name(as)}`,
      kind,
      call: { gql, as, variables: (_w, t) => ({ p: t.projectId, id: t.spanId }) },
      expect: gqlError('UNAUTHENTICATED'),
    })),
    {
      name: `${field}(B's span id) in A's own project as A's API key: not found, as for an id that exists nowhere`,
      kind: 'cross-project',
      sameForUnknownIds: true,
      call: { gql, as: keyA, variables: (_w, t) => ({ id: t.spanId }) },
      expect: gqlError('NOT_FOUND', 'generation_not_found'),
    },
  ]),
  {
    name: "replayGeneration of A's call as A's viewer: below member",
    kind: 'role',
    call: {
      gql: REPLAY,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, id: w.alpha.generation.spanId }),
    },
    expect: forbidden,
  },
  {
    name: "replayGeneration of A's call as A's session replays it",
    kind: 'positive',
    call: {
      gql: REPLAY,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, id: w.alpha.generation.spanId }),
      until: (o) => !!(o.gql?.data as ReplayData | undefined)?.replayGeneration,
    },
    expect: {
      ok: (o, w) =>
        expect(dataOf<ReplayData>(o).replayGeneration).toMatchObject({
          replayOf: w.alpha.generation.spanId,
          status: 'COMPLETED',
        }),
    },
  },
  {
    name: "generation of A's call as A's viewer has A's prompt",
    kind: 'positive',
    call: {
      gql: GENERATION,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, id: w.alpha.generation.spanId }),
      until: (o) => !!(o.gql?.data as GenerationData | undefined)?.generation,
    },
    expect: {
      ok: (o, w) => expect(dataOf<GenerationData>(o).generation.input).toContain(w.alpha.generation.prompt),
    },
  },
  {
    name: "generation of B's call as B's API key (B's control)",
    kind: 'positive',
    actsAsBravo: true,
    call: {
      gql: GENERATION,
      as: keyB,
      variables: (w) => ({ id: w.bravo.generation.spanId }),
      until: (o) => !!(o.gql?.data as GenerationData | undefined)?.generation,
    },
    expect: { ok: (o, w) => expect(dataOf<GenerationData>(o).generation.id).toBe(w.bravo.generation.spanId) },
  },
];
