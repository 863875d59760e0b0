import type { NestExpressApplication } from '@nestjs/platform-express';
import { newEventId, newSpanId, newTraceId, type SightlineEvent } from '@sightline/schemas';
import { eventually } from '../../test/support/events';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';
import { startGatewayApp } from '../../test/support/gateway-app';

interface Answer<T> {
  data?: T;
  errors?: { extensions?: { code?: string; reason?: string } }[];
}
type Group = {
  id: string;
  traceCount: number;
  generationCount: number;
  totalCost: string;
  unpricedCount: number;
  firstSeen: string;
  lastSeen: string;
  traces: { edges: { node: { id: string; totalCost: string } }[] };
};
type Page = { edges: { node: Group }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };

const GROUP =
  'id traceCount generationCount totalCost unpricedCount firstSeen lastSeen traces(first: 10) { edges { node { id totalCost } } }';
const SESSIONS = `query($first: Int, $after: String) { sessions(first: $first, after: $after) {
  edges { node { ${GROUP} } } pageInfo { hasNextPage endCursor } } }`;
const SESSION = `query($id: ID!) { session(id: $id) { ${GROUP} } }`;
const USER = `query($id: ID!) { user(id: $id) { ${GROUP} sessionCount } }`;
const TRACE = `query($id: ID!) { trace(id: $id) { trace { totalCost unpricedCount generationCount }
  spans { kind cost priceVersion costFlags costBreakdown { input output requestFee } } } }`;

/** o1 at $15 in / $60 out per 1M tokens: 15,000 and 60,000 nano-USD a token (the catalog's price). */
const o1Nano = (usage: { inputTokens: number; outputTokens: number }) =>
  BigInt(usage.inputTokens) * 15_000n + BigInt(usage.outputTokens) * 60_000n;
const usd = (nano: bigint) =>
  `${nano / 1_000_000_000n}.${(nano % 1_000_000_000n).toString().padStart(9, '0')}`;

describe('GraphQL sessions, users and trace costs (gateway + ingest, chDB)', () => {
  let fake: FakeOpenAiServer;
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  const recorded: SightlineEvent[] = [];
  const run = newTraceId().slice(0, 8);
  const [chat, other] = [`chat-${run}`, `other-${run}`];
  const user = `user-${run}`;
  const traces = [newTraceId(), newTraceId(), newTraceId()];

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const graphql = async <T>(query: string, variables: Record<string, unknown>) =>
    (await (await post('/graphql', { query, variables })).json()) as Answer<T>;
  const root = (traceId: string, sessionId: string, startedAt: string) => ({
    id: newEventId(),
    type: 'span',
    body: {
      traceId,
      spanId: newSpanId(),
      kind: 'agent',
      name: 'turn',
      sessionId,
      userId: user,
      startedAt,
      endedAt: startedAt,
    },
  });

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({});
    ({ app, base, apiKey } = await startGatewayApp(
      'sessions',
      { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-upstream', SIGHTLINE_MAX_ATTEMPTS: '1' },
      recorded,
    ));
    const roots = [
      root(traces[0], chat, '2026-11-30T09:00:00.000Z'),
      root(traces[1], chat, '2026-11-30T09:05:00.000Z'),
      root(traces[2], other, '2026-11-30T08:00:00.000Z'),
    ];
    expect((await post('/api/ingest', { batch: roots })).status).toBe(207);
    // when: two gateway calls made inside the first trace (trace headers), one priced, one unpriced
    for (const model of ['o1', 'gpt-9-unreleased']) {
      const res = await post(
        '/v1/chat/completions',
        { model, user, messages: [{ role: 'user', content: `hello ${model}` }] },
        { traceparent: `00-${traces[0]}-${roots[0].body.spanId}-01` },
      );
      expect(res.status).toBe(200);
    }
    await eventually(
      () => graphql<{ session: Group | null }>(SESSION, { id: chat }),
      (a) => a.data?.session?.generationCount === 2,
    );
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const pricedUsage = () => {
    const done = recorded.find((e) => e.type === 'generation.completed' && e.data.cost?.flags.length === 0);
    if (done?.type !== 'generation.completed') throw new Error('no priced generation recorded');
    return done.data.usage;
  };

  it("gives a generation span its cost by part and the trace the sum of its generations', unpriced ones apart", async () => {
    const answer = await graphql<{
      trace: { trace: Record<string, unknown>; spans: Record<string, unknown>[] };
    }>(TRACE, { id: traces[0] });
    const total = usd(o1Nano(pricedUsage()));
    expect(answer.data?.trace.trace).toEqual({ totalCost: total, unpricedCount: 1, generationCount: 2 });
    const generations = answer.data!.trace.spans.filter((s) => s.kind === 'GENERATION');
    expect(generations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          cost: total,
          costFlags: [],
          costBreakdown: expect.objectContaining({ requestFee: '0.000000000' }),
        }),
        expect.objectContaining({ cost: null, costBreakdown: null, costFlags: ['UNPRICED'] }),
      ]),
    );
  });

  it('sums a session and a user over their traces, with the traces in conversation order', async () => {
    const total = usd(o1Nano(pricedUsage()));
    const { data } = await graphql<{ session: Group }>(SESSION, { id: chat });
    expect(data?.session).toMatchObject({
      traceCount: 2,
      generationCount: 2,
      totalCost: total,
      unpricedCount: 1,
      firstSeen: '2026-11-30T09:00:00.000Z',
    });
    expect(data?.session.traces.edges.map((e) => e.node.id)).toEqual([traces[0], traces[1]]);
    const byUser = await graphql<{ user: Group & { sessionCount: number } }>(USER, { id: user });
    expect(byUser.data?.user).toMatchObject({ traceCount: 3, sessionCount: 2, totalCost: total });
    // a user's traces newest first (by start: 09:05, 09:00, 08:00)
    expect(byUser.data?.user.traces.edges.map((e) => e.node.id)).toEqual([traces[1], traces[0], traces[2]]);
  });

  it('lists sessions most recently seen first, page by page, and refuses a cursor it did not make', async () => {
    const mine = (p: Page) => p.edges.map((e) => e.node.id).filter((id) => id === chat || id === other);
    const first = await graphql<{ sessions: Page }>(SESSIONS, { first: 1 });
    const seen = [...mine(first.data!.sessions)];
    let after = first.data!.sessions.pageInfo.endCursor;
    for (let more = first.data!.sessions.pageInfo.hasNextPage; more;) {
      const next = await graphql<{ sessions: Page }>(SESSIONS, { first: 1, after });
      seen.push(...mine(next.data!.sessions));
      ({ endCursor: after, hasNextPage: more } = next.data!.sessions.pageInfo);
    }
    // the gateway calls made `chat` the most recently seen
    expect(seen).toEqual([chat, other]);
    const refusals = [
      [{ first: 1, after: 'nope' }, 'invalid_argument'],
      [{ first: 0 }, 'invalid_argument'],
      // over the API's page-size limit: refused before any resolver runs
      [{ first: 201 }, 'invalid_page_size'],
    ] as const;
    for (const [variables, reason] of refusals) {
      const bad = await graphql(SESSIONS, variables);
      expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason });
    }
    expect((await graphql(SESSION, { id: `nobody-${run}` })).data).toEqual({ session: null });
  });
});
