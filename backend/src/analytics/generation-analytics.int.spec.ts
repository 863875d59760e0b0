import type { SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, projectAll, type Call } from '../../test/support/generation-world';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import type { Filter } from './filter';
import { GenerationAnalytics, type Measures } from './generation-analytics';

const MODELS = [
  ['gpt-4o', 'openai'],
  ['claude-sonnet', 'anthropic'],
  ['llama', 'vllm'],
] as const;

/** Mostly priced; some with no price in force (a zero cost flagged), some on estimated counts. */
function pricing(r: number): Pick<Call, 'usd' | 'costFlags'> {
  const usd = `0.${String(Math.floor(r * 1e9)).padStart(9, '0')}`;
  if (r < 0.1) return { usd: '0.000000000', costFlags: ['unpriced'] };
  if (r < 0.2) return { usd, costFlags: ['estimated_usage'] };
  return { usd };
}

/** 400 calls over two days from a fixed seed: three models, users, tags, errors, streamed ones, costs. */
function world(): SightlineEvent[] {
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: 400 }, (_, i): Call => {
    const [model, provider] = MODELS[Math.floor(next() * 3)];
    const at = Date.parse('2026-03-01T00:00:00Z') + Math.floor(next() * 2 * 86_400_000);
    return {
      name: `w${i}`,
      model,
      provider,
      user: `u${Math.floor(next() * 5)}`,
      tags: next() < 0.5 ? ['prod'] : ['dev'],
      day: new Date(at).toISOString(),
      latencyMs: 50 + Math.floor(next() * 5000),
      ttftMs: next() < 0.6 ? 10 + Math.floor(next() * 400) : undefined,
      outputTokens: Math.floor(next() * 900),
      ...pricing(next()),
      failed: next() < 0.08,
    };
  }).flatMap(call);
}

/** Rates are float sums, added in another order by the rollups: equal to 9 significant digits. */
const comparable = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (k, v: unknown) =>
    k === 'outputTokensPerSecond' && typeof v === 'number' ? Number(v.toPrecision(9)) : v,
  );

