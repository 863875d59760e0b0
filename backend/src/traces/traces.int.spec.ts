import { newEventId, newSpanId, newTraceId } from '@sightline/schemas';
import { eventually } from '../../test/support/events';
import { startGatewayApp, type GatewayApp } from '../../test/support/gateway-app';

interface GraphqlAnswer<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
}
interface TraceNode {
  id: string;
  name: string;
  spanCount: number;
}
interface SpanNode {
  id: string;
  parentSpanId: string | null;
  depth: number;
  orphan: boolean;
  kind: string;
  name: string;
  input: string | null;
  output: string | null;
  metadata: { key: string; value: string }[];
}
type Page = {
  traces: { edges: { node: TraceNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
};

const TRACES = `query($from: String, $to: String, $first: Int, $after: String) {
  traces(from: $from, to: $to, first: $first, after: $after) {
    edges { node { id name spanCount } } pageInfo { hasNextPage endCursor } } }`;
const TRACE = `query($id: ID!) { trace(id: $id) {
  trace { id name spanCount generationCount inputPreview }
  spans { id parentSpanId depth orphan kind name input output metadata { key value } } } }`;

describe('GraphQL traces and trace(id) (embedded log, chDB)', () => {
  let gw: GatewayApp;
  const graphql = async <T>(query: string, variables: Record<string, unknown>): Promise<GraphqlAnswer<T>> => {
    const res = await fetch(`${gw.base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphqlAnswer<T>;
  };
  const ingest = (items: unknown[]) =>
    fetch(`${gw.base}/api/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ batch: items }),
    });
  const span = (body: Record<string, unknown>) => ({ id: newEventId(), type: 'span', body });

  /** Three one-span traces, started an hour apart. */
  const listed = [newTraceId(), newTraceId(), newTraceId()];
  const big = { text: 'x'.repeat(5000), nested: { list: [1, 2, 3] } };
  const tree = {
    traceId: newTraceId(),
    root: newSpanId(),
    child: newSpanId(),
    grandchild: newSpanId(),
    orphan: newSpanId(),
  };

  beforeAll(async () => {
    gw = await startGatewayApp('traces-graphql', {});
    await ingest([
      ...listed.map((traceId, i) =>
        span({ traceId, spanId: newSpanId(), name: `run ${i}`, startedAt: `2026-11-30T0${i}:00:00Z` }),
      ),
      span({
        traceId: tree.traceId,
        spanId: tree.grandchild,
        parentSpanId: tree.child,
        kind: 'tool',
        name: 'lookup',
        startedAt: '2026-11-29T10:00:03Z',
      }),
      span({
        traceId: tree.traceId,
        spanId: tree.child,
        parentSpanId: tree.root,
        kind: 'chain',
        name: 'step',
        startedAt: '2026-11-29T10:00:01Z',
      }),
      span({
        traceId: tree.traceId,
        spanId: tree.root,
        kind: 'agent',
        name: 'agent',
        startedAt: '2026-11-29T10:00:00Z',
        input: big,
        metadata: { team: 'search' },
      }),
      span({
        traceId: tree.traceId,
        spanId: tree.orphan,
        parentSpanId: 'never-arrives',
        kind: 'event',
        name: 'late',
        startedAt: '2026-11-29T10:00:05Z',
      }),
    ]);
    await eventually(
      () => graphql<Page>(TRACES, { first: 10 }),
      (a) => a.data?.traces.edges.length === 4 && a.data.traces.edges.some((e) => e.node.spanCount === 4),
    );
  });
  afterAll(() => gw.app.close());

  it('lists traces newest first, page by page, within a time range', async () => {
    const first = await graphql<Page>(TRACES, { from: '2026-11-30T00:00:00Z', first: 2 });
    expect(first.data?.traces.edges.map((e) => e.node.id)).toEqual([listed[2], listed[1]]);
    expect(first.data?.traces.pageInfo.hasNextPage).toBe(true);
    const second = await graphql<Page>(TRACES, {
      from: '2026-11-30T00:00:00Z',
      first: 2,
      after: first.data?.traces.pageInfo.endCursor,
    });
    expect(second.data?.traces.edges.map((e) => e.node.id)).toEqual([listed[0]]);
    expect(second.data?.traces.pageInfo.hasNextPage).toBe(false);
    const ranged = await graphql<Page>(TRACES, { from: '2026-11-30T00:30:00Z', to: '2026-11-30T02:00:00Z' });
    expect(ranged.data?.traces.edges.map((e) => e.node.id)).toEqual([listed[1]]);
  });

  it('gives one trace with its span tree, whole inputs, and an orphan whose parent never came under the root', async () => {
    const answer = await graphql<{
      trace: { trace: TraceNode & Record<string, unknown>; spans: SpanNode[] };
    }>(TRACE, {
      id: tree.traceId,
    });
    const { trace, spans } = answer.data!.trace;
    expect(trace).toMatchObject({ id: tree.traceId, name: 'agent', spanCount: 4, generationCount: 0 });
    expect((trace.inputPreview as string).length).toBe(2000);
    expect(spans.map((s) => [s.id, s.depth, s.orphan, s.kind])).toEqual([
      [tree.root, 0, false, 'AGENT'],
      [tree.child, 1, false, 'CHAIN'],
      [tree.grandchild, 2, false, 'TOOL'],
      [tree.orphan, 1, true, 'EVENT'],
    ]);
    expect(JSON.parse(spans[0].input!)).toEqual(big);
    expect(spans[0].metadata).toEqual([{ key: 'team', value: 'search' }]);
    expect(spans[1].output).toBeNull();
  });

  it('answers null for a trace id the project does not have', async () => {
    expect((await graphql(TRACE, { id: newTraceId() })).data).toEqual({ trace: null });
  });

  it('refuses a cursor or a time it did not make with BAD_USER_INPUT', async () => {
    for (const variables of [{ after: 'nope' }, { from: 'yesterday' }, { to: 'garbage' }, { first: 0 }]) {
      const answer = await graphql(TRACES, variables);
      expect(answer.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'invalid_argument',
        param: Object.keys(variables)[0],
      });
    }
  });

  it('opens a trace and lists a generation that lasted longer than an Int of milliseconds (24.8 days: 30 here)', async () => {
    const traceId = newTraceId();
    const spanId = newSpanId();
    const startedAt = '2026-10-31T00:00:00.000Z';
    const endedAt = '2026-11-30T00:00:00.000Z';
    const long = Date.parse(endedAt) - Date.parse(startedAt);
    expect(long).toBeGreaterThan(2 ** 31);
    const res = await ingest([
      {
        id: newEventId(),
        type: 'generation',
        body: { traceId, spanId, name: 'slow', model: 'gpt-4o', startedAt, endedAt },
      },
    ]);
    expect(res.status).toBe(207);
    const query = `query($id: ID!) { trace(id: $id) { trace { latencyMs } spans { latencyMs } } }`;
    const answer = await eventually(
      () =>
        graphql<{ trace: { trace: { latencyMs: number }; spans: { latencyMs: number }[] } | null }>(query, {
          id: traceId,
        }),
      (a) => a.errors !== undefined || a.data?.trace != null,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.trace).toEqual({ trace: { latencyMs: long }, spans: [{ latencyMs: long }] });
    const listed = await eventually(
      () =>
        graphql<{ generations: { edges: { node: { spanId: string; latencyMs: number } }[] } }>(
          `
            query {
              generations(first: 50) {
                edges {
                  node {
                    spanId
                    latencyMs
                  }
                }
              }
            }
          `,
          {},
        ),
      (a) => a.errors !== undefined || !!a.data?.generations.edges.some((e) => e.node.spanId === spanId),
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data?.generations.edges.find((e) => e.node.spanId === spanId)?.node.latencyMs).toBe(long);
  });
});
