import type { SightlineEvent } from '@sightline/schemas';
import { CLICKHOUSE_MIGRATIONS_DIR } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, projectAll, type Call } from '../../test/support/generation-world';
import { GenerationAnalytics } from '../analytics/generation-analytics';
import { ArchiveProjection } from '../archive/archive.projection';
import { EventArchive } from '../archive/event-archive';
import { ClickHouse } from '../clickhouse/clickhouse';
import { loadMigrations, migrate } from '../clickhouse/migrator';
import { ExperimentStore } from '../experiments/experiment-store';
import { GenerationsProjection } from '../generations/generations.projection';
import { ListGroupsHandler, ListGroupsQuery } from '../traces/group-queries';
import { ListTracesHandler, ListTracesQuery } from '../traces/trace-queries';

const P = 'p-cost-marks';
/** Experiments' generations: a project of their own. */
const X = 'p-cost-marks-x';
const MONTH = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };

/** Priced, unpriced (a zero cost flagged) and estimated calls of two end users (a model each). */
const calls = (prefix: string, day: string): Call[] => [
  { name: `${prefix}-priced`, project: P, day, user: 'ann', model: 'gpt-4o', usd: '0.000120000' },
  {
    name: `${prefix}-estimated`,
    project: P,
    day,
    user: 'ann',
    model: 'gpt-4o',
    usd: '0.000030000',
    costFlags: ['estimated_usage'],
  },
  {
    name: `${prefix}-unpriced`,
    project: P,
    day,
    user: 'bob',
    model: 'mock-1',
    usd: '0.000000000',
    costFlags: ['unpriced'],
  },
  {
    name: `${prefix}-both`,
    project: P,
    day,
    user: 'bob',
    model: 'mock-1',
    usd: '0.000000000',
    costFlags: ['estimated_usage', 'unpriced'],
  },
];

