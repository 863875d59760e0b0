import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  newEventId,
  newSpanId,
  newTraceId,
  type SightlineEvent,
  type SpanRecorded,
} from '@sightline/schemas';
import { eventually } from '../../test/support/events';
import { startGatewayApp } from '../../test/support/gateway-app';
import { CATALOG_PRICE_VERSION } from './price-book';

/** Generations reported through `POST /api/ingest` are priced from the catalog, or carry the caller's cost. */
describe('costs of ingested generations', () => {
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  const recorded: SightlineEvent[] = [];

  beforeAll(async () => {
    ({ app, base, apiKey } = await startGatewayApp('ingest-costs', {}, recorded));
  }, 60_000);
  afterAll(() => app?.close());

  async function ingest(body: Record<string, unknown>, type = 'generation'): Promise<SpanRecorded> {
    const id = newEventId();
    const res = await fetch(`${base}/api/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        batch: [
          {
            id,
            type,
            body: { traceId: newTraceId(), spanId: newSpanId(), startedAt: '2026-11-30T10:00:00Z', ...body },
          },
        ],
      }),
    });
    expect(res.status).toBe(207);
    expect((await res.json()) as unknown).toMatchObject({ errors: [] });
    const [event] = await eventually(
      async () => recorded.filter((e) => e.eventId === id),
      (events) => events.length === 1,
    );
    return event as SpanRecorded;
  }

  it('prices a generation with its model and usage at the catalog price: gpt-4o at $2.50 in / $10 out per 1M', async () => {
    const usage = { inputTokens: 1200, outputTokens: 300, cachedTokens: 200 };
    // 1,000 uncached × 2,500 + 200 cached × 1,250 + 300 × 10,000 nano-USD
    const { data } = await ingest({ model: 'gpt-4o', provider: 'openai', usage });
    expect(data.cost).toMatchObject({
      totalUsd: '0.005750000',
      breakdown: { input: '0.002500000', cachedInput: '0.000250000', output: '0.003000000' },
      priceVersion: CATALOG_PRICE_VERSION,
      flags: [],
    });
  });

  it('finds the provider in the catalog when the span names none', async () => {
    const { data } = await ingest({ model: 'gpt-4o', usage: { inputTokens: 1000 } });
    expect(data.cost).toMatchObject({ totalUsd: '0.002500000', priceVersion: CATALOG_PRICE_VERSION });
  });

  it("keeps the caller's own cost, exactly and flagged, over the catalog's", async () => {
    const { data } = await ingest({ model: 'gpt-4o', usage: { inputTokens: 1000 }, cost: '0.000123456' });
    expect(data.cost).toEqual({
      totalUsd: '0.000123456',
      priceVersion: 'caller',
      flags: ['caller_supplied'],
    });
  });

  it('flags a model without a price as unpriced; leaves a span without usage unpriced', async () => {
    expect((await ingest({ model: 'my-finetune', usage: { inputTokens: 5 } })).data.cost).toMatchObject({
      priceVersion: 'none',
      flags: ['unpriced'],
    });
    expect((await ingest({ model: 'gpt-4o' })).data.cost).toBeUndefined();
  });
});