describe('generation analytics: rollups and raw rows agree (chDB)', () => {
  let ch: ClickHouse;
  let analytics: GenerationAnalytics;
  const events = world();
  const twoDays: Filter = { from: '2026-03-01T00:00:00Z', to: '2026-03-03T00:00:00Z' };

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-analytics-')),
    }));
    analytics = new GenerationAnalytics(ch);
    await projectAll(ch, events, 'analytics');
  });
  afterAll(() => ch.close());

  it.each([
    ['hourly, by model', { ...twoDays }, 'HOUR', { dimension: 'MODEL' }, 'ROLLUP_HOUR'],
    ['daily, one series', { ...twoDays, hasError: false }, 'DAY', null, 'ROLLUP_HOUR'],
    [
      'per 15 minutes, by provider, two models',
      { ...twoDays, models: ['gpt-4o', 'llama'] },
      'FIFTEEN_MINUTES',
      { dimension: 'PROVIDER' },
      'ROLLUP_MINUTE',
    ],
    [
      'minutely over a minute-aligned hour',
      { from: '2026-03-01T10:07:00Z', to: '2026-03-01T11:07:00Z' },
      'MINUTE',
      null,
      'ROLLUP_MINUTE',
    ],
    [
      'weekly and monthly',
      { ...twoDays, statuses: ['FAILED'] },
      'MONTH',
      { dimension: 'SOURCE' },
      'ROLLUP_HOUR',
    ],
  ] as const)(
    'series %s: from the rollup, as the raw rows give it',
    async (_, filter, bucket, groupBy, source) => {
      const rollup = await analytics.series('p', filter as Filter, bucket, groupBy, 10);
      const raw = await analytics.series('p', filter as Filter, bucket, groupBy, 10, { raw: true });
      expect(rollup.servedFrom).toBe(source);
      expect(raw.servedFrom).toBe('RAW');
      expect(rollup.result.flatMap((s) => s.points).length).toBeGreaterThan(0);
      expect(comparable(rollup.result)).toEqual(comparable(raw.result));
    },
  );

  it('ranks slowest models and costliest providers the same from either source', async () => {
    for (const [metric, dimension] of [
      ['LATENCY_P95', 'MODEL'],
      ['COST', 'PROVIDER'],
      ['ERROR_RATE', 'MODEL'],
    ] as const) {
      const rollup = await analytics.top('p', twoDays, { dimension }, metric, 'DESC', 3);
      const raw = await analytics.top('p', twoDays, { dimension }, metric, 'DESC', 3, { raw: true });
      expect(rollup.servedFrom).toBe('ROLLUP_HOUR');
      expect(comparable(rollup.result)).toEqual(comparable(raw.result));
      expect(rollup.result).toHaveLength(3);
    }
  });

  it('measures what the rows hold: counts, errors, exact cost sums, quantiles in order', async () => {
    const { result } = await analytics.series('p', twoDays, 'MONTH', null, 10);
    const values: Measures = result[0].points[0].values;
    const ends = events.filter((e) => e.type === 'generation.completed' || e.type === 'generation.failed');
    const failed = ends.filter((e) => e.type === 'generation.failed');
    expect(values.requests).toBe(400);
    expect(values.errors).toBe(failed.length);
    expect(values.errorRate).toBeCloseTo(failed.length / 400, 12);
    const nano = ends.reduce((sum, e) => {
      const cost = e.type === 'generation.completed' ? e.data.cost : null;
      return sum + (cost ? BigInt(cost.totalUsd.replace('.', '')) : 0n);
    }, 0n);
    expect(values.cost).toBe(`${nano / 1_000_000_000n}.${String(nano % 1_000_000_000n).padStart(9, '0')}`);
    const flagged = (flag: string) =>
      ends.filter((e) => e.type === 'generation.completed' && e.data.cost?.flags.includes(flag as never))
        .length;
    expect(values.unpricedCount).toBe(flagged('unpriced'));
    expect(values.estimatedCount).toBe(flagged('estimated_usage'));
    expect(values.unpricedCount).toBeGreaterThan(10);
    expect(values.estimatedCount).toBeGreaterThan(10);
    const { p50, p90, p95, p99 } = values.latencyMs!;
    expect(p50).toBeLessThanOrEqual(p90);
    expect(p95).toBeLessThanOrEqual(p99);
    expect(values.timeToFirstTokenMs!.p50).toBeGreaterThan(0);
    expect(values.outputTokensPerSecond).toBeGreaterThan(0);
  });

  it('uses raw rows when the filter, grouping or window needs them', async () => {
    const raw = [
      await analytics.series('p', { ...twoDays, tags: ['prod'] }, 'HOUR', null),
      await analytics.series('p', twoDays, 'HOUR', { dimension: 'USER' }),
      await analytics.series('p', twoDays, 'DAY', { dimension: 'METADATA', metadataKey: 'team' }),
      await analytics.series('p', { from: '2026-03-01T00:00:30Z', to: '2026-03-02T00:00:00Z' }, 'HOUR', null),
    ];
    expect(raw.map((r) => r.servedFrom)).toEqual(['RAW', 'RAW', 'RAW', 'RAW']);
    const byUser = raw[1].result;
    expect(byUser.map((s) => s.key).sort()).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
    expect(byUser.flatMap((s) => s.points).reduce((n, p) => n + p.values.requests, 0)).toBe(400);
  });

  it('compares two windows per group, zeros for a group the baseline lacks', async () => {
    const day2 = { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' };
    const rows = await analytics.compare(
      'p',
      day2,
      { from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' },
      { dimension: 'MODEL' },
    );
    expect(rows.map((r) => r.key).sort()).toEqual(['claude-sonnet', 'gpt-4o', 'llama']);
    const total = (key: 'current' | 'baseline') => rows.reduce((n, r) => n + r[key].requests, 0);
    expect(total('current') + total('baseline')).toBe(400);
    const empty = await analytics.compare(
      'p',
      day2,
      { from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z' },
      null,
    );
    expect(empty[0].baseline).toMatchObject({ requests: 0, cost: '0.000000000', latencyMs: null });
  });

  it('counts a retried batch once in the rollups too', async () => {
    const before = await analytics.series('p', twoDays, 'MONTH', null);
    await projectAll(ch, events, 'analytics');
    expect(await analytics.series('p', twoDays, 'MONTH', null)).toEqual(before);
  });

  it('refuses what it cannot answer with stable reasons', async () => {
    const tenYears = { from: '2016-03-01T00:00:00Z', to: '2026-03-01T00:00:00Z' };
    await expect(analytics.series('p', tenYears, 'MONTH', { dimension: 'USER' })).rejects.toMatchObject({
      reason: 'range_too_long',
    });
    await expect(analytics.series('p', tenYears, 'MONTH', null)).resolves.toMatchObject({
      servedFrom: 'ROLLUP_HOUR',
    });
    await expect(
      analytics.series('p', { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }, 'MINUTE', null),
    ).rejects.toMatchObject({ reason: 'too_many_buckets' });
    await expect(analytics.series('p', { to: '2026-02-01T00:00:00Z' }, 'DAY', null)).rejects.toMatchObject({
      reason: 'invalid_filter',
      param: 'filter.from',
    });
    await expect(
      analytics.top('p', twoDays, { dimension: 'METADATA' }, 'COST', 'DESC'),
    ).rejects.toMatchObject({
      reason: 'invalid_group_by',
    });
    await expect(
      analytics.top('p', twoDays, { dimension: 'USER' }, 'COST', 'DESC', 101),
    ).rejects.toMatchObject({
      reason: 'invalid_argument',
    });
  });

  it('sees nothing of another project', async () => {
    const other = await analytics.series('q', twoDays, 'DAY', null);
    expect(other.result).toEqual([{ key: '', points: [] }]);
  });
});
