import { mapSpan, SpanRejected } from './genai-span';
import { eventsOf, spanEventId, type PriceGeneration } from './otlp-events';
import { CatalogPricing } from '../costs/catalog-pricing';
import { ModelCatalog } from '../catalog/model-catalog';
import type { ControlPlane } from '../control/control-plane';
import { costData } from '../costs/pricing';
import { Map as ImmutableMap } from 'immutable';
import { int64, spansOf, type OtlpSpan } from './otlp-spans';

const START = 1_790_000_000_000n * 1_000_000n;
const given = (attributes: OtlpSpan['attributes'], over: Partial<OtlpSpan> = {}): OtlpSpan => ({
  traceId: 'a'.repeat(32),
  spanId: 'b'.repeat(16),
  parentSpanId: '',
  name: 'call',
  kind: 3,
  startTimeUnixNano: START,
  endTimeUnixNano: START + 5_000_000n,
  attributes,
  events: [],
  status: { code: 0, message: '' },
  resource: {},
  scope: { name: '', version: '' },
  ...over,
});

describe('OTLP spans in Sightline terms', () => {
  it('reads protobufjs Longs and int64 strings, signed and unsigned', () => {
    expect(int64({ low: -1, high: 0, unsigned: true })).toBe(0xffff_ffffn);
    expect(int64({ low: -1, high: -1, unsigned: false })).toBe(-1n);
    expect(int64('1790000000000000000')).toBe(1_790_000_000_000_000_000n);
    expect(int64('12abc')).toBe(0n);
  });

  it('prices a generation span without a provider as the catalog routes its model', () => {
    const pricing = new CatalogPricing(new ModelCatalog(), { forProject: () => [] }, {
      current: { customPrices: ImmutableMap() },
    } as unknown as ControlPlane);
    const price: PriceGeneration = (model, provider, usage, at) =>
      costData(pricing.costOf('p', model, provider, usage, at));
    const span = mapSpan(
      given({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 0,
      }),
    );
    expect(span.provider).toBeUndefined();
    const completed = eventsOf('p', span, price).find((e) => e.type === 'generation.completed');
    // gpt-4o: 1,000 in × $2.50 per 1M.
    expect(completed?.data).toMatchObject({ cost: { totalUsd: '0.002500000', flags: [] } });
  });

  it('records a negative or fractional token count clamped, and prices the generation as suspicious usage', () => {
    const pricing = new CatalogPricing(new ModelCatalog(), { forProject: () => [] }, {
      current: { customPrices: ImmutableMap() },
    } as unknown as ControlPlane);
    const price: PriceGeneration = (model, provider, usage, at) =>
      costData(pricing.costOf('p', model, provider, usage, at));
    const call = (usage: Record<string, number | string>) =>
      mapSpan(
        given({
          'gen_ai.operation.name': 'chat',
          'gen_ai.system': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          ...usage,
        }),
      );
    const odd = call({ 'gen_ai.usage.input_tokens': -12, 'gen_ai.usage.output_tokens': '7.5' });
    expect(odd.usage).toEqual({
      inputTokens: 0,
      outputTokens: 8,
      totalTokens: 8,
      cachedTokens: 0,
      reasoningTokens: 0,
      outOfRange: true,
    });
    const completed = eventsOf('p', odd, price).find((e) => e.type === 'generation.completed');
    // gpt-4o: 8 out × $10 per 1M = 80 micro-USD, flagged.
    expect(completed?.data).toMatchObject({
      usage: { inputTokens: 0, outputTokens: 8, outOfRange: true },
      cost: { totalUsd: '0.000080000', flags: ['suspicious_usage'] },
    });
    const sane = call({ 'gen_ai.usage.input_tokens': 12, 'gen_ai.usage.output_tokens': 7 });
    expect(sane.usage).not.toHaveProperty('outOfRange');
    expect(eventsOf('p', sane, price).find((e) => e.type === 'generation.completed')?.data).toMatchObject({
      cost: { flags: [] },
    });
  });

  it('reads messages from the GenAI span events when no attribute carries them', () => {
    const span = mapSpan(
      given(
        {
          'gen_ai.operation.name': 'chat',
          'gen_ai.request.model': 'claude-sonnet-4',
          'gen_ai.system': 'anthropic',
        },
        {
          events: [
            { name: 'gen_ai.system.message', timeUnixNano: START, attributes: { content: 'Be brief.' } },
            { name: 'gen_ai.user.message', timeUnixNano: START, attributes: { content: 'Hi' } },
            {
              name: 'gen_ai.choice',
              timeUnixNano: START,
              attributes: {
                index: 0,
                finish_reason: 'stop',
                message: '{"role":"assistant","content":"Hello"}',
              },
            },
          ],
        },
      ),
    );
    expect(span).toMatchObject({ kind: 'generation', provider: 'anthropic', model: 'claude-sonnet-4' });
    expect(span.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(span.choices).toEqual([{ index: 0, content: 'Hello', toolCalls: [], finishReason: 'stop' }]);
  });

  it('takes the first convention that names a kind: Langfuse, OpenInference, GenAI, OpenLLMetry', () => {
    expect(
      mapSpan(given({ 'langfuse.observation.type': 'guardrail', 'gen_ai.operation.name': 'chat' })).kind,
    ).toBe('guardrail');
    expect(mapSpan(given({ 'openinference.span.kind': 'RETRIEVER' })).kind).toBe('retrieval');
    expect(mapSpan(given({ 'gen_ai.operation.name': 'embeddings' })).kind).toBe('embedding');
    expect(mapSpan(given({ 'traceloop.span.kind': 'task' })).kind).toBe('chain');
    expect(mapSpan(given({ 'http.method': 'GET' })).kind).toBe('span');
  });

  it('maps an error status and the exception event to the status message', () => {
    const span = mapSpan(
      given(
        {},
        {
          status: { code: 2, message: '' },
          events: [
            {
              name: 'exception',
              timeUnixNano: START,
              attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'took too long' },
            },
          ],
        },
      ),
    );
    expect(span).toMatchObject({ status: 'error', statusMessage: 'TimeoutError: took too long' });
  });

  it('rejects ids that are not W3C-sized hex and times that are missing', () => {
    expect(() => mapSpan(given({}, { traceId: '0'.repeat(32) }))).toThrow(SpanRejected);
    expect(() => mapSpan(given({}, { spanId: 'short' }))).toThrow(/spanId must be 8 bytes/);
    expect(() => mapSpan(given({}, { startTimeUnixNano: 0n }))).toThrow(/startTimeUnixNano/);
  });

  it('mints the same event id for the same span again, and orders parts of one millisecond', () => {
    const span = mapSpan(given({}));
    const at = span.startedAt;
    expect(spanEventId('p1', span, 'span', at)).toBe(spanEventId('p1', span, 'span', at));
    expect(spanEventId('p2', span, 'span', at)).not.toBe(spanEventId('p1', span, 'span', at));
    const ids = (['span', 'completed', 'requested'] as const).map((part) =>
      spanEventId('p1', span, part, at),
    );
    expect([...ids].sort()).toEqual([ids[2], ids[1], ids[0]]);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reports a span that is not an object as unreadable, and refuses a request without a resourceSpans list', () => {
    expect(spansOf({ resourceSpans: [{ scopeSpans: [{ spans: [42] }] }] })).toEqual([
      { unreadable: 'a span must be an object' },
    ]);
    expect(() => spansOf({ resourceSpans: 'nope' })).toThrow(/resourceSpans must be an array/);
  });
});
