import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  newEventId,
  newSpanId,
  newTraceId,
  type GenerationCostData,
  type SightlineEvent,
  type SpanRecorded,
} from '@sightline/schemas';
import { createTestProject } from '../../test/support/accounts';
import { eventually } from '../../test/support/events';
import { startGatewayApp } from '../../test/support/gateway-app';
import { graphqlHttp, type Credential } from '../../test/isolation/client';
import { login } from '../../test/isolation/world';

const SET_PRICE = `mutation ($projectId: ID, $input: CustomPriceInput!) {
  setCustomPrice(projectId: $projectId, input: $input) { id model effectiveFrom effectiveUntil }
}`;
const ESTIMATE = `query ($projectId: ID, $input: CostEstimateInput!) {
  costEstimate(projectId: $projectId, input: $input) { maxOutputTokens }
}`;
const PRICES = `query ($projectId: ID) { customPrices(projectId: $projectId) { id model } }`;

/**
 * Bad input to pricing, end to end (GraphQL, `POST /api/ingest`): recorded with a visible flag,
 * never a silent zero; an overlapping custom price refused with a clear error, nothing lost.
 */
describe('costs of bad input', () => {
  let app: NestExpressApplication;
  let base: string;
  let project: Awaited<ReturnType<typeof createTestProject>>;
  let admin: Credential;
  const recorded: SightlineEvent[] = [];
  const model = `acme-gap-${Date.now()}`;

  beforeAll(async () => {
    ({ app, base } = await startGatewayApp('bad-input-costs', {}, recorded));
    project = await createTestProject(app, 'bad-input-costs');
    admin = await login(base, project.user.email, project.password);
  }, 60_000);
  afterAll(() => app?.close());

  const setPrice = (input: Record<string, unknown>) =>
    graphqlHttp(base, admin, SET_PRICE, {
      projectId: project.projectId,
      input: { model, provider: 'openai', inputPerMTok: 1, outputPerMTok: 2, ...input },
    });

  /** Posts generation spans; the batch's answer and the events it recorded, by span id. */
  async function ingest(bodies: Record<string, unknown>[]) {
    const items = bodies.map((body) => ({
      id: newEventId(),
      type: 'generation',
      body: { traceId: newTraceId(), spanId: newSpanId(), provider: 'openai', model, ...body },
    }));
    const res = await fetch(`${base}/api/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${project.apiKey}` },
      body: JSON.stringify({ batch: items }),
    });
    const answer = (await res.json()) as { errors: { id: string; status: number }[] };
    const accepted = items.filter((item) => !answer.errors.some((e) => e.id === item.id));
    const events = await eventually(
      async () => recorded.filter((e) => accepted.some((item) => item.id === e.eventId)),
      (found) => found.length === accepted.length,
    );
    const costOf = (i: number): GenerationCostData | undefined =>
      (events.find((e) => e.eventId === items[i].id) as SpanRecorded | undefined)?.data.cost;
    return { status: res.status, errors: answer.errors, ids: items.map((i) => i.id), costOf };
  }

  it('refuses a custom price overlapping another with CONFLICT custom_price_overlap naming it; the first stays', async () => {
    const first = await setPrice({ effectiveFrom: '2026-01-01', effectiveUntil: '2026-02-01' });
    const firstId = (first.gql?.data as { setCustomPrice: { id: string } }).setCustomPrice.id;
    const later = await setPrice({ effectiveFrom: '2026-03-01' });
    expect(later.gql?.errors).toBeUndefined();

    const overlapping = await setPrice({ effectiveFrom: '2026-01-20', effectiveUntil: '2026-03-05' });
    expect(overlapping.gql?.data).toBeNull();
    expect(overlapping.gql?.errors?.[0]).toMatchObject({
      message: expect.stringContaining(firstId),
      extensions: { code: 'CONFLICT', reason: 'custom_price_overlap' },
    });
    const listed = await graphqlHttp(base, admin, PRICES, { projectId: project.projectId });
    const ids = (listed.gql?.data as { customPrices: { id: string; model: string }[] }).customPrices
      .filter((p) => p.model === model)
      .map((p) => p.id);
    expect(ids).toHaveLength(2);
    expect(ids).toContain(firstId);
  });

  it('refuses a costEstimate with a maxOutputTokens below 1 with BAD_USER_INPUT naming the field', async () => {
    const estimate = (maxOutputTokens: number) =>
      graphqlHttp(base, admin, ESTIMATE, {
        projectId: project.projectId,
        input: { messages: '[{"role":"user","content":"Hi"}]', models: ['openai/gpt-4o'], maxOutputTokens },
      });
    for (const bad of [-5, 0]) {
      const refused = await estimate(bad);
      expect(refused.gql?.data).toBeNull();
      expect(refused.gql?.errors?.[0]).toMatchObject({
        message: expect.stringContaining(`maxOutputTokens must be a positive integer (got ${bad})`),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    const priced = await estimate(7);
    expect(priced.gql?.errors).toBeUndefined();
    expect(priced.gql?.data).toEqual({ costEstimate: [{ maxOutputTokens: 7 }] });
  });

  it('flags a generation in the gap between two prices as unpriced, not free; either side is priced', async () => {
    const usage = { inputTokens: 1000, outputTokens: 100 };
    const { costOf } = await ingest([
      { startedAt: '2026-01-15T00:00:00Z', usage },
      { startedAt: '2026-02-15T00:00:00Z', usage },
      { startedAt: '2026-03-15T00:00:00Z', usage },
    ]);
    // 1,000 × $1 + 100 × $2 per 1M = 1,000 + 200 micro-USD.
    expect(costOf(0)).toMatchObject({ totalUsd: '0.001200000', flags: [] });
    expect(costOf(1)).toMatchObject({ totalUsd: '0.000000000', priceVersion: 'none', flags: ['unpriced'] });
    expect(costOf(2)).toMatchObject({ totalUsd: '0.001200000', flags: [] });
  });

  it('flags absurd and inconsistent token counts as suspicious usage; refuses a negative count with a clear error, keeping the rest', async () => {
    const at = { startedAt: '2026-01-15T00:00:00Z' };
    const { status, errors, ids, costOf } = await ingest([
      { ...at, usage: { inputTokens: 500_000_000, outputTokens: 10 } },
      { ...at, usage: { inputTokens: 100, cachedTokens: 400, outputTokens: 10 } },
      { ...at, usage: { inputTokens: -5, outputTokens: 10 } },
      { ...at, usage: { inputTokens: 1000, outputTokens: 100 } },
    ]);
    expect(status).toBe(207);
    expect(errors).toEqual([
      expect.objectContaining({
        id: ids[2],
        status: 400,
        code: 'invalid_item',
        issues: [expect.objectContaining({ path: '/body/usage/inputTokens' })],
      }),
    ]);
    expect(costOf(0)?.flags).toEqual(['suspicious_usage']);
    expect(costOf(1)?.flags).toEqual(['suspicious_usage']);
    expect(costOf(2)).toBeUndefined();
    expect(costOf(3)).toMatchObject({ totalUsd: '0.001200000', flags: [] });
  });
});
