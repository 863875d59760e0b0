import { newEventId, newSpanId, newTraceId } from '@sightline/schemas';
import { createClient, type Client } from 'graphql-ws';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { eventually } from '../../test/support/events';
import { startGatewayApp, type GatewayApp } from '../../test/support/gateway-app';
import { ClickHouse } from '../clickhouse/clickhouse';
import { ControlPlane } from '../control/control-plane';
import { parseApiKey } from '../control/credentials';
import { EventLog } from '../eventlog/event-log';
import { rebuildable, Rebuilder } from '../rebuild/rebuilder';

const iso = (ms: number) => new Date(ms).toISOString();
const T0 = Date.now() - 10 * 60_000;
const WINDOW = { from: iso(T0 - 3_600_000), to: iso(T0 + 3_600_000) };

interface Gen {
  id: string;
  traceId: string;
  sessionId: string | null;
}

/**
 * User and session are trace-level, the API key is the sender's: with the README's layout (user and
 * session on the root span only, generations nested under it, sent in a later batch), every
 * generation carries them in lists, analytics and live subscriptions; an explicit user wins.
 */
describe('trace attributes of ingested generations (embedded log, chDB, the projector)', () => {
  let gw: GatewayApp;
  let keyId: string;
  let ws: Client;
  const suffix = randomBytes(4).toString('hex');
  const [U1, U2, OTHER, S1, S2] = ['u1', 'u2', 'other', 's1', 's2'].map((n) => `${n}-${suffix}`);
  const live: Record<'user' | 'session' | 'key', string[]> = { user: [], session: [], key: [] };

  beforeAll(async () => {
    gw = await startGatewayApp('trace-attributes', {});
    keyId = parseApiKey(gw.apiKey)!.keyId;
    ws = createClient({
      url: gw.base.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${gw.apiKey}` },
      lazy: false,
    });
    const subscribe = (into: string[], filter: Record<string, string[]>) =>
      new Promise<void>((subscribed) => {
        ws.subscribe<{ generationRecorded: { id: string } }>(
          {
            query: `subscription($f: GenerationFilter) { generationRecorded(filter: $f) { id } }`,
            variables: { f: filter },
          },
          {
            next: (m) => into.push(m.data!.generationRecorded.id),
            error: (e) => {
              throw new Error(`subscription failed: ${JSON.stringify(e)}`);
            },
            complete: () => undefined,
          },
        );
        // graphql-ws has no "subscribed" ack: a query on the same socket after it is served after it.
        ws.subscribe(
          { query: '{ __typename }' },
          { next: () => subscribed(), error: () => {}, complete: () => {} },
        );
      });
    await subscribe(live.user, { userIds: [U1] });
    await subscribe(live.session, { sessionIds: [S2] });
    await subscribe(live.key, { apiKeyIds: [keyId] });
  }, 60_000);
  afterAll(async () => {
    await ws?.dispose();
    await gw?.app.close();
  });

  const gql = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const res = await fetch(`${gw.base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: T; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const generations = async (filter: Record<string, unknown>) =>
    (
      await gql<{ generations: { edges: { node: Gen }[] } }>(
        `query($f: GenerationFilter) { generations(filter: $f, first: 100) { edges { node { id traceId sessionId } } } }`,
        { f: { ...WINDOW, ...filter } },
      )
    ).generations.edges.map((e) => e.node);
  const ingest = async (batch: unknown[]) => {
    const res = await fetch(`${gw.base}/api/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ batch }),
    });
    expect(res.status).toBe(207);
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([]);
  };

  const span = (traceId: string, spanId: string, body: Record<string, unknown>) => ({
    id: newEventId(),
    type: 'span',
    body: { traceId, spanId, startedAt: iso(T0), endedAt: iso(T0 + 9000), ...body },
  });
  const generation = (traceId: string, spanId: string, at: number, extra: Record<string, unknown> = {}) => ({
    id: newEventId(),
    type: 'generation',
    body: {
      traceId,
      spanId,
      parentSpanId: 'root',
      name: 'llm',
      model: 'gpt-4o',
      startedAt: iso(T0 + at),
      endedAt: iso(T0 + at + 500),
      usage: { inputTokens: 1000, outputTokens: 100 },
      ...extra,
    },
  });

  it('given the README layout over two batches, then every generation carries its trace’s user, session and the key that sent it', async () => {
    const [t1, t2] = [newTraceId(), newTraceId()];
    // Generation ids are span ids, unique in the project.
    const [a1, a2, a3, b1, b2] = [0, 1, 2, 3, 4].map(() => newSpanId());
    // Batch 1: the roots (user and session on them only), a tool span, a generation of each trace.
    await ingest([
      span(t1, 'root', { kind: 'agent', name: 'planner', userId: U1, sessionId: S1 }),
      span(t1, 'tool', { kind: 'tool', name: 'search', parentSpanId: 'root' }),
      generation(t1, a1, 1000),
      generation(t2, b1, 1000),
      span(t2, 'root', { kind: 'agent', name: 'planner', userId: U2, sessionId: S2 }),
    ]);
    // Batch 2: more generations, none stating user or session; one states its own user.
    await ingest([
      generation(t1, a2, 2000),
      generation(t1, a3, 3000, { userId: OTHER }),
      generation(t2, b2, 2000),
    ]);

    const byUser = await eventually(
      () => generations({ userIds: [U1] }),
      (g) => g.length === 2,
    );
    expect(byUser.map((g) => g.id).sort()).toEqual([a1, a2].sort());
    expect(byUser.every((g) => g.traceId === t1 && g.sessionId === S1)).toBe(true);
    expect((await generations({ userIds: [OTHER] })).map((g) => g.id)).toEqual([a3]);
    expect((await generations({ sessionIds: [S1] })).map((g) => g.id).sort()).toEqual([a1, a2, a3].sort());
    expect((await generations({ sessionIds: [S2] })).map((g) => g.traceId)).toEqual([t2, t2]);
    expect(await generations({ apiKeyIds: [keyId] })).toHaveLength(5);

    const top = async (dimension: string) =>
      (
        await gql<{
          analyticsTop: { groups: { key: string; values: { requests: number; cost: string } }[] };
        }>(
          `query($f: GenerationFilter!, $d: AnalyticsDimension!) {
             analyticsTop(filter: $f, groupBy: { dimension: $d }, rankBy: COST) { groups { key values { requests cost } } } }`,
          { f: WINDOW, d: dimension },
        )
      ).analyticsTop.groups;
    // gpt-4o: $2.50 in, $10 out per million: 1000 in + 100 out = $0.0035 a generation.
    expect(await top('USER')).toEqual([
      { key: U1, values: { requests: 2, cost: '0.007000000' } },
      { key: U2, values: { requests: 2, cost: '0.007000000' } },
      { key: OTHER, values: { requests: 1, cost: '0.003500000' } },
    ]);
    expect(await top('API_KEY')).toEqual([{ key: keyId, values: { requests: 5, cost: '0.017500000' } }]);

    await eventually(
      async () => live,
      (l) => l.user.length === 2 && l.session.length === 2 && l.key.length === 5,
    );
    expect(live.user.sort()).toEqual([a1, a2].sort());
    expect(live.session.sort()).toEqual([b1, b2].sort());
  });

  it('given an OTLP export whose parent span carries session.id and user.id, then its generations, exported before and after it, carry them and the key', async () => {
    const traceId = randomBytes(16).toString('hex');
    const [agent, chat1, chat2] = [0, 1, 2].map(() => randomBytes(8).toString('hex'));
    const start = BigInt(T0) * 1_000_000n;
    const attrs = (a: Record<string, string | number>) =>
      Object.entries(a).map(([key, v]) => ({
        key,
        value: typeof v === 'string' ? { stringValue: v } : { intValue: String(v) },
      }));
    const otlpSpan = (spanId: string, parentSpanId: string, a: Record<string, string | number>) => ({
      traceId,
      spanId,
      parentSpanId,
      name: 'span',
      kind: 1,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 200_000_000n),
      attributes: attrs(a),
      status: {},
    });
    const chat = (spanId: string) =>
      otlpSpan(spanId, agent, {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 500,
      });
    const exportSpans = async (spans: unknown[]) => {
      const res = await fetch(`${gw.base}/v1/traces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ resourceSpans: [{ resource: {}, scopeSpans: [{ scope: {}, spans }] }] }),
      });
      expect(res.status).toBe(200);
    };
    const [user, session] = [`ou-${suffix}`, `os-${suffix}`];
    // As a BatchSpanProcessor exports: a child that ended first may share the parent's export…
    await exportSpans([
      chat(chat1),
      otlpSpan(agent, '', {
        'gen_ai.operation.name': 'invoke_agent',
        'session.id': session,
        'user.id': user,
      }),
    ]);
    // …and a later child comes alone.
    await exportSpans([chat(chat2)]);

    const rows = await eventually(
      () =>
        gw.app
          .get(ClickHouse)
          .query<{ span_id: string; user_id: string; session_id: string; api_key_id: string }>(
            `SELECT span_id, user_id, session_id, api_key_id FROM generations
              WHERE trace_id = {traceId:String} ORDER BY span_id`,
            { traceId },
          ),
      (r) => r.length === 2,
    );
    expect(rows).toEqual(
      [chat1, chat2]
        .sort()
        .map((span_id) => ({ span_id, user_id: user, session_id: session, api_key_id: keyId })),
    );
  });

  it('given the generations rebuilt from the log, then every row carries the same user, session and key', async () => {
    const ch = gw.app.get(ClickHouse);
    const rows = () =>
      ch.query<Record<string, string>>(
        `SELECT span_id, trace_id, user_id, session_id, api_key_id, toString(cost_usd) AS cost FROM generations
          ORDER BY span_id, trace_id`,
      );
    const before = await rows();
    expect(before.length).toBe(7);
    const rebuilder = new Rebuilder(gw.app.get(EventLog), ch, gw.app.get(ControlPlane));
    expect(
      await rebuilder.rebuild(rebuildable('generations', 'log'), 'log', new AbortController().signal),
    ).toBe('swapped');
    expect(await rows()).toEqual(before);
  });
});
