import { newEventId } from './ids';
import type { GenerationRequestedV1 } from './events/generation';
import { decodeEvent, encodeEvent, EventValidationError, parseEvent, validateNewEvent } from './validation';

const base = {
  eventId: newEventId(),
  occurredAt: '2026-11-25T10:00:00.000Z',
  projectId: 'proj_1',
  traceId: 'a'.repeat(32),
  spanId: 'b'.repeat(16),
  source: 'gateway' as const,
};

const requestedV1: GenerationRequestedV1 = {
  ...base,
  type: 'generation.requested',
  version: 1,
  data: {
    provider: 'mock',
    model: 'mock-1',
    messages: [{ role: 'user', content: 'hi' }],
    temperature: 0.2,
    maxTokens: 64,
    stream: false,
  },
};

describe('event validation', () => {
  it('upcasts a v1 generation.requested to v2, moving flat params into `params`', () => {
    const event = parseEvent(requestedV1);
    expect(event).toEqual({
      ...requestedV1,
      version: 2,
      data: {
        provider: 'mock',
        model: 'mock-1',
        messages: [{ role: 'user', content: 'hi' }],
        params: { temperature: 0.2, max_tokens: 64 },
        stream: false,
        tags: [],
        metadata: {},
      },
    });
  });

  it('upcasts a v1 generation.completed to v3: one choice, streamed tool-call fragments joined, usage reported', () => {
    const usage = { inputTokens: 3, outputTokens: 9, totalTokens: 12, cachedTokens: 0, reasoningTokens: 0 };
    const fragments = [
      { index: 0, id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '' } },
      { index: 1, id: 'call_2', type: 'function', function: { name: 'other', arguments: '{}' } },
      { index: 0, function: { arguments: '{"q":' } },
      { index: 0, function: { arguments: '"x"}' } },
    ];
    const data = {
      finishReason: 'tool_calls',
      usage,
      startedAt: base.occurredAt,
      latencyMs: 5,
      timeToFirstTokenMs: 1,
      cost: null,
    };
    const v1 = {
      ...base,
      type: 'generation.completed',
      version: 1,
      data: { ...data, output: { content: null, toolCalls: fragments } },
    };
    expect(parseEvent(v1)).toEqual({
      ...v1,
      version: 3,
      data: {
        ...data,
        usage: { ...usage, source: 'reported' },
        output: {
          choices: [
            {
              index: 0,
              content: null,
              finishReason: 'tool_calls',
              toolCalls: [
                { id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' },
                { id: 'call_2', name: 'other', arguments: '{}' },
              ],
            },
          ],
        },
      },
    });
  });

  it('upcasts a v2 generation.completed cost to v3: its total as an exact decimal, no breakdown', () => {
    const usage = { inputTokens: 3, outputTokens: 9, totalTokens: 12, cachedTokens: 0, reasoningTokens: 0 };
    const data = {
      output: { choices: [] },
      finishReason: 'stop',
      usage: { ...usage, source: 'reported' },
      startedAt: base.occurredAt,
      latencyMs: 5,
      timeToFirstTokenMs: null,
    };
    const v2 = (cost: unknown) => ({
      ...base,
      type: 'generation.completed',
      version: 2,
      data: { ...data, cost },
    });
    expect(parseEvent(v2(null))).toEqual({ ...v2(null), version: 3 });
    expect(parseEvent(v2({ totalUsd: 0.0123, priceTableVersion: '2026-01-01.1' }))).toEqual({
      ...v2(null),
      version: 3,
      data: { ...data, cost: { totalUsd: '0.012300000', priceVersion: '2026-01-01.1', flags: [] } },
    });
  });

  it('upcasts a v1 generation.failed to v3 with no partial output and no cost (unknown, not zero)', () => {
    const data = {
      errorClass: 'timeout',
      providerStatus: null,
      message: 'slow',
      startedAt: base.occurredAt,
      latencyMs: 9,
    };
    const v1 = { ...base, type: 'generation.failed', version: 1, data };
    expect(parseEvent(v1)).toEqual({
      ...v1,
      version: 3,
      data: { ...data, output: null, usage: null, timeToFirstTokenMs: null, cost: null },
    });
  });

  const partial = {
    output: { choices: [{ index: 0, content: 'Half', toolCalls: [], finishReason: null }] },
    usage: {
      inputTokens: 5,
      outputTokens: 1,
      totalTokens: 6,
      cachedTokens: 0,
      reasoningTokens: 0,
      source: 'reported',
    },
    timeToFirstTokenMs: 4,
    startedAt: base.occurredAt,
    latencyMs: 9,
  };

  it('upcasts a v2 generation.failed and a v1 generation.cancelled to their priced versions, cost null', () => {
    const failed = {
      ...base,
      type: 'generation.failed',
      version: 2,
      data: { ...partial, errorClass: 'provider_unreachable', providerStatus: null, message: 'cut' },
    };
    const cancelled = {
      ...base,
      type: 'generation.cancelled',
      version: 1,
      data: { ...partial, reason: 'client_disconnected' },
    };
    expect(parseEvent(failed)).toEqual({ ...failed, version: 3, data: { ...failed.data, cost: null } });
    expect(parseEvent(cancelled)).toEqual({
      ...cancelled,
      version: 2,
      data: { ...cancelled.data, cost: null },
    });
  });

  it('takes a priced failed or cancelled generation, and refuses one whose cost is missing', () => {
    const cost = { totalUsd: '0.000000021', priceVersion: 'catalog:t', flags: ['estimated_usage'] };
    const cancelled = {
      ...base,
      type: 'generation.cancelled',
      version: 2,
      data: { ...partial, reason: 'client_disconnected', cost },
    };
    expect(validateNewEvent(cancelled)).toEqual(cancelled);
    const { cost: _missing, ...unpriced } = cancelled.data;
    expect(() => validateNewEvent({ ...cancelled, data: unpriced })).toThrow(EventValidationError);
  });

  it('upcasts a v1 span.recorded to v2 without a cost', () => {
    const v1 = { ...base, type: 'span.recorded', version: 1, data: { kind: 'generation', model: 'gpt-4o' } };
    expect(parseEvent(v1)).toEqual({ ...v1, version: 2 });
  });

  it.each([
    ['numeric', { dataType: 'numeric', value: 0.75, stringValue: '' }, { dataType: 'numeric', value: 0.75 }],
    [
      'boolean',
      { dataType: 'boolean', value: 0, stringValue: 'false' },
      { dataType: 'boolean', value: false },
    ],
    ['boolean', { dataType: 'boolean', value: 1, stringValue: 'true' }, { dataType: 'boolean', value: true }],
    [
      'categorical',
      { dataType: 'categorical', value: null, stringValue: 'rude' },
      { dataType: 'categorical', value: 'rude' },
    ],
  ])('upcasts a v1 %s score.recorded to v2: one typed value', (_kind, v1Value, score) => {
    const target = { scoreId: 's1', target: 'trace', name: 'tone', comment: 'by hand' };
    const v1 = {
      ...base,
      source: 'ingest',
      type: 'score.recorded',
      version: 1,
      data: { ...target, ...v1Value },
    };
    expect(parseEvent(v1)).toEqual({ ...v1, version: 2, data: { ...target, score } });
  });

  it('refuses a v1 numeric score without a number once upcast: v2 cannot hold it', () => {
    const data = {
      scoreId: 's1',
      target: 'trace',
      name: 'q',
      dataType: 'numeric',
      value: null,
      stringValue: '',
    };
    expect(() => parseEvent({ ...base, type: 'score.recorded', version: 1, data })).toThrow(
      /invalid score\.recorded\.v2: \/data\/score/,
    );
  });

  it('refuses to append an old version', () => {
    expect(() => validateNewEvent(requestedV1)).toThrow(/not the current version/);
  });

  it('names the offending field of an invalid event', () => {
    const bad = { ...requestedV1, data: { ...requestedV1.data, temperature: 'hot' } };
    const error = (() => {
      try {
        parseEvent(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EventValidationError);
    expect((error as EventValidationError).issues.map((i) => i.path)).toContain('/data/temperature');
  });

  it.each([
    ['not JSON', '{oops', /malformed JSON/],
    ['not an object', '[1]', /not a JSON object/],
    ['unknown type', JSON.stringify({ ...requestedV1, type: 'nope' }), /unknown event type\/version nope.v1/],
    ['bad uuid', JSON.stringify({ ...requestedV1, eventId: 'x' }), /eventId/],
    ['extra field', JSON.stringify({ ...requestedV1, secret: 1 }), /invalid/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => decodeEvent(text)).toThrow(message);
  });

  it('round-trips the current version through encode/decode', () => {
    const current = parseEvent(requestedV1);
    expect(decodeEvent(encodeEvent(current))).toEqual(current);
  });
});
