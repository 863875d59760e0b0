import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreEvent } from '../../test/support/events';
import { call, projectAll } from '../../test/support/generation-world';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import type { Filter } from './filter';
import { compileFilter } from './filter-sql';

describe('compiled filters on chDB', () => {
  let ch: ClickHouse;

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-filter-')),
    }));
    const events = [
      ...call({
        name: 'a',
        model: 'gpt-4o',
        user: 'ann',
        tags: ['prod', 'chat'],
        usd: '0.500000000',
        output: 'Bonjour Paris',
      }),
      ...call({
        name: 'b',
        model: 'claude',
        user: 'bob',
        tags: ['prod'],
        metadata: { team: 'red' },
        usd: '2.000000000',
      }),
      ...call({
        name: 'c',
        model: 'gpt-4o',
        user: 'bob',
        latencyMs: 5000,
        metadata: { 'prompt.name': 'greet', 'prompt.version': '3' },
      }),
      ...call({ name: 'd', model: 'gpt-4o', user: 'ann', day: '2026-04-05', output: "it's 100% done_x" }),
      ...call({ name: 'e', project: 'q', model: 'gpt-4o', user: 'ann', tags: ['prod'] }),
      // Project u: a free call, one flagged unpriced (its total recorded as 0), one with no cost.
      ...call({ name: 'free', project: 'u', usd: '0.000000000' }),
      ...call({ name: 'flagged', project: 'u', usd: '0.000000000', costFlags: ['unpriced'] }),
      ...call({ name: 'none', project: 'u' }),
      scoreEvent('p', 'b', 'helpful', 0.9),
      scoreEvent('p', 'c', 'helpful', 0.2),
    ];
    await projectAll(ch, events, 'filter');
  });
  afterAll(() => ch.close());

  async function matching(
    filter: Filter,
    target: 'generations' | 'traces',
    project = 'p',
  ): Promise<string[]> {
    const { where, params } = compileFilter(project, filter, target);
    const rows = await ch.query<{ id: string }>(
      `SELECT trace_id AS id FROM ${target}${target === 'traces' ? ' FINAL' : ''} WHERE ${where} ORDER BY id`,
      params,
    );
    return rows.map((r) => r.id);
  }

  it.each<[string, Filter, string[]]>([
    ['nothing: the project only', {}, ['a', 'b', 'c', 'd']],
    ['a time range', { from: '2026-04-01T00:00:00Z' }, ['d']],
    ['models and users', { models: ['gpt-4o'], userIds: ['ann'] }, ['a', 'd']],
    ['every tag', { tags: ['prod', 'chat'] }, ['a']],
    ['metadata key and value', { metadata: [{ key: 'team', value: 'red' }] }, ['b']],
    ['a metadata key', { metadata: [{ key: 'team' }] }, ['b']],
    ['a prompt version', { prompt: { name: 'greet', version: 3 } }, ['c']],
    ['a cost range', { cost: { min: 1 } }, ['b']],
    ['a latency range', { latencyMs: { min: 1000 } }, ['c']],
    ['a score range', { scores: [{ name: 'helpful', min: 0.5 }] }, ['b']],
    ['search, any case', { search: 'paris' }, ['a']],
    ['search for a phrase, any case', { search: 'BONJOUR Paris' }, ['a']],
    ['search for words in another order', { search: 'paris bonjour' }, []],
    ['search taking % and _ literally', { search: '100% done_' }, ['d']],
    ['search for a wildcard only', { search: '%%' }, []],
    ['no errors', { hasError: false }, ['a', 'b', 'c', 'd']],
    ['errors', { hasError: true }, []],
  ])('selects generations and traces by %s', async (_, filter, expected) => {
    expect(await matching(filter, 'generations')).toEqual(expected);
    expect(await matching(filter, 'traces')).toEqual(expected);
  });

  it('binds the largest bounds a filter accepts (2^53 - 1)', async () => {
    const max = Number.MAX_SAFE_INTEGER;
    const edge: Filter = {
      latencyMs: { max },
      inputTokens: { max },
      totalTokens: { max },
      scores: [{ name: 'helpful', min: -max, max }],
    };
    expect(await matching(edge, 'generations')).toEqual(['b', 'c']);
    expect(await matching(edge, 'traces')).toEqual(['b', 'c']);
  });

  it.each<[string, Filter, string[]]>([
    ['max 0', { cost: { max: 0 } }, ['free']],
    ['min 0', { cost: { min: 0 } }, ['free']],
    ['any bound', { cost: { min: 0, max: 1_000_000_000 } }, ['free']],
    ['no cost range', {}, ['flagged', 'free', 'none']],
  ])(
    'never selects unpriced generations (or traces with none priced) by a cost range: %s',
    async (_, filter, expected) => {
      expect(await matching(filter, 'generations', 'u')).toEqual(expected);
      expect(await matching(filter, 'traces', 'u')).toEqual(expected);
    },
  );

  it('treats injection attempts as plain values: nothing matches, nothing breaks', async () => {
    for (const hostile of ["gpt-4o' OR '1'='1", "x'); DROP TABLE generations; --", '{f0:String}']) {
      expect(
        await matching(
          { models: [hostile], search: hostile, metadata: [{ key: hostile, value: hostile }] },
          'generations',
        ),
      ).toEqual([]);
      expect(await matching({ userIds: [hostile] }, 'traces')).toEqual([]);
      expect(await matching({}, 'generations', hostile)).toEqual([]);
    }
    expect(await matching({}, 'generations')).toHaveLength(4);
    expect(await matching({}, 'generations', 'q')).toEqual(['e']);
  });

  it('answers a search from the text indexes of input and output (0041)', async () => {
    const { where, params } = compileFilter('p', { search: 'bonjour paris' }, 'generations');
    const plan = await ch.query<{ explain: string }>(
      `EXPLAIN indexes = 1 SELECT trace_id FROM generations WHERE ${where}`,
      params,
    );
    const text = plan.map((r) => r.explain).join('\n');
    expect(text).toContain('Name: input_text');
    expect(text).toContain('Name: output_text');
  });
});