describe('estimated and unpriced marks in lists and dashboards (chDB, migrations 0037–0038)', () => {
  let ch: ClickHouse;
  let analytics: GenerationAnalytics;
  const before: SightlineEvent[] = calls('old', '2026-03-02').flatMap(call);
  const after: SightlineEvent[] = calls('new', '2026-03-05').flatMap(call);

  beforeAll(async () => {
    ch = ClickHouse.connect({ database: 'default', dataDir: mkdtempSync(join(tmpdir(), 'sl-cost-marks-')) });
    const migrations = loadMigrations(CLICKHOUSE_MIGRATIONS_DIR);
    // Generations recorded before the rollups counted the marks...
    await migrate(
      ch,
      migrations.filter((m) => m.version < 37),
    );
    await new ArchiveProjection(ch).apply({ events: before, dedupToken: 'before-archive' });
    await new GenerationsProjection(ch, new EventArchive(ch)).apply({
      events: before,
      dedupToken: 'before-gen',
    });
    // ...then the migrations, and more traffic.
    await migrate(ch, migrations);
    await projectAll(ch, after, 'after');
    analytics = new GenerationAnalytics(ch);
  });
  afterAll(() => ch.close());

  it('dashboards count unpriced and estimated generations, the ones recorded before 0038 included, from rollups as from raw rows', async () => {
    const rollup = await analytics.series(P, MONTH, 'MONTH', { dimension: 'MODEL' }, 10);
    const raw = await analytics.series(P, MONTH, 'MONTH', { dimension: 'MODEL' }, 10, { raw: true });
    expect(rollup.servedFrom).toBe('ROLLUP_HOUR');
    const counts = (series: typeof rollup.result) =>
      Object.fromEntries(
        series.map((s) => {
          const v = s.points[0].values;
          return [s.key, { requests: v.requests, unpriced: v.unpricedCount, estimated: v.estimatedCount }];
        }),
      );
    expect(counts(rollup.result)).toEqual({
      'gpt-4o': { requests: 4, unpriced: 0, estimated: 2 },
      'mock-1': { requests: 4, unpriced: 4, estimated: 2 },
    });
    expect(counts(raw.result)).toEqual(counts(rollup.result));
    // Per day too (the minute rollup), and the backfill added no request.
    const days = await analytics.series(
      P,
      { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' },
      'MINUTE',
      null,
      1,
    );
    expect(days.servedFrom).toBe('ROLLUP_MINUTE');
    expect(days.result[0].points.map((p) => p.values)).toMatchObject([
      { requests: 4, unpricedCount: 2, estimatedCount: 2, cost: '0.000150000' },
    ]);
  });

  it('the trace list counts each trace’s estimated generations, by start (trace_list, fed by its view) and by other orders (traces)', async () => {
    const list = new ListTracesHandler(ch);
    for (const field of ['STARTED_AT', 'LATENCY_MS'] as const) {
      const page = await list.execute(
        new ListTracesQuery(P, {}, { field, direction: 'DESC' }, 50, undefined),
      );
      const marks = Object.fromEntries(
        page.edges.map(({ node }) => [node.id, [node.estimatedCount, node.unpricedCount]]),
      );
      expect(marks).toEqual({
        'new-priced': [0, 0],
        'new-estimated': [1, 0],
        'new-unpriced': [0, 1],
        'new-both': [1, 1],
      });
    }
  });

  it('sessions and end users sum their traces’ estimated generations', async () => {
    const users = await new ListGroupsHandler(ch).execute(new ListGroupsQuery('user', P, 10, undefined));
    expect(
      Object.fromEntries(users.edges.map(({ node }) => [node.id, [node.estimatedCount, node.unpricedCount]])),
    ).toEqual({ ann: [1, 0], bob: [1, 2] });
  });

  it('the experiment comparison counts unpriced replays apart and never reads them as $0', async () => {
    const generation = (name: string, over: Partial<Call>): SightlineEvent[] =>
      call({ name, project: X, day: '2026-03-06', ...over });
    // A call that broke before anything was billed: priced at 0, `not_billed`.
    const notBilled = (name: string) =>
      generation(name, { failed: true }).map((e) =>
        e.type === 'generation.failed'
          ? {
              ...e,
              data: { ...e.data, cost: { totalUsd: '0.000000000', priceVersion: 'not_billed', flags: [] } },
            }
          : e,
      );
    const unpriced = (name: string) => generation(name, { usd: '0.000000000', costFlags: ['unpriced'] });
    await projectAll(
      ch,
      [
        ...generation('x-orig1', { usd: '0.000200000' }),
        ...generation('x-orig2', { usd: '0.000300000' }),
        ...unpriced('x-c1a'),
        ...notBilled('x-c1b'),
        ...generation('x-c2a', { usd: '0.000100000' }),
        ...unpriced('x-c2b'),
        ...unpriced('x-c3a'),
        ...unpriced('x-c3b'),
      ],
      'experiment',
    );
    const result = (configurationId: string, original: string, replay: string) => ({
      generationId: `${original}-g`,
      configurationId,
      replayGenerationId: `${replay}-g`,
      status: 'completed' as const,
      costNanoUsd: null,
      latencyMs: 1,
      errorCode: '',
      recordedAt: '2026-03-06 12:00:01.000',
    });
    const store = new ExperimentStore(ch);
    await store.insertResults(X, 'x', [
      result('c1', 'x-orig1', 'x-c1a'),
      result('c1', 'x-orig2', 'x-c1b'),
      result('c2', 'x-orig1', 'x-c2a'),
      result('c2', 'x-orig2', 'x-c2b'),
      result('c3', 'x-orig1', 'x-c3a'),
      result('c3', 'x-orig2', 'x-c3b'),
    ]);
    const metrics = await store.metrics(X, 'x');
    expect(metrics.map((m) => [m.configurationId, m.costUsd, m.unpriced])).toEqual([
      ['', '0.0005', 0],
      // an unpriced replay beside one that was not billed: 0 known, 1 unknown (the page says "unpriced")
      ['c1', '0', 1],
      ['c2', '0.0001', 1],
      ['c3', null, 2],
    ]);
  });
});
