import type { SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spanEvent } from '../../test/support/events';
import { call, projectAll } from '../../test/support/generation-world';
import { GenerationAnalytics } from '../analytics/generation-analytics';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import type { Clock } from '../common/clock';
import { ListGenerationsHandler, ListGenerationsQuery } from './list-generations.query';

const P = 'p-ingested';

/** A complete generation sent to `/api/ingest`, 300 ms long, starting at `at`. */
const ingested = (id: string, at: string, model: string): SightlineEvent =>
  spanEvent(
    { projectId: P, traceId: `t-${id}`, spanId: id },
    {
      kind: 'generation',
      name: 'chat',
      model,
      provider: 'openai',
      startedAt: at,
      endedAt: new Date(Date.parse(at) + 300).toISOString(),
      input: 'hello',
      output: 'hi there',
      usage: { inputTokens: 4, outputTokens: 3, totalTokens: 7, cachedTokens: 0, reasoningTokens: 0 },
    },
  );

describe('generations sent to /api/ingest in analytics and lists (chDB)', () => {
  let ch: ClickHouse;
  const day = { from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' };
  const events = [
    ...call({ name: 'gw', project: P, model: 'gpt-4o', provider: 'openai', day: '2026-03-02T09:00:00Z' }),
    ingested('in-1', '2026-03-02T10:00:00.000Z', 'gpt-4o'),
    ingested('in-2', '2026-03-02T11:00:00.000Z', 'claude-haiku'),
    // A span of another kind, and a generation's start sent alone: no generation row.
    spanEvent(
      { projectId: P, traceId: 't-in-1', spanId: 'tool', parentSpanId: 'in-1' },
      {
        kind: 'tool',
        name: 'search',
        startedAt: '2026-03-02T10:00:00.100Z',
        endedAt: '2026-03-02T10:00:00.200Z',
      },
    ),
    spanEvent(
      { projectId: P, traceId: 't-open', spanId: 'open' },
      { kind: 'generation', name: 'chat', model: 'gpt-4o', startedAt: '2026-03-02T12:00:00.000Z' },
    ),
  ];

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-ingested-')),
    }));
    await projectAll(ch, events, 'ingested');
  });
  afterAll(() => ch.close());

  it('given gateway and ingested generations, when the hourly series is read, then both are counted, from the rollups as from raw rows', async () => {
    const analytics = new GenerationAnalytics(ch);
    const read = (raw: boolean) => analytics.series(P, day, 'HOUR', { dimension: 'MODEL' }, 10, { raw });
    const rollup = await read(false);
    expect(rollup.servedFrom).toBe('ROLLUP_HOUR');
    const counts = rollup.result.map((s) => [s.key, s.points.map((p) => [p.bucket, p.values.requests])]);
    expect(counts).toEqual([
      [
        'gpt-4o',
        [
          ['2026-03-02T09:00:00Z', 1],
          ['2026-03-02T10:00:00Z', 1],
        ],
      ],
      ['claude-haiku', [['2026-03-02T11:00:00Z', 1]]],
    ]);
    expect((await read(true)).result).toEqual(rollup.result);
  });

  it('given the same events projected again, then nothing is counted twice', async () => {
    await projectAll(ch, events, 'ingested');
    const [row] = await ch.query<{ n: string }>(
      'SELECT count() AS n FROM generations WHERE project_id = {p:String}',
      { p: P },
    );
    expect(Number(row.n)).toBe(3);
  });

  it('given one generation per page, when older pages are read, then the ingested ones come in time order with their model, tokens and text', async () => {
    const handler = new ListGenerationsHandler(ch, { now: () => new Date('2026-03-02T12:00:01Z') } as Clock, {
      interruptedAfterMs: 3_600_000,
    });
    const seen: (readonly [string, string, number, string | null])[] = [];
    let after: string | undefined;
    do {
      const page = await handler.execute(new ListGenerationsQuery(P, 1, after, day));
      seen.push(
        ...page.edges.map((e) => [e.node.id, e.node.model, e.node.totalTokens, e.node.output] as const),
      );
      after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
    } while (after);
    expect(seen.map(([id, model, tokens]) => [id, model, tokens])).toEqual([
      ['in-2', 'claude-haiku', 7],
      ['in-1', 'gpt-4o', 7],
      ['gw-g', 'gpt-4o', 5],
    ]);
    expect(seen[0][3]).toBe('hi there');
  });
});
