import { randomUUID } from 'node:crypto';
import { createTestProject } from '../../test/support/accounts';
import { eventually } from '../../test/support/events';
import { startGatewayApp, type GatewayApp } from '../../test/support/gateway-app';

interface Detail {
  trace: { id: string };
  scores: {
    id: string;
    spanId: string | null;
    name: string;
    dataType: string;
    value: number | null;
    stringValue: string;
  }[];
  generations: { spanId: string; timeToFirstTokenMs: number | null; streamed: boolean; params: string }[];
}

const TRACE = `query($id: ID!) { trace(id: $id) {
  trace { id }
  scores { id spanId name dataType value stringValue }
  generations { spanId timeToFirstTokenMs streamed params }
} }`;

describe('trace detail: scores and the generations table facts (chDB, embedded log)', () => {
  let gw: GatewayApp;
  const post = (path: string, body: unknown, key = gw.apiKey, headers: Record<string, string> = {}) =>
    fetch(`${gw.base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const detail = async (id: string, key = gw.apiKey) => {
    const res = await post('/graphql', { query: TRACE, variables: { id } }, key);
    return ((await res.json()) as { data: { trace: Detail | null } }).data.trace;
  };

  beforeAll(async () => {
    gw = await startGatewayApp('trace-detail', {});
  });
  afterAll(() => gw.app.close());

  it('shows a streamed gateway call’s TTFT and parameters, and the trace’s and span’s scores, latest value winning', async () => {
    const res = await post('/v1/chat/completions', {
      model: 'mock-1',
      stream: true,
      temperature: 0.3,
      messages: [{ role: 'user', content: 'Name a river.' }],
    });
    await res.text();
    const traceId = res.headers.get('x-sightline-trace-id')!;
    const spanId = res.headers.get('x-sightline-span-id')!;
    const score = (body: Record<string, unknown>) => ({
      id: randomUUID(),
      type: 'score',
      body: { traceId, ...body },
    });
    const ingested = await post('/api/ingest', {
      batch: [
        score({ scoreId: 'helpful', name: 'helpfulness', value: 0.5 }),
        score({ spanId, name: 'correct', value: true }),
        score({ name: 'tone', value: 'friendly' }),
      ],
    });
    expect(ingested.status).toBe(207);
    await post('/api/ingest', { batch: [score({ scoreId: 'helpful', name: 'helpfulness', value: 0.875 })] });

    const shown = await eventually(
      () => detail(traceId),
      (d) => d !== null && d.generations.length === 1 && d.scores.some((s) => s.value === 0.875),
    );
    const generation = shown!.generations[0]!;
    expect(generation).toMatchObject({ spanId, streamed: true });
    expect(generation.timeToFirstTokenMs).toEqual(expect.any(Number));
    expect(JSON.parse(generation.params)).toMatchObject({ temperature: 0.3 });
    const byName = Object.fromEntries(shown!.scores.map((s) => [s.name, s]));
    expect(shown!.scores).toHaveLength(3);
    expect(byName.helpfulness).toMatchObject({
      id: 'helpful',
      spanId: null,
      dataType: 'NUMERIC',
      value: 0.875,
    });
    expect(byName.correct).toMatchObject({ spanId, dataType: 'BOOLEAN', value: 1, stringValue: 'true' });
    expect(byName.tone).toMatchObject({ dataType: 'CATEGORICAL', value: null, stringValue: 'friendly' });

    // Another project's key sees no such trace (and so none of its scores).
    const other = await createTestProject(gw.app, 'trace-detail-other');
    expect(await detail(traceId, other.apiKey)).toBeNull();
  });
});
