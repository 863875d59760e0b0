import {
  decodeEvent,
  encodeEvent,
  EventValidationError,
  MAX_INGEST_ITEM_BYTES,
  newEventId,
  type RecordedUsage,
  type SightlineEvent,
} from '@sightline/schemas';
import type { PriceGeneration } from '../costs/span-costs';
import { sortBatch, type SortOptions } from './ingest-items';
import { RecentTraceAttributes, traceAttributesOf } from './trace-attributes';

const now = new Date('2026-11-30T12:00:00.000Z');
const ids = { traceId: 'trace-1', spanId: 'span-1' };

/** A price of 1 nano-USD a token, noting what it was asked. */
const asked: { model: string; provider: string | undefined; usage: RecordedUsage; at: string }[] = [];
const price: PriceGeneration = (model, provider, usage, at) => {
  asked.push({ model, provider, usage, at: at.toISOString() });
  const nano = String(usage.inputTokens + usage.outputTokens).padStart(9, '0');
  return { totalUsd: `0.${nano}`, priceVersion: 'catalog:test', flags: [] };
};

/** As the recorder does it: validated and encoded; read back here to look at the events. */
const options = (items: readonly unknown[]): SortOptions<SightlineEvent> => ({
  projectId: 'p1',
  now,
  price,
  encode: (event) => decodeEvent(encodeEvent(event)),
  bodyBytes: Buffer.byteLength(JSON.stringify({ batch: items })),
});

