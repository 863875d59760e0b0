import {
  MAX_INGEST_BODY_BYTES,
  MAX_INGEST_ITEMS,
  newEventId,
  newSpanId,
  newTraceId,
} from '@sightline/schemas';
import { ClickHouse } from '../../src/clickhouse/clickhouse';
import { eventually } from './events';
import { startGatewayApp, type GatewayApp } from './gateway-app';

/**
 * The ingestion API through the whole app: `env` adds to the test config (empty: the embedded log;
 * with `KAFKA_BROKERS`: Kafka). Run by `ingest.int.spec.ts` and `ingest.kafka.spec.ts`.
 */
export const ingestApiSuite = (mode: string, env: Record<string, string>) =>
  describe(`POST /api/ingest (${mode}, chDB, the projector)`, () => {
    let gw: GatewayApp;
    let ch: ClickHouse;

    beforeAll(async () => {
      gw = await startGatewayApp('ingest', env);
      ch = gw.app.get(ClickHouse);
    }, 60_000);
    afterAll(() => gw?.app.close());

    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${gw.base}/api/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    const spansOf = (traceId: string) =>
      ch.query<{ span_id: string; parent_span_id: string; kind: string; name: string; status: string }>(
        `SELECT span_id, parent_span_id, kind, name, toString(status) AS status FROM spans FINAL
       WHERE trace_id = {traceId:String} ORDER BY started_at`,
        { traceId },
      );

    it('accepts the valid items of a batch, answers each item, and projects them into spans and traces', async () => {
      const traceId = newTraceId();
      const agent = newSpanId();
      const items = [
        {
          id: newEventId(),
          type: 'span',
          body: {
            traceId,
            spanId: agent,
            kind: 'agent',
            name: 'planner',
            startedAt: '2026-11-30T10:00:00Z',
            endedAt: '2026-11-30T10:00:04Z',
            status: 'ok',
            input: { goal: 'trip' },
          },
        },
        {
          id: newEventId(),
          type: 'generation',
          body: {
            traceId,
            spanId: newSpanId(),
            parentSpanId: agent,
            model: 'gpt-4o',
            startedAt: '2026-11-30T10:00:01Z',
            endedAt: '2026-11-30T10:00:02Z',
            usage: { inputTokens: 10, outputTokens: 4 },
          },
        },
        { id: newEventId(), type: 'span', body: { traceId, spanId: newSpanId(), kind: 'nonsense' } },
        { id: newEventId(), type: 'score', body: { traceId, name: 'quality', value: 0.9 } },
      ];

      const res = await post({ batch: items });

      expect(res.status).toBe(207);
      const body = (await res.json()) as {
        successes: { index: number }[];
        errors: { index: number; code: string }[];
      };
      expect(body.successes.map((s) => s.index)).toEqual([0, 1, 3]);
      expect(body.errors).toEqual([expect.objectContaining({ index: 2, code: 'invalid_item', status: 400 })]);
      const spans = await eventually(
        () => spansOf(traceId),
        (rows) => rows.length === 2,
      );
      expect(spans.map((s) => [s.kind, s.parent_span_id])).toEqual([
        ['agent', ''],
        ['generation', agent],
      ]);
      const [trace] = await eventually(
        () =>
          ch.query<Record<string, unknown>>('SELECT * FROM traces FINAL WHERE trace_id = {traceId:String}', {
            traceId,
          }),
        (rows) => rows.length === 1 && rows[0].span_count === 2,
      );
      expect(trace).toMatchObject({
        name: 'planner',
        generation_count: 1,
        total_tokens: 14,
        latency_ms: 4000,
      });
    });

    it('is idempotent by event id: the same batch sent twice projects to the same rows', async () => {
      const traceId = newTraceId();
      const batch = {
        batch: [
          {
            id: newEventId(),
            type: 'span',
            body: { traceId, spanId: newSpanId(), name: 'once', endedAt: '2026-11-30T10:00:00Z' },
          },
        ],
      };
      expect((await post(batch)).status).toBe(207);
      expect((await post(batch)).status).toBe(207);
      await eventually(
        () => spansOf(traceId),
        (rows) => rows.length === 1,
      );
      const traces = await eventually(
        () =>
          ch.query('SELECT span_count, event_count FROM traces FINAL WHERE trace_id = {traceId:String}', {
            traceId,
          }),
        (rows) => rows.length === 1,
      );
      expect(traces).toEqual([{ span_count: 1, event_count: 1 }]);
    });

    it('nests a gateway call made with trace headers under the caller’s span', async () => {
      const traceId = newTraceId();
      const agent = newSpanId();
      await post({
        batch: [
          { id: newEventId(), type: 'span', body: { traceId, spanId: agent, kind: 'agent', name: 'agent' } },
        ],
      });
      const chat = await fetch(`${gw.base}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${gw.apiKey}`,
          'content-type': 'application/json',
          traceparent: `00-${traceId}-${agent}-01`,
        },
        body: JSON.stringify({ model: 'mock-1', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(chat.status).toBe(200);
      const spans = await eventually(
        () => spansOf(traceId),
        (rows) => rows.length === 2 && rows.some((r) => r.kind === 'generation' && r.status === 'ok'),
      );
      expect(spans.find((s) => s.kind === 'generation')).toMatchObject({
        span_id: chat.headers.get('x-sightline-span-id'),
        parent_span_id: agent,
        name: 'mock-1',
      });
    });

    it('refuses what is not a batch with a clear 400 or 413, and no key with 401', async () => {
      const code = async (res: Response) => [
        res.status,
        ((await res.json()) as { error: { code: string } }).error.code,
      ];
      expect(await code(await post('{not json'))).toEqual([400, 'invalid_json']);
      expect(await code(await post({ items: [] }))).toEqual([400, 'invalid_batch']);
      expect(await code(await post({ batch: [] }))).toEqual([400, 'invalid_batch']);
      const many = Array.from({ length: MAX_INGEST_ITEMS + 1 }, () => ({}));
      expect(await code(await post({ batch: many }))).toEqual([400, 'too_many_items']);
      const huge = JSON.stringify({ batch: [{ input: 'x'.repeat(MAX_INGEST_BODY_BYTES) }] });
      expect(await code(await post(huge))).toEqual([413, 'body_too_large']);
      expect(await code(await post({ batch: [] }, { authorization: 'Bearer sl_nope' }))).toEqual([
        401,
        'unauthenticated',
      ]);
    });
  });
