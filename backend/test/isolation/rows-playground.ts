import type { Credential } from './client';
import { CREDENTIAL_NAMES, forbidden, gqlError, keyA, keyB, notFound, sessionA, viewerA } from './common';
import { DENIED } from './rows-rest';
import type { Fn, Row } from './table';
import { dataOf } from './world';

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

const REQUEST = `query($p: ID, $id: ID!) {
  generationRequest(projectId: $p, id: $id) { generationId model messages params } }`;
type RequestData = { generationRequest: { generationId: string; model: string; messages: string } };

/** Query.generationRequest: B's recorded requests read as absent to A, whatever A holds. */
export const playgroundRows: Row[] = [
  ...[keyA, sessionA, viewerA].map((as): Row => ({
    name: `generationRequest on B's project as ${name(as)}`,
    kind: 'cross-project',
    call: { gql: REQUEST, as, variables: (_w, t) => ({ p: t.projectId, id: t.spanId }) },
    expect: notFound,
  })),
  ...DENIED.map(([as, kind]): Row => ({
    name: `generationRequest on B's project with ${name(as)}`,
    kind,
    call: { gql: REQUEST, as, variables: (_w, t) => ({ p: t.projectId, id: t.spanId }) },
    expect: gqlError('UNAUTHENTICATED'),
  })),
  {
    name: "generationRequest(B's span id) in A's own project as A's API key: not found, as for an id that exists nowhere",
    kind: 'cross-project',
    sameForUnknownIds: true,
    call: { gql: REQUEST, as: keyA, variables: (_w, t) => ({ id: t.spanId }) },
    expect: gqlError('NOT_FOUND', 'generation_not_found'),
  },
  {
    name: "generationRequest of A's call as A's viewer: below member",
    kind: 'role',
    call: {
      gql: REQUEST,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, id: w.alpha.generation.spanId }),
    },
    expect: forbidden,
  },
  {
    name: "generationRequest of A's call as A's session has A's prompt",
    kind: 'positive',
    call: {
      gql: REQUEST,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, id: w.alpha.generation.spanId }),
      until: (o) => !!(o.gql?.data as RequestData | undefined)?.generationRequest,
    },
    expect: {
      ok: (o, w) =>
        expect(dataOf<RequestData>(o).generationRequest.messages).toContain(w.alpha.generation.prompt),
    },
  },
  {
    name: "generationRequest of B's call as B's API key (B's control)",
    kind: 'positive',
    actsAsBravo: true,
    call: {
      gql: REQUEST,
      as: keyB,
      variables: (w) => ({ id: w.bravo.generation.spanId }),
      until: (o) => !!(o.gql?.data as RequestData | undefined)?.generationRequest,
    },
    expect: {
      ok: (o, w) =>
        expect(dataOf<RequestData>(o).generationRequest.generationId).toBe(w.bravo.generation.spanId),
    },
  },
];
