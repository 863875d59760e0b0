import { newEventId, newSpanId, newTraceId } from '@sightline/schemas';
import { httpRequest, type Credential } from './client';
import { CREDENTIAL_NAMES, gqlError, keyA, keyB, notFound, sessionA, viewerA } from './common';
import { DENIED } from './rows-rest';
import type { Fn, Row, Vars } from './table';
import { dataOf, type World } from './world';

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

const TRACES = `query($p: ID, $after: String) {
  traces(projectId: $p, first: 50, after: $after) { edges { node { id projectId name } } pageInfo { endCursor } } }`;
const TRACE = `query($p: ID, $id: ID!) {
  trace(projectId: $p, id: $id) { trace { id projectId } spans { id traceId input output } } }`;

const SPANS = `query($p: ID, $after: String) {
  spans(projectId: $p, first: 50, after: $after) { edges { node { id traceId } } pageInfo { endCursor } } }`;
const SCORES = `query($p: ID, $after: String) {
  scores(projectId: $p, first: 50, after: $after) { edges { node { id traceId name } } pageInfo { endCursor } } }`;
const DOCS = { traces: TRACES, trace: TRACE, spans: SPANS, scores: SCORES } as const;

type ScoresData = { scores: { edges: { node: { id: string; traceId: string } }[] } };
/** A score of A's gateway call's trace, ingested with A's key (once: the event id is its idempotency key). */
const A_SCORE = { eventId: newEventId(), scoreId: newSpanId() };
async function aScore(w: World): Promise<Vars> {
  const body = { traceId: w.alpha.generation.traceId, scoreId: A_SCORE.scoreId, name: 'isolation', value: 1 };
  const sent = await httpRequest(w.base, w.alpha.key, 'POST', '/api/ingest', {
    body: { batch: [{ id: A_SCORE.eventId, type: 'score', body }] },
  });
  if (sent.status !== 207) throw new Error(`ingest answered ${sent.status}: ${sent.text}`);
  return { p: w.alpha.projectId };
}

type SpansData = { spans: { edges: { node: { id: string; traceId: string } }[] } };
type TracesData = { traces: { edges: { node: { id: string; projectId: string } }[] } };
type TraceData = { trace: { trace: { id: string }; spans: { id: string }[] } | null };

const onB: Record<keyof typeof DOCS, Fn<Vars>> = {
  traces: (_w, t) => ({ p: t.projectId }),
  spans: (_w, t) => ({ p: t.projectId }),
  scores: (_w, t) => ({ p: t.projectId }),
  trace: (_w, t) => ({ p: t.projectId, id: t.traceId }),
};

