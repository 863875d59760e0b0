import type { GenerationCompleted, GenerationFailed, SightlineEvent } from '@sightline/schemas';
import { generationEvents } from '../../test/support/events';
import { flatPrice } from '../../test/support/restatement.suite';
import { requestedModel, restatedRows, spanKey, type PriceOf } from './restated-rows';

const job = { id: 'rst_1', version: 1_700_000_000_000 };

describe('restated rows of a batch', () => {
  it('given a request and its end, prices the asked-for model with the provider that answered, at the request time', () => {
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
    expect(calls).toEqual([['p1', 'gpt-4o', 'openai', ended.data.usage, new Date(ended.data.startedAt)]]);
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

  it('given an end without its request, prices the model that served it; an end without usage is not priced', () => {
    const [, completed] = generationEvents('p1', { model: 'mock-7' });
    const failed: SightlineEvent = {
      ...completed,
      type: 'generation.failed',
      version: 2,
      data: {
        errorClass: 'provider_error',
        providerStatus: 500,
        message: 'boom',
        startedAt: completed.occurredAt,
        latencyMs: 3,
        output: null,
        usage: null,
        timeToFirstTokenMs: null,
      },
    } satisfies GenerationFailed;
    const seen: string[] = [];
    const rows = restatedRows(
      [completed, failed],
      new Map(),
      (p, model, ...rest) => (seen.push(model), flatPrice('v1', 1n, 1n)(p, model, ...rest)),
      job,
    );
    expect(seen).toEqual(['mock-7']);
    expect(rows).toHaveLength(1);
  });
});
