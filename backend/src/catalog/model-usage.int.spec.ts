import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, projectAll } from '../../test/support/generation-world';
import { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { ModelUsageReader, usageRange } from './model-usage';

const P = 'p-model-usage';
const OTHER = 'p-model-usage-other';
const NOW = Date.parse('2026-06-30T12:00:30Z');

describe('Model.usage from the minute rollups (chDB)', () => {
  let ch: ClickHouse;
  let reader: ModelUsageReader;

  // Given gpt-4o called three times in June (one failed, two priced), once in April (outside 30 days),
  // claude once, and gpt-4o ten times in another project
  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-model-usage-')),
    }));
    reader = new ModelUsageReader(ch);
    const events = [
      call({
        name: 'u1',
        project: P,
        model: 'gpt-4o',
        day: '2026-06-10T08:15:20Z',
        usd: '0.001500000',
        outputTokens: 10,
      }),
      call({
        name: 'u2',
        project: P,
        model: 'gpt-4o',
        day: '2026-06-29T23:59:10Z',
        usd: '0.000250000',
        outputTokens: 5,
      }),
      call({ name: 'u3', project: P, model: 'gpt-4o', day: '2026-06-20', failed: true }),
      call({ name: 'u4', project: P, model: 'gpt-4o', day: '2026-04-01', usd: '9.000000000' }),
      call({ name: 'u5', project: P, model: 'claude-haiku', day: '2026-06-11', usd: '0.000100000' }),
      ...Array.from({ length: 10 }, (_, i) =>
        call({ name: `o${i}`, project: OTHER, model: 'gpt-4o', day: '2026-06-15', usd: '1.000000000' }),
      ),
    ].flat();
    await projectAll(ch, events, 'model-usage');
  });
  afterAll(() => ch.close());

  it('when read over the default 30 days, then it counts the project’s June calls of each model asked for, not the other project’s', async () => {
    const range = usageRange(null, null, NOW);
    expect(new Date(range.to).toISOString()).toBe('2026-06-30T12:00:00.000Z');
    expect(new Date(range.from).toISOString()).toBe('2026-05-31T12:00:00.000Z');
    const usage = await reader.usage(P, range, ['gpt-4o', 'claude-haiku', 'never-used']);
    expect(usage.get('gpt-4o')).toEqual({
      from: '2026-05-31T12:00:00.000Z',
      to: '2026-06-30T12:00:00.000Z',
      requests: 3,
      inputTokens: 6,
      outputTokens: 15,
      cost: '0.001750000',
      lastUsedAt: '2026-06-29T23:59:00.000Z',
    });
    expect(usage.get('claude-haiku')).toMatchObject({ requests: 1, cost: '0.000100000' });
    expect(usage.get('never-used')).toMatchObject({
      requests: 0,
      inputTokens: 0,
      cost: '0.000000000',
      lastUsedAt: null,
    });
  });

  it('when read over a range that starts in April, then the April call counts too; to is exclusive to the minute', async () => {
    const usage = await reader.usage(P, usageRange('2026-04-01T00:00:00Z', '2026-06-29T23:59:00Z', NOW), [
      'gpt-4o',
    ]);
    expect(usage.get('gpt-4o')).toMatchObject({ requests: 3, cost: '9.001500000' });
  });

  it('when the range is unreadable, reversed or over 400 days, then it refuses with invalid_argument', () => {
    expect(() => usageRange('soon', null, NOW)).toThrow(
      expect.objectContaining({ reason: 'invalid_argument', param: 'from' }),
    );
    expect(() => usageRange('2026-06-02T00:00:00Z', '2026-06-01T00:00:00Z', NOW)).toThrow(
      expect.objectContaining({ param: 'to' }),
    );
    expect(() => usageRange('2025-01-01T00:00:00Z', '2026-06-01T00:00:00Z', NOW)).toThrow(
      expect.objectContaining({ param: 'from' }),
    );
  });

  it('when planned, then the read uses the rollup’s primary key on project and bucket', async () => {
    const rows = await ch.query<{ explain: string }>(
      `EXPLAIN indexes = 1 SELECT model, sum(requests) FROM generation_rollup_minute
       WHERE project_id = {p:String} AND bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')}
         AND model IN {models:Array(String)} GROUP BY model`,
      { p: P, from: '2026-06-01 00:00:00', to: '2026-06-30 00:00:00', models: ['gpt-4o'] },
    );
    expect(rows.map((r) => r.explain).join('\n')).toMatch(
      /PrimaryKey[\s\S]*Keys:[\s\S]*project_id[\s\S]*bucket/,
    );
  });
});