describe('sortBatch', () => {
  it('turns a span, a generation and a score into their events for the project', () => {
    const span = {
      id: newEventId(),
      type: 'span',
      body: { ...ids, kind: 'agent', name: 'plan', startedAt: '2026-11-30T13:00:00+01:00' },
    };
    const generation = {
      id: newEventId(),
      type: 'generation',
      timestamp: '2026-11-30T12:00:02Z',
      body: {
        traceId: 'trace-1',
        spanId: 'span-2',
        parentSpanId: 'span-1',
        userId: 'user-9',
        model: 'gpt-4o',
        input: [{ role: 'user', content: 'hi' }],
        output: { any: ['json', 1] },
        usage: { inputTokens: 7, outputTokens: 3 },
        metadata: { attempt: 2, cached: false },
      },
    };
    const score = {
      id: newEventId(),
      type: 'score',
      body: { traceId: 'trace-1', name: 'thumbs', value: true },
    };

    const sorted = sortBatch([span, generation, score], options([span, generation, score]));

    expect(sorted.errors).toEqual([]);
    expect(sorted.successes.map((s) => s.status)).toEqual([201, 201, 201]);
    const [s, g, sc] = sorted.records;
    expect(s).toMatchObject({
      type: 'span.recorded',
      eventId: span.id,
      projectId: 'p1',
      source: 'ingest',
      occurredAt: '2026-11-30T12:00:00.000Z',
      data: { kind: 'agent', name: 'plan', startedAt: '2026-11-30T12:00:00.000Z' },
    });
    expect(g).toMatchObject({
      parentSpanId: 'span-1',
      endUserId: 'user-9',
      occurredAt: '2026-11-30T12:00:02.000Z',
      data: {
        kind: 'generation',
        output: { any: ['json', 1] },
        usage: { inputTokens: 7, outputTokens: 3, totalTokens: 10, cachedTokens: 0, reasoningTokens: 0 },
        metadata: { attempt: '2', cached: 'false' },
      },
    });
    expect(sc).toMatchObject({
      type: 'score.recorded',
      spanId: score.id,
      data: { scoreId: score.id, target: 'trace', score: { dataType: 'boolean', value: true } },
    });
  });

  it('answers each bad item with why, and keeps the good ones', () => {
    const good = { id: newEventId(), type: 'span', body: { ...ids, name: 'ok' } };
    const items = [
      { id: 'not-a-uuid', type: 'span', body: ids },
      good,
      { id: newEventId(), type: 'trace-create', body: ids },
      { id: newEventId(), type: 'span', body: { ...ids, kind: 'banana', extra: 1 } },
      { id: newEventId(), type: 'score', body: { traceId: 't', name: 'n', value: 'x', dataType: 'numeric' } },
      { id: newEventId(), type: 'span', body: { ...ids, input: 'x'.repeat(MAX_INGEST_ITEM_BYTES) } },
      { id: newEventId(), type: 'span', body: { ...ids, endedAt: '3000-01-01T00:00:00Z' } },
      null,
    ];

    const sorted = sortBatch(items, options(items));

    expect(sorted.records.map((e) => e.eventId)).toEqual([good.id]);
    expect(sorted.successes).toEqual([{ index: 1, id: good.id, status: 201 }]);
    expect(sorted.errors.map(({ index, status, code }) => [index, status, code])).toEqual([
      [0, 400, 'invalid_item'],
      [2, 400, 'unknown_item_type'],
      [3, 400, 'invalid_item'],
      [4, 400, 'invalid_item'],
      [5, 413, 'item_too_large'],
      [6, 400, 'invalid_item'],
      [7, 400, 'unknown_item_type'],
    ]);
    expect(sorted.errors[0].issues.map((i) => i.path)).toContain('/id');
    expect(sorted.errors[2].issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['/body/kind', '/body/extra']),
    );
    expect(sorted.errors[3].message).toBe('a numeric score needs a number value');
    expect(sorted.errors[5].message).toBe('the time 3000-01-01T00:00:00Z is outside 1970–2299');
  });

  it('appends an id repeated in the batch once, whatever its case', () => {
    const id = newEventId();
    const item = { id, type: 'span', body: ids };
    const items = [item, { ...item, id: id.toUpperCase() }];
    const sorted = sortBatch(items, options(items));
    expect(sorted.records).toHaveLength(1);
    expect(sorted.successes.map((s) => s.status)).toEqual([201, 200]);
  });

  it('prices a generation reporting its model and usage at its start; a caller’s cost wins, flagged', () => {
    asked.length = 0;
    const generation = (body: Record<string, unknown>) => ({
      id: newEventId(),
      type: 'generation',
      body: { ...ids, model: 'gpt-4o', endedAt: '2026-11-30T11:00:00Z', ...body },
    });
    const items = [
      generation({ startedAt: '2026-11-30T10:00:00Z', provider: 'openai', usage: { inputTokens: 7 } }),
      generation({ usage: { inputTokens: 1, outputTokens: 2 } }),
      generation({ usage: { inputTokens: 7 }, cost: '0.0123' }),
      generation({ usage: { inputTokens: 7 }, cost: 0.1 + 0.2 }),
      generation({ model: undefined, usage: { inputTokens: 7 } }),
      generation({}),
      { id: newEventId(), type: 'span', body: { ...ids, kind: 'tool', model: 'gpt-4o', usage: {} } },
      generation({ cost: '-1' }),
      generation({ cost: '0.0000000001' }),
    ];
    const sorted = sortBatch(items, options(items));

    const costs = sorted.records.map((e) => (e.type === 'span.recorded' ? e.data.cost : 'not a span'));
    expect(costs).toEqual([
      { totalUsd: '0.000000007', priceVersion: 'catalog:test', flags: [] },
      { totalUsd: '0.000000003', priceVersion: 'catalog:test', flags: [] },
      { totalUsd: '0.012300000', priceVersion: 'caller', flags: ['caller_supplied'] },
      { totalUsd: '0.300000000', priceVersion: 'caller', flags: ['caller_supplied'] },
      undefined,
      undefined,
      undefined,
    ]);
    expect(sorted.records.every((e) => e.version === 2)).toBe(true);
    expect(asked).toEqual([
      {
        model: 'gpt-4o',
        provider: 'openai',
        usage: {
          inputTokens: 7,
          outputTokens: 0,
          totalTokens: 7,
          cachedTokens: 0,
          reasoningTokens: 0,
          source: 'reported',
        },
        at: '2026-11-30T10:00:00.000Z',
      },
      // no start: priced at the time it is recorded at (its end); no provider: the catalog's
      expect.objectContaining({ provider: undefined, at: '2026-11-30T11:00:00.000Z' }),
    ]);
    expect(sorted.errors.map((e) => [e.index, e.code, e.issues[0]?.path])).toEqual([
      [7, 'invalid_item', '/body/cost'],
      [8, 'invalid_item', '/body/cost'],
    ]);
  });

  it('answers an event its encoder refuses with the reason, and keeps the others', () => {
    const items = ['a', 'b', 'c'].map((name) => ({ id: newEventId(), type: 'span', body: { ...ids, name } }));
    const refusing: SortOptions<string> = {
      ...options(items),
      encode: (event) => {
        if (event.type === 'span.recorded' && event.data.name === 'b') {
          throw new EventValidationError('invalid span.recorded.v1', [{ path: '/data/name', message: 'no' }]);
        }
        return event.eventId;
      },
    };

    const sorted = sortBatch(items, refusing);

    expect(sorted.records).toEqual([items[0].id, items[2].id]);
    expect(sorted.errors).toEqual([
      {
        index: 1,
        id: items[1].id,
        status: 400,
        code: 'invalid_item',
        message: 'invalid span.recorded.v1',
        issues: [{ path: '/data/name', message: 'no' }],
      },
    ]);
  });
});

