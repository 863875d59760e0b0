import type { SightlineEvent } from '@sightline/schemas';
import { CLICKHOUSE_MIGRATIONS_DIR } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, projectAll, type Call } from '../../test/support/generation-world';
import { ArchiveProjection } from '../archive/archive.projection';
import { EventArchive } from '../archive/event-archive';
import { ClickHouse } from '../clickhouse/clickhouse';
import { loadMigrations, migrate } from '../clickhouse/migrator';
import { GenerationsProjection } from '../generations/generations.projection';
import type { Filter } from './filter';
import { GenerationAnalytics } from './generation-analytics';

const P = 'p-sketches';

/** 120 calls on one day from a fixed seed: two models, latencies over three orders of magnitude, some streamed. */
function calls(prefix: string, day: string): Call[] {
  let seed = prefix.length * 7919;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: 120 }, (_, i) => ({
    name: `${prefix}-${i}`,
    project: P,
    model: i % 2 ? 'gpt-4o' : 'llama',
    day: new Date(Date.parse(day) + Math.floor(next() * 86_400_000)).toISOString(),
    latencyMs: Math.floor(20 * Math.exp(next() * 6)),
    ttftMs: next() < 0.5 ? 5 + Math.floor(next() * 300) : undefined,
    failed: next() < 0.1,
  }));
}

/** Rates are float sums, added in another order by the rollups: equal to 9 significant digits. */
const comparable = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (k, v: unknown) =>
    k === 'outputTokensPerSecond' && typeof v === 'number' ? Number(v.toPrecision(9)) : v,
  );

describe('rollup quantile sketches (chDB, migration 0039)', () => {
  let ch: ClickHouse;
  let analytics: GenerationAnalytics;
  const before: SightlineEvent[] = calls('old', '2026-03-02T00:00:00Z').flatMap(call);
  const after: SightlineEvent[] = calls('new', '2026-03-05T00:00:00Z').flatMap(call);

  beforeAll(async () => {
    ch = ClickHouse.connect({ database: 'default', dataDir: mkdtempSync(join(tmpdir(), 'sl-sketches-')) });
    const migrations = loadMigrations(CLICKHOUSE_MIGRATIONS_DIR);
    // Generations recorded while the rollups held reservoir samples...
    await migrate(
      ch,
      migrations.filter((m) => m.version < 39),
    );
    await new ArchiveProjection(ch).apply({ events: before, dedupToken: 'before-archive' });
    await new GenerationsProjection(ch, new EventArchive(ch)).apply({
      events: before,
      dedupToken: 'before-gen',
    });
    // ...then the sketches, and more traffic.
    await migrate(ch, migrations);
    await projectAll(ch, after, 'after');
    analytics = new GenerationAnalytics(ch);
  });
  afterAll(() => ch.close());

  it.each([
    [
      'the day before the migration, hourly by model',
      '2026-03-02T00:00:00Z',
      '2026-03-03T00:00:00Z',
      'HOUR',
      'ROLLUP_HOUR',
    ],
    ['both days, monthly by model', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', 'MONTH', 'ROLLUP_HOUR'],
    [
      'the day before, per 15 minutes from a minute-aligned window',
      '2026-03-02T00:07:00Z',
      '2026-03-03T00:07:00Z',
      'FIFTEEN_MINUTES',
      'ROLLUP_MINUTE',
    ],
  ] as const)('%s: quantiles from the rollup equal the raw rows', async (_, from, to, bucket, source) => {
    const filter: Filter = { from, to };
    const rollup = await analytics.series(P, filter, bucket, { dimension: 'MODEL' }, 10);
    const raw = await analytics.series(P, filter, bucket, { dimension: 'MODEL' }, 10, { raw: true });
    expect(rollup.servedFrom).toBe(source);
    const points = rollup.result.flatMap((s) => s.points);
    expect(points.length).toBeGreaterThan(0);
    expect(points.every((p) => p.values.latencyMs !== null)).toBe(true);
    expect(comparable(rollup.result)).toEqual(comparable(raw.result));
  });

  it('the backfill added sketches only: requests counted once, a median within 1 % of a sample next to the exact one', async () => {
    const { result } = await analytics.series(
      P,
      { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' },
      'DAY',
      null,
    );
    const values = result[0].points[0].values;
    expect(values.requests).toBe(120);
    expect(values.timeToFirstTokenMs).not.toBeNull();
    const [{ sorted }] = await ch.query<{ sorted: number[] }>(
      `SELECT arraySort(groupArray(latency_ms)) AS sorted FROM generations
       WHERE project_id = {p:String} AND toDate(started_at) = '2026-03-02'`,
      { p: P },
    );
    // A sketch answers with the value of its bin (1 % wide) holding the rank: here samples 59 and 60 of 120.
    const { p50, p99 } = values.latencyMs!;
    expect(p50).toBeGreaterThanOrEqual(Number(sorted[58]) * 0.99);
    expect(p50).toBeLessThanOrEqual(Number(sorted[61]) * 1.01);
    expect(p99).toBeGreaterThan(p50);
  });
});
