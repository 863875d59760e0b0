import type { Credential } from './client';
import { CREDENTIAL_NAMES, gqlError, keyA, keyB, notFound, sessionA, viewerA } from './common';
import { DENIED } from './rows-rest';
import type { Fn, Row, Vars } from './table';
import { dataOf } from './world';

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

const TRACES = `query($p: ID, $after: String) {
  traces(projectId: $p, first: 50, after: $after) { edges { node { id projectId name } } pageInfo { endCursor } } }`;
const TRACE = `query($p: ID, $id: ID!) {
  trace(projectId: $p, id: $id) { trace { id projectId } spans { id traceId input output } } }`;

type TracesData = { traces: { edges: { node: { id: string; projectId: string } }[] } };
type TraceData = { trace: { trace: { id: string }; spans: { id: string }[] } | null };

const onB: Record<'traces' | 'trace', Fn<Vars>> = {
  traces: (_w, t) => ({ p: t.projectId }),
  trace: (_w, t) => ({ p: t.projectId, id: t.traceId }),
};

/** Query.traces and Query.trace: B's traces read as absent to A, whatever A holds. */
export const traceRows: Row[] = [
  ...(['traces', 'trace'] as const).flatMap((field): Row[] => [
    ...[keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's project as ${name(as)}`,
      kind: 'cross-project',
      call: { gql: field === 'traces' ? TRACES : TRACE, as, variables: onB[field] },
      expect: notFound,
    })),
    {
      name: `${field} on B's project as A's API key (graphql-ws)`,
      kind: 'cross-project',
      call: { gql: field === 'traces' ? TRACES : TRACE, via: 'ws', as: keyA, variables: onB[field] },
      expect: notFound,
    },
    ...DENIED.map(([as, kind]): Row => ({
      name: `${field} on B's project with ${name(as)}`,
      kind,
      call: { gql: field === 'traces' ? TRACES : TRACE, as, variables: onB[field] },
      expect: gqlError('UNAUTHENTICATED'),
    })),
  ]),
  {
    name: "trace(B's trace id) in A's own project as A's API key: null, as for an id that exists nowhere",
    kind: 'cross-project',
    sameForUnknownIds: true,
    call: { gql: TRACE, as: keyA, variables: (_w, t) => ({ id: t.traceId }) },
    expect: { ok: (o) => expect(dataOf<TraceData>(o).trace).toBeNull() },
  },
  {
    name: "traces() as A's API key lists A's traces only, A's gateway call among them",
    kind: 'positive',
    call: {
      gql: TRACES,
      as: keyA,
      until: (o) => ((o.gql?.data as TracesData | undefined)?.traces.edges.length ?? 0) > 0,
    },
    expect: {
      ok: (o, w) => {
        const nodes = dataOf<TracesData>(o).traces.edges.map((e) => e.node);
        expect(nodes.map((n) => n.id)).toContain(w.alpha.generation.traceId);
        expect(nodes.every((n) => n.projectId === w.alpha.projectId)).toBe(true);
      },
    },
  },
  {
    name: "trace(A's trace) as A's viewer has A's gateway call as a span",
    kind: 'positive',
    call: {
      gql: TRACE,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, id: w.alpha.generation.traceId }),
      until: (o) => !!(o.gql?.data as TraceData | undefined)?.trace,
    },
    expect: {
      ok: (o, w) =>
        expect(dataOf<TraceData>(o).trace?.spans.map((s) => s.id)).toContain(w.alpha.generation.spanId),
    },
  },
  {
    name: "trace(B's trace) as B's API key (B's control)",
    kind: 'positive',
    actsAsBravo: true,
    call: {
      gql: TRACE,
      as: keyB,
      variables: (w) => ({ id: w.bravo.generation.traceId }),
      until: (o) => !!(o.gql?.data as TraceData | undefined)?.trace,
    },
    expect: { ok: (o, w) => expect(dataOf<TraceData>(o).trace?.trace.id).toBe(w.bravo.generation.traceId) },
  },
];