describe('sortBatch: trace attributes and the sending key', () => {
  const item = (type: 'span' | 'generation', body: Record<string, unknown>) => ({
    id: newEventId(),
    type,
    body: { traceId: 'trace-1', startedAt: '2026-11-30T12:00:00Z', endedAt: '2026-11-30T12:00:01Z', ...body },
  });
  const sorted = (items: readonly unknown[], recent = new RecentTraceAttributes()) =>
    sortBatch(items, {
      ...options(items),
      apiKeyId: 'pk_sender',
      attributes: (spans) => traceAttributesOf('p1', spans, recent),
    });
  type Span = Extract<SightlineEvent, { type: 'span.recorded' }>;

  it('given user and session on the root only, then every span of its trace carries them, and generations the key', () => {
    const { records, errors } = sorted([
      item('generation', { spanId: 'g1', parentSpanId: 'root', model: 'gpt-4o' }),
      item('span', { spanId: 'root', kind: 'agent', userId: 'u1', sessionId: 's1' }),
      item('span', { spanId: 'tool', parentSpanId: 'root', kind: 'tool' }),
      item('generation', { spanId: 'g2', parentSpanId: 'root', userId: 'mine' }),
    ]);
    expect(errors).toEqual([]);
    expect(
      (records as Span[]).map((e) => [e.spanId, e.endUserId, e.data.sessionId, e.data.apiKeyId]),
    ).toEqual([
      ['g1', 'u1', 's1', 'pk_sender'],
      ['root', 'u1', 's1', undefined],
      ['tool', 'u1', 's1', undefined],
      ['g2', 'mine', 's1', 'pk_sender'],
    ]);
  });

  it('given the root in an earlier batch, then a later batch’s generations carry its user and session', () => {
    const recent = new RecentTraceAttributes();
    sorted([item('span', { spanId: 'root', userId: 'u1', sessionId: 's1' })], recent);
    const [event] = sorted([item('generation', { spanId: 'g1', parentSpanId: 'root' })], recent)
      .records as Span[];
    expect([event.endUserId, event.data.sessionId]).toEqual(['u1', 's1']);
  });

  it('given a client sending apiKeyId itself, then the item is refused', () => {
    const { errors } = sorted([item('generation', { spanId: 'g1', apiKeyId: 'pk_forged' })]);
    expect(errors).toEqual([expect.objectContaining({ index: 0, code: 'invalid_item' })]);
  });

  it('given the same batch twice, then the same events (same ids, same values) are recorded', () => {
    const recent = new RecentTraceAttributes();
    const items = [
      item('span', { spanId: 'root', userId: 'u1', sessionId: 's1' }),
      item('generation', { spanId: 'g1', parentSpanId: 'root' }),
    ];
    expect(sorted(items, recent).records).toEqual(sorted(items, recent).records);
  });
});
