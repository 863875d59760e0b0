import type { GenerationCompleted, GenerationFailed, SightlineEvent } from '@sightline/schemas';
import { generationEvents } from '../../test/support/events';
import { flatPrice } from '../../test/support/restatement.suite';
import { needsRequest, requestedModel, restatedRows, spanKey, type PriceOf } from './restated-rows';

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

  it('given a v1 end that names no server, prices the model its request asked for; failures and cache hits are not priced', () => {
    const [requested, completed] = generationEvents('p1', { model: 'mock-7' });
    const { servedBy: _none, ...legacy } = (completed as GenerationCompleted).data;
    const v1 = { ...completed, data: legacy } as GenerationCompleted;
    const cached = {
      ...completed,
      spanId: 'cached',
      data: { ...completed.data, cacheHit: true },
    } as GenerationCompleted;
    const failed: SightlineEvent = {
      ...completed,
      spanId: 'failed',
      type: 'generation.failed',
      version: 3,
      data: {
        errorClass: 'provider_error',
        providerStatus: 500,
        message: 'boom',
        startedAt: completed.occurredAt,
        latencyMs: 3,
        output: null,
        usage: { ...v1.data.usage },
        timeToFirstTokenMs: null,
        cost: null,
      },
    } satisfies GenerationFailed;
    const seen: string[] = [];
    const requests = new Map([
      [spanKey('p1', requested.spanId), { model: 'mock-7', provider: 'mock', user: '' }],
    ]);
    expect(needsRequest(v1)).toBe(true);
    expect(needsRequest(completed)).toBe(false);
    const rows = restatedRows(
      [v1, failed, cached],
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
});
