import type {
  GenerationCancelled,
  GenerationCompleted,
  GenerationFailed,
  SpanRecorded,
} from '@sightline/schemas';
import { generationEvents } from '../../test/support/events';
import { flatPrice } from '../../test/support/restatement.suite';
import {
  needsRequest,
  requestedModel,
  restatedRows,
  restatedTotals,
  spanKey,
  type PriceOf,
} from './restated-rows';

const job = { id: 'rst_1', version: 1_700_000_000_000 };

describe('restated rows of a batch', () => {
  it('given a request and its end, prices the model and provider that served it, at the request time, as the gateway does', () => {
    const [requested, completed] = generationEvents('p1', { model: 'gpt-4o' });
    const calls: unknown[][] = [];
    const priceOf: PriceOf = (...args) => {
      calls.push(args);
      return flatPrice('v9', 10n, 20n)(...args);
    };
    const ended = {
      ...completed,
      data: { ...completed.data, servedBy: { provider: 'openai', model: 'gpt-4o-2024-08-06' } },
    } as GenerationCompleted;
    const requests = new Map([[spanKey('p1', requested.spanId), requestedModel(requested as never)]]);
    const [row] = restatedRows([requested, ended], requests, priceOf, job);
    expect(calls).toEqual([
      ['p1', 'gpt-4o-2024-08-06', 'openai', ended.data.usage, new Date(ended.data.startedAt)],
    ]);
    expect(row).toMatchObject({
      project_id: 'p1',
      span_id: ended.spanId,
      restatement_id: 'rst_1',
      version: job.version,
      total_nano_usd: '70',
      input_nano_usd: '30',
      output_nano_usd: '40',
      price_version: 'v9',
    });
  });

  it('given a v1 end that names no server, prices the model its request asked for; a cache hit cost nothing', () => {
    const [requested, completed] = generationEvents('p1', { model: 'mock-7' });
    const { servedBy: _none, ...legacy } = (completed as GenerationCompleted).data;
    const v1 = { ...completed, data: legacy } as GenerationCompleted;
    const cached = {
      ...completed,
      spanId: 'cached',
      data: { ...completed.data, cacheHit: true },
    } as GenerationCompleted;
    const seen: string[] = [];
    const requests = new Map([
      [spanKey('p1', requested.spanId), { model: 'mock-7', provider: 'mock', user: '' }],
    ]);
    expect(needsRequest(v1)).toBe(true);
    expect(needsRequest(completed)).toBe(false);
    const rows = restatedRows(
      [v1, cached],
      requests,
      (p, model, ...rest) => (seen.push(model), flatPrice('v1', 1n, 1n)(p, model, ...rest)),
      job,
    );
    expect(seen).toEqual(['mock-7']);
    expect(rows.map((r) => [r.span_id, r.total_nano_usd, r.price_version])).toEqual([
      [completed.spanId, '5', 'v1'],
      ['cached', '0', 'cache_hit'],
    ]);
  });

  it('given failed and cancelled calls, prices what they had produced; one that broke before anything arrived was not billed', () => {
    const [, completed] = generationEvents('p1', { model: 'gpt-4o' });
    const ended = completed as GenerationCompleted;
    const usage = { ...ended.data.usage, inputTokens: 100, outputTokens: 7, totalTokens: 107 };
    const broken = { startedAt: ended.data.startedAt, latencyMs: 3, timeToFirstTokenMs: null, cost: null };
    const failed = (spanId: string, withUsage: boolean): GenerationFailed => ({
      ...ended,
      spanId,
      type: 'generation.failed',
      version: 3,
      data: {
        ...broken,
        errorClass: 'provider_error',
        providerStatus: 500,
        message: 'boom',
        ...(withUsage ? { servedBy: { provider: 'openai', model: 'gpt-4o' } } : {}),
        output: null,
        usage: withUsage ? usage : null,
      },
    });
    const cancelled: GenerationCancelled = {
      ...ended,
      spanId: 'cancelled',
      type: 'generation.cancelled',
      version: 2,
      data: {
        ...broken,
        reason: 'client_disconnected',
        servedBy: { provider: 'openai', model: 'gpt-4o-mini' },
        output: null,
        usage,
      },
    };
    const seen: unknown[] = [];
    const rows = restatedRows(
      [failed('failed', true), failed('nothing', false), cancelled],
      new Map(),
      (...args) => (seen.push(args.slice(1, 3)), flatPrice('v2', 10n, 20n)(...args)),
      job,
    );
    expect(seen).toEqual([
      ['gpt-4o', 'openai'],
      ['gpt-4o-mini', 'openai'],
    ]);
    // 100 × 10 + 7 × 20 = 1140 nano-USD each.
    expect(rows.map((r) => [r.span_id, r.total_nano_usd, r.price_version, r.started_at])).toEqual([
      ['failed', '1140', 'v2', ended.data.startedAt],
      ['nothing', '0', 'not_billed', ended.data.startedAt],
      ['cancelled', '1140', 'v2', ended.data.startedAt],
    ]);
    expect(needsRequest(failed('nothing', false))).toBe(false);
    expect(needsRequest({ ...cancelled, data: { ...cancelled.data, servedBy: undefined } })).toBe(true);
  });

  it('given reported spans, re-prices a generation with its model and usage, keeps a caller-supplied total as it was, skips the rest', () => {
    const [, completed] = generationEvents('p1', { model: 'gpt-4o' });
    const envelope = { ...completed, type: 'span.recorded', version: 2, source: 'ingest' } as const;
    const usage = { inputTokens: 50, outputTokens: 5, totalTokens: 55, cachedTokens: 0, reasoningTokens: 0 };
    const priced: SpanRecorded = {
      ...envelope,
      spanId: 'priced',
      endUserId: 'u1',
      data: {
        kind: 'generation',
        model: 'acme-ft',
        startedAt: '2026-11-30T10:00:00.000Z',
        usage,
        cost: { totalUsd: '0.000000001', priceVersion: 'old', flags: [] },
      },
    };
    const caller: SpanRecorded = {
      ...envelope,
      spanId: 'caller',
      data: {
        kind: 'generation',
        model: 'acme-ft',
        usage,
        cost: { totalUsd: '0.000123456', priceVersion: 'caller', flags: ['caller_supplied'] },
      },
    };
    const noUsage: SpanRecorded = {
      ...envelope,
      spanId: 'no-usage',
      data: { kind: 'generation', model: 'x' },
    };
    const tool: SpanRecorded = { ...envelope, spanId: 'tool', data: { kind: 'tool', model: 'x', usage } };
    const calls: unknown[][] = [];
    const rows = restatedRows(
      [priced, caller, noUsage, tool],
      new Map(),
      (...args) => (calls.push(args), flatPrice('v3', 10n, 20n)(...args)),
      job,
    );
    expect(calls).toEqual([
      ['p1', 'acme-ft', undefined, { ...usage, source: 'reported' }, new Date('2026-11-30T10:00:00.000Z')],
    ]);
    expect(rows).toEqual([
      expect.objectContaining({
        span_id: 'priced',
        user_id: 'u1',
        started_at: '2026-11-30T10:00:00.000Z',
        total_nano_usd: '600',
        input_nano_usd: '500',
        output_nano_usd: '100',
        price_version: 'v3',
      }),
      expect.objectContaining({
        span_id: 'caller',
        started_at: completed.occurredAt,
        total_nano_usd: '123456',
        input_nano_usd: '0',
        price_version: 'caller',
        flags: ['caller_supplied'],
      }),
    ]);
  });

  it('given re-priced ends, totals their cost at ingestion and restated; an unpriced cost counts 0, unpriced rows too', () => {
    const [, completed] = generationEvents('p1', { model: 'gpt-4o' });
    const recorded = (spanId: string, totalUsd: string, flags: string[] = []) =>
      ({
        ...completed,
        spanId,
        data: {
          ...completed.data,
          cost: {
            totalUsd,
            priceVersion: 'catalog:old',
            flags,
          } as unknown as GenerationCompleted['data']['cost'],
        },
      }) as GenerationCompleted;
    const events = [
      recorded('a', '0.000001000'),
      recorded('b', '0.000000250'),
      recorded('c', '0.000000000', ['unpriced']),
    ];
    const rows = restatedRows(events, new Map(), flatPrice('v9', 10n, 20n), job);
    expect(rows).toHaveLength(3);
    const restated = rows.reduce((t, r) => t + BigInt(r.total_nano_usd), 0n);
    // Only the rows' spans count: an event of a span that made no row does not.
    expect(restatedTotals([...events, recorded('not-priced', '9.000000000')], rows)).toEqual({
      ingestedNanoUsd: 1250n,
      restatedNanoUsd: restated,
    });
    const unpriced = rows.map((r) =>
      r.span_id === 'a' ? { ...r, flags: ['unpriced'], total_nano_usd: '0' } : r,
    );
    expect(restatedTotals(events, unpriced).restatedNanoUsd).toBe(restated - BigInt(rows[0].total_nano_usd));
  });
});
