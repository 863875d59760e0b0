import { comparisonOf, progressOf, similarity } from './experiment-progress';
import type { GroupMetrics } from './experiment-store';

const metrics = (configurationId: string, requests: number, errors: number): GroupMetrics => ({
  configurationId,
  requests,
  errors,
  costUsd: '0.5',
  unpriced: 0,
  latencyP50Ms: 100,
  latencyP95Ms: 200,
  ttftP50Ms: 40,
});

describe('experiment progress', () => {
  it('given 30 of 120 done in 10 s of this run, then 3 requests/s and 30 s left', () => {
    const p = progressOf(
      120,
      { done: 30, failed: 2, spentNanoUsd: 7n, unpriced: 4 },
      { at: new Date(0), done: 0 },
      new Date(10_000),
    );
    expect(p).toEqual({
      done: 30,
      total: 120,
      failed: 2,
      fraction: 0.25,
      requestsPerSecond: 3,
      etaSeconds: 30,
      spentNanoUsd: 7n,
      unpriced: 4,
    });
  });

  it('measures the rate over the current run only, and knows no rate when no run is here', () => {
    const resumed = progressOf(
      100,
      { done: 60, failed: 0, spentNanoUsd: 0n, unpriced: 0 },
      { at: new Date(0), done: 50 },
      new Date(5000),
    );
    expect(resumed.requestsPerSecond).toBe(2);
    expect(resumed.etaSeconds).toBe(20);
    const idle = progressOf(
      100,
      { done: 60, failed: 0, spentNanoUsd: 0n, unpriced: 0 },
      null,
      new Date(5000),
    );
    expect(idle).toMatchObject({ requestsPerSecond: null, etaSeconds: null, fraction: 0.6 });
    expect(
      progressOf(100, { done: 100, failed: 0, spentNanoUsd: 0n, unpriced: 0 }, null, new Date()).etaSeconds,
    ).toBe(0);
  });
});

describe('output similarity', () => {
  it('is 1 for equal outputs, 0 for nothing in common, and in between by edit distance', () => {
    expect(similarity('Paris', 'Paris')).toBe(1);
    expect(similarity('', '')).toBe(1);
    expect(similarity('abc', 'xyz')).toBe(0);
    expect(similarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 10);
    expect(similarity('', 'abc')).toBe(0);
  });
});

describe('the comparison', () => {
  it('given metrics and output pairs, then originals first, each configuration after, with error rates and mean similarity', () => {
    const rows = comparisonOf(
      ['c1', 'c2'],
      [metrics('', 4, 1), metrics('c1', 4, 2)],
      [
        {
          configurationId: 'c1',
          generationId: 'a',
          replayGenerationId: 'ra',
          original: 'same',
          replay: 'same',
        },
        {
          configurationId: 'c1',
          generationId: 'b',
          replayGenerationId: 'rb',
          original: 'abcd',
          replay: 'abxx',
        },
      ],
    );
    expect(rows.map((r) => r.configurationId)).toEqual([null, 'c1', 'c2']);
    expect(rows[0]).toMatchObject({ requests: 4, errorRate: 0.25, outputSimilarity: 1, compared: 4 });
    expect(rows[1]).toMatchObject({ requests: 4, errorRate: 0.5, outputSimilarity: 0.75, compared: 2 });
    expect(rows[2]).toMatchObject({
      requests: 0,
      errorRate: null,
      outputSimilarity: null,
      costUsd: null,
      unpriced: 0,
      compared: 0,
    });
  });
});