/** Query.traces, Query.trace, Query.spans and Query.scores: B's traces read as absent to A, whatever A holds. */
export const traceRows: Row[] = [
  ...(['traces', 'trace', 'spans', 'scores'] as const).flatMap((field): Row[] => [
    ...[keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's project as ${name(as)}`,
      kind: 'cross-project',
      call: { gql: DOCS[field], as, variables: onB[field] },
      expect: notFound,
    })),
    {
      name: `${field} on B's project as A's API key (graphql-ws)`,
      kind: 'cross-project',
      call: { gql: DOCS[field], via: 'ws', as: keyA, variables: onB[field] },
      expect: notFound,
    },
    ...DENIED.map(([as, kind]): Row => ({
      name: `${field} on B's project with ${name(as)}`,
      kind,
      call: { gql: DOCS[field], as, variables: onB[field] },
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
    name: "spans() as A's viewer lists A's spans only, A's gateway call among them",
    kind: 'positive',
    call: {
      gql: SPANS,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId }),
      until: (o) => ((o.gql?.data as SpansData | undefined)?.spans.edges.length ?? 0) > 0,
    },
    expect: {
      ok: (o, w) => {
        const nodes = dataOf<SpansData>(o).spans.edges.map((e) => e.node);
        expect(nodes.map((n) => n.id)).toContain(w.alpha.generation.spanId);
        expect(nodes.map((n) => n.traceId)).not.toContain(w.bravo.generation.traceId);
      },
    },
  },
  {
    name: "scores() as A's API key lists A's score only",
    kind: 'positive',
    call: {
      gql: SCORES,
      as: keyA,
      variables: aScore,
      until: (o) => ((o.gql?.data as ScoresData | undefined)?.scores.edges.length ?? 0) > 0,
    },
    expect: {
      ok: (o, w) => {
        const nodes = dataOf<ScoresData>(o).scores.edges.map((e) => e.node);
        expect(nodes.map((n) => n.id)).toEqual([A_SCORE.scoreId]);
        expect(nodes[0].traceId).toBe(w.alpha.generation.traceId);
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

const TRACE_PAGE = 'traces(first: 2) { edges { node { id projectId } } }';
const GROUP_FIELDS = `id projectId traceCount totalCost ${TRACE_PAGE}`;
const GROUPS = {
  sessions: `query($p: ID) { sessions(projectId: $p, first: 5) { edges { node { ${GROUP_FIELDS} } } } }`,
  session: `query($p: ID, $id: ID!) { session(projectId: $p, id: $id) { ${GROUP_FIELDS} } }`,
  users: `query($p: ID) { users(projectId: $p, first: 5) { edges { node { ${GROUP_FIELDS} } } } }`,
  user: `query($p: ID, $id: ID!) { user(projectId: $p, id: $id) { ${GROUP_FIELDS} } }`,
} as const;
type GroupField = keyof typeof GROUPS;
type GroupNode = { id: string; projectId: string; traces: { edges: { node: { id: string } }[] } };
type UserData = { user: GroupNode | null };
type SessionData = { session: GroupNode | null };
type SessionsData = { sessions: { edges: { node: GroupNode }[] } };

/** One trace of A in a session of A, ingested once (the event id makes a second send a no-op). */
const A_SESSION = { id: `alpha-session-${newTraceId()}`, traceId: newTraceId(), eventId: newEventId() };
async function aSession(w: World): Promise<Vars> {
  const span = { traceId: A_SESSION.traceId, spanId: newSpanId(), name: 'turn', sessionId: A_SESSION.id };
  const sent = await httpRequest(w.base, w.alpha.key, 'POST', '/api/ingest', {
    body: { batch: [{ id: A_SESSION.eventId, type: 'span', body: span }] },
  });
  if (sent.status !== 207) throw new Error(`ingest answered ${sent.status}: ${sent.text}`);
  return { p: w.alpha.projectId, id: A_SESSION.id };
}
type UsersData = { users: { edges: { node: GroupNode }[] } };

/** B's end user: a user of B, and (never used as one) a session id guess. */
const groupVars: Fn<Vars> = (_w, t) => ({ p: t.projectId, id: t.endUserId });

/** sessions/users with the shared trace filter and a sort: scoped like the plain lists. */
const FILTERED = {
  sessions: `query($p: ID, $f: TraceFilter) { sessions(projectId: $p, filter: $f, orderBy: { field: TRACE_COUNT, direction: DESC }) {
    edges { node { id projectId traceCount } } } }`,
  users: `query($p: ID, $f: TraceFilter) { users(projectId: $p, filter: $f, orderBy: { field: TOTAL_COST, direction: DESC }) {
    edges { node { id projectId traceCount } } } }`,
} as const;
type FilteredData = Record<keyof typeof FILTERED, { edges: { node: GroupNode & { traceCount: number } }[] }>;

const filteredGroupRows: Row[] = [
  ...(['sessions', 'users'] as const).flatMap((field): Row[] => [
    ...[keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field}(filter: B's end user) on B's project as ${name(as)}`,
      kind: 'cross-project',
      call: {
        gql: FILTERED[field],
        as,
        variables: (_w, t) => ({ p: t.projectId, f: { userIds: [t.endUserId] } }),
      },
      expect: notFound,
    })),
    {
      name: `${field}(filter: B's end user) in A's own project as A's API key: empty, as for an id that exists nowhere`,
      kind: 'cross-project',
      sameForUnknownIds: true,
      call: { gql: FILTERED[field], as: keyA, variables: (_w, t) => ({ f: { userIds: [t.endUserId] } }) },
      expect: { ok: (o) => expect(dataOf<FilteredData>(o)[field].edges).toEqual([]) },
    },
  ]),
  {
    name: "sessions(filter: A's session, orderBy: TRACE_COUNT) as A's API key: A's session alone",
    kind: 'positive',
    call: {
      gql: FILTERED.sessions,
      as: keyA,
      variables: async (w) => ({ ...(await aSession(w)), f: { sessionIds: [A_SESSION.id] } }),
      until: (o) => ((o.gql?.data as FilteredData | undefined)?.sessions.edges.length ?? 0) > 0,
    },
    expect: {
      ok: (o, w) =>
        expect(dataOf<FilteredData>(o).sessions.edges.map((e) => e.node)).toEqual([
          { id: A_SESSION.id, projectId: w.alpha.projectId, traceCount: 1 },
        ]),
    },
  },
];

/** Query.sessions, session(id), users, user(id) (and their traces): B's groups read as absent to A. */
export const groupRows: Row[] = [
  ...filteredGroupRows,
  ...(Object.keys(GROUPS) as GroupField[]).flatMap((field): Row[] => [
    ...[keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's project as ${name(as)}`,
      kind: 'cross-project',
      call: { gql: GROUPS[field], as, variables: groupVars },
      expect: notFound,
    })),
    {
      name: `${field} on B's project as A's API key (graphql-ws)`,
      kind: 'cross-project',
      call: { gql: GROUPS[field], via: 'ws', as: keyA, variables: groupVars },
      expect: notFound,
    },
    ...DENIED.map(([as, kind]): Row => ({
      name: `${field} on B's project with ${name(as)}`,
      kind,
      call: { gql: GROUPS[field], as, variables: groupVars },
      expect: gqlError('UNAUTHENTICATED'),
    })),
  ]),
  ...(['session', 'user'] as const).map((field): Row => ({
    name: `${field}(B's end user id) in A's own project as A's API key: null, as for an id that exists nowhere`,
    kind: 'cross-project',
    sameForUnknownIds: true,
    call: { gql: GROUPS[field], as: keyA, variables: (_w, t) => ({ id: t.endUserId }) },
    expect: { ok: (o) => expect(dataOf<Record<string, unknown>>(o)[field]).toBeNull() },
  })),
  {
    name: "session(A's session) as A's viewer, with A's trace",
    kind: 'positive',
    call: {
      gql: GROUPS.session,
      as: viewerA,
      variables: aSession,
      until: (o) => !!(o.gql?.data as SessionData | undefined)?.session,
    },
    expect: {
      ok: (o) =>
        expect(dataOf<SessionData>(o).session?.traces.edges.map((e) => e.node.id)).toEqual([
          A_SESSION.traceId,
        ]),
    },
  },
  {
    name: "sessions() as A's API key lists A's sessions only, A's session among them",
    kind: 'positive',
    call: {
      gql: GROUPS.sessions,
      as: keyA,
      variables: aSession,
      until: (o) => ((o.gql?.data as SessionsData | undefined)?.sessions.edges.length ?? 0) > 0,
    },
    expect: {
      ok: (o, w) => {
        const nodes = dataOf<SessionsData>(o).sessions.edges.map((e) => e.node);
        expect(nodes.map((n) => n.id)).toContain(A_SESSION.id);
        expect(nodes.every((n) => n.projectId === w.alpha.projectId)).toBe(true);
      },
    },
  },
  {
    name: "users() as A's API key lists A's users only",
    kind: 'positive',
    call: { gql: GROUPS.users, as: keyA },
    expect: {
      ok: (o, w) => {
        const nodes = dataOf<UsersData>(o).users.edges.map((e) => e.node);
        expect(nodes.every((n) => n.projectId === w.alpha.projectId)).toBe(true);
      },
    },
  },
  {
    name: "user(B's end user) as B's API key, with B's trace (B's control)",
    kind: 'positive',
    actsAsBravo: true,
    call: {
      gql: GROUPS.user,
      as: keyB,
      variables: (w) => ({ id: w.bravo.endUserId }),
      until: (o) => !!(o.gql?.data as UserData | undefined)?.user,
    },
    expect: {
      ok: (o, w) =>
        expect(dataOf<UserData>(o).user?.traces.edges.map((e) => e.node.id)).toEqual([
          w.bravo.generation.traceId,
        ]),
    },
  },
];
