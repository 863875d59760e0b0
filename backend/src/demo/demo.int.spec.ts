import type { NestExpressApplication } from '@nestjs/platform-express';
import { ControlPlane } from '../control/control-plane';
import { parseApiKey } from '../control/credentials';
import { graphqlHttp, type Credential } from '../../test/isolation/client';
import { login } from '../../test/isolation/world';
import { eventually } from '../../test/support/events';
import { startGatewayApp } from '../../test/support/gateway-app';
import { DEMO_KEY_NAME, DemoTraffic } from './demo-traffic';

interface TraceRow {
  id: string;
  name: string;
  tags: string[];
  errorCount: number;
  spanCount: number;
}

/**
 * Demo traffic through the whole app (embedded log, chDB, the projector, the mock provider): a run
 * squeezed into a few seconds, then read back through GraphQL as any page would.
 */
describe('demo traffic (GraphQL, gateway, /api/ingest, chDB)', () => {
  let app: NestExpressApplication;
  let base: string;
  let projectId: string;
  let owner: Credential;

  beforeAll(async () => {
    let apiKey: string;
    ({ app, base, apiKey } = await startGatewayApp('demo', { MOCK_TOKEN_INTERVAL_MS: '1' }));
    const control = app.get(ControlPlane);
    projectId = control.current.apiKeys.get(parseApiKey(apiKey)!.keyId)!.projectId;
    const ownerId = [...control.current.memberships.values()].find((m) => m.projectId === projectId)!.userId;
    const email = control.current.users.get(ownerId)!.email;
    owner = await login(base, email, `password-${email.slice('demo-'.length, email.indexOf('@'))}`);
  }, 60_000);
  afterAll(() => app?.close());

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}) =>
    (await graphqlHttp(base, owner, query, { p: projectId, ...variables })).gql as {
      data: T;
      errors?: { extensions?: { code?: string } }[];
    };
  const RUN = 'id status total done traces plannedErrors unexpectedErrors etaSeconds finishedAt';
  const demoKeys = () =>
    [...app.get(ControlPlane).current.apiKeys.values()].filter(
      (k) => k.projectId === projectId && k.name === DEMO_KEY_NAME,
    );

  it('startDemoTraffic starts one run; pressing again returns it; cancel stops it and revokes its key', async () => {
    const first = await gql<{
      startDemoTraffic: { id: string; status: string; total: number; etaSeconds: number };
    }>(`mutation($p: ID) { startDemoTraffic(projectId: $p) { ${RUN} } }`);
    expect(first.data.startDemoTraffic).toMatchObject({ status: 'RUNNING', total: 30 });
    expect(first.data.startDemoTraffic.etaSeconds).toBeGreaterThan(50);
    const second = await gql<{ startDemoTraffic: { id: string } }>(
      `mutation($p: ID) { startDemoTraffic(projectId: $p) { id } }`,
    );
    expect(second.data.startDemoTraffic.id).toBe(first.data.startDemoTraffic.id);
    expect(demoKeys().filter((k) => !k.revokedAt)).toHaveLength(1);

    const cancelled = await gql<{ cancelDemoTraffic: { status: string; finishedAt: string } }>(
      `mutation($p: ID) { cancelDemoTraffic(projectId: $p) { ${RUN} } }`,
    );
    expect(cancelled.data.cancelDemoTraffic).toMatchObject({
      status: 'CANCELLED',
      finishedAt: expect.any(String),
    });
    expect(demoKeys().every((k) => k.revokedAt)).toBe(true);
    const read = await gql<{ demoTraffic: { status: string } }>(
      `query($p: ID) { demoTraffic(projectId: $p) { status } }`,
    );
    expect(read.data.demoTraffic.status).toBe('CANCELLED');
  });

  it('a run sends traces of every kind, tagged demo, that GraphQL shows: chats, tools, JSON, errors, agents with scores', async () => {
    const owner = [...app.get(ControlPlane).current.memberships.values()].find(
      (m) => m.projectId === projectId,
    )!;
    const run = await app
      .get(DemoTraffic)
      .start(projectId, { userId: owner.userId, via: 'session' }, true, 4_000);
    await eventually(
      async () => run.status,
      (s) => s !== 'running',
      60_000,
    );
    expect(run).toMatchObject({
      status: 'completed',
      counts: expect.objectContaining({ done: 30, unexpected: 0 }),
    });
    expect(run.counts.plannedErrors).toBeGreaterThan(0);

    const list = async () => {
      const result = await gql<{ traces: { edges: { node: TraceRow }[] } }>(
        `query($p: ID, $from: String) { traces(projectId: $p, from: $from, filter: { tags: ["demo"] }, first: 100) {
          edges { node { id name tags errorCount spanCount } } } }`,
        { from: run.startedAt.toISOString() },
      );
      if (!result.data) throw new Error(JSON.stringify(result.errors));
      return result.data.traces.edges.map((e) => e.node);
    };
    const traces = await eventually(list, (rows) => rows.length >= run.counts.traces, 30_000);
    expect(traces.length).toBe(run.counts.traces);
    expect(traces.every((t) => t.tags.includes('demo'))).toBe(true);
    expect(traces.some((t) => t.errorCount > 0)).toBe(true);

    const agent = traces.find((t) => t.name === 'support-agent')!;
    const detail = await eventually(
      async () =>
        (
          await gql<{
            trace: {
              spans: { kind: string; name: string; parentSpanId: string | null }[];
              scores: { name: string }[];
            };
          }>(
            `query($p: ID, $id: ID!) { trace(projectId: $p, id: $id) { spans { kind name parentSpanId } scores { name } } }`,
            { id: agent.id },
          )
        ).data.trace,
      (t) => t?.spans.length === 6 && t.scores.length === 3,
      30_000,
    );
    expect(detail.spans.map((s) => s.kind).sort()).toEqual(
      ['AGENT', 'CHAIN', 'GENERATION', 'GUARDRAIL', 'RETRIEVAL', 'TOOL'].sort(),
    );
    const chain = detail.spans.find((s) => s.kind === 'CHAIN')!;
    expect(detail.spans.find((s) => s.kind === 'GENERATION')?.parentSpanId).toBeDefined();
    expect(detail.spans.filter((s) => s.parentSpanId === null).map((s) => s.name)).toEqual(['support-agent']);
    expect(chain.parentSpanId).not.toBeNull();
    expect(detail.scores.map((s) => s.name).sort()).toEqual(['helpfulness', 'resolved', 'tone']);

    const sessions = await gql<{ sessions: { edges: unknown[] }; users: { edges: unknown[] } }>(
      `query($p: ID) { sessions(projectId: $p) { edges { cursor } } users(projectId: $p) { edges { cursor } } }`,
    );
    expect(sessions.data.sessions.edges.length).toBeGreaterThan(3);
    expect(sessions.data.users.edges.length).toBeGreaterThan(3);
  }, 120_000);
});
