import type { SpanRecorded } from '@sightline/schemas';
import { ingestedGeneration } from './ingested-generation';

const span = (data: Partial<SpanRecorded['data']>, over: Partial<SpanRecorded> = {}): SpanRecorded => ({
  eventId: '0190a5c4-0000-7000-8000-000000000001',
  type: 'span.recorded',
  version: 2,
  projectId: 'p',
  traceId: 't',
  spanId: 's',
  source: 'ingest',
  occurredAt: '2026-12-01T00:00:01.000Z',
  data: {
    kind: 'generation',
    startedAt: '2026-12-01T00:00:00.200Z',
    endedAt: '2026-12-01T00:00:01.000Z',
    ...data,
  },
  ...over,
});

describe('ingestedGeneration: a complete generation sent to /api/ingest as a live row', () => {
  it('maps the span: model, times, usage, text, user, session, tags and parameters', () => {
    const row = ingestedGeneration(
      span(
        {
          model: 'gpt-4o',
          provider: 'openai',
          input: { messages: [{ role: 'user', content: 'hi' }] },
          output: 'Hello!',
          usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5, cachedTokens: 0, reasoningTokens: 0 },
          sessionId: 'chat-1',
          tags: ['beta'],
          modelParameters: { temperature: 0.2 },
        },
        { endUserId: 'u-1', parentSpanId: 'root' },
      ),
    );
    expect(row).toMatchObject({
      project_id: 'p',
      trace_id: 't',
      span_id: 's',
      parent_span_id: 'root',
      status: 'completed',
      model: 'gpt-4o',
      latency_ms: 800,
      input_tokens: 3,
      output_tokens: 2,
      total_tokens: 5,
      usage_source: 'reported',
      output: 'Hello!',
      user_id: 'u-1',
      session_id: 'chat-1',
      tags: ['beta'],
      params: '{"temperature":0.2}',
      cost_usd: null,
    });
    expect(JSON.parse(row!.input)).toEqual({ messages: [{ role: 'user', content: 'hi' }] });
  });

  it('carries the cost ingest priced it at (none when it could not be priced)', () => {
    const cost = { totalUsd: '0.000123456', priceVersion: 'caller', flags: ['caller_supplied' as const] };
    expect(ingestedGeneration(span({ model: 'gpt-4o', cost }))).toMatchObject({
      cost_usd: '0.000123456',
      price_table_version: 'caller',
      cost_flags: ['caller_supplied'],
    });
  });

  it('marks an error span failed with its message', () => {
    expect(ingestedGeneration(span({ status: 'error', statusMessage: 'rate limited' }))).toMatchObject({
      status: 'failed',
      error_message: 'rate limited',
      usage_source: 'unknown',
    });
  });

  it('leaves out other kinds, a start or end alone, and spans that did not come through ingest', () => {
    expect(ingestedGeneration(span({ kind: 'tool' }))).toBeNull();
    expect(ingestedGeneration(span({ endedAt: undefined }))).toBeNull();
    expect(ingestedGeneration(span({ startedAt: undefined }))).toBeNull();
    expect(ingestedGeneration(span({}, { source: 'otlp' }))).toBeNull();
  });
});
