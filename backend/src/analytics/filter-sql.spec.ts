import { InvalidInputError } from '../common/errors';
import type { Filter } from './filter';
import { compileFilter, containsPattern, type FilterTarget } from './filter-sql';

const HOSTILE = [
  "x' OR 1=1 --",
  "'); DROP TABLE generations; --",
  '{f0:String}',
  'a\\',
  '`backtick` "quote"',
  '%_\\%',
];

/** A filter using every field, each string value `v`. */
function everything(v: string): Filter {
  return {
    from: '2026-03-01T00:00:00Z',
    to: '2026-04-01T00:00:00Z',
    models: [v],
    providers: [v],
    sources: [v],
    userIds: [v],
    sessionIds: [v],
    apiKeyIds: [v],
    tags: [v],
    metadata: [{ key: v, value: v }, { key: v }],
    statuses: ['FAILED', 'INTERRUPTED'],
    hasError: true,
    errorMessage: v,
    cost: { min: 0.5, max: 2 },
    latencyMs: { min: 10 },
    timeToFirstTokenMs: { max: 100 },
    inputTokens: { min: 1 },
    outputTokens: { max: 9 },
    totalTokens: { min: 1, max: 10 },
    scores: [{ name: v, min: -1, max: 1, value: v }],
    prompt: { name: v, version: 3 },
    search: v,
  };
}

const TARGETS: FilterTarget[] = ['generations', 'traces'];

describe('compileFilter', () => {
  it.each(TARGETS)('scopes an empty filter to the project alone (%s)', (target) => {
    expect(compileFilter('p1', {}, target)).toEqual({
      where: 'project_id = {f0:String}',
      params: { f0: 'p1' },
    });
    expect(compileFilter('p1', null, target).where).toBe('project_id = {f0:String}');
  });

  it.each(TARGETS.flatMap((t) => HOSTILE.map((v) => [t, v] as const)))(
    'never splices a value into SQL text (%s, %j)',
    (target, value) => {
      const { where, params } = compileFilter(value, everything(value), target);
      const marker = value.replace(/[{}]/g, '');
      // The SQL text is the fixed template: no user text survives outside placeholders.
      expect(where.replace(/\{f\d+:[^}]+\}/g, '')).not.toContain(marker);
      for (const placeholder of where.match(/\{(f\d+):[^}]+\}/g) ?? []) {
        expect(Object.keys(params)).toContain(placeholder.slice(1).split(':')[0]);
      }
      expect(Object.values(params)).toContainEqual(value);
    },
  );

  it('scopes every subquery of a trace filter to the project, and bounds it by `from`', () => {
    const { where, params } = compileFilter(
      'p1',
      { from: '2026-03-01T00:00:00Z', models: ['m'], cost: { min: 1 } },
      'traces',
    );
    const subqueries = where.split('SELECT trace_id FROM').slice(1);
    expect(subqueries).toHaveLength(2);
    for (const sub of subqueries)
      expect(sub).toMatch(/project_id = \{f0:String\} AND started_at >= \{f\d+:DateTime64/);
    expect(params.f0).toBe('p1');
    expect(params.f1).toBe('2026-03-01 00:00:00.000');
  });

  it('matches a model asked for or served, and maps statuses to stored ones', () => {
    const { where, params } = compileFilter(
      'p',
      { models: ['gpt-4o'], statuses: ['COMPLETED', 'IN_FLIGHT'] },
      'generations',
    );
    expect(where).toBe(
      'project_id = {f0:String} AND (model IN {f1:Array(String)} OR served_model IN {f1:Array(String)}) AND toString(status) IN {f2:Array(String)}',
    );
    expect(params).toEqual({ f0: 'p', f1: ['gpt-4o'], f2: ['completed'] });
    expect(compileFilter('p', { statuses: ['INTERRUPTED'] }, 'generations').where).toBe(
      'project_id = {f0:String} AND 0',
    );
  });

  it('turns search text into a lower-case ILIKE pattern that takes %, _ and \\ literally', () => {
    expect(containsPattern('50%_OFF\\')).toBe('%50\\%\\_off\\\\%');
    const { where, params } = compileFilter('p', { search: '  Paris ' }, 'generations', 'g');
    expect(where).toContain('(input ILIKE {g1:String}) OR (output ILIKE {g1:String})');
    expect(params.g1).toBe('%paris%');
  });

  it('also asks for each word of 4+ characters of a phrase alone, so the text index can prune', () => {
    const { where, params } = compileFilter('p', { search: 'the Red café-au-lait' }, 'generations', 'g');
    expect(params).toMatchObject({ g1: '%the red café-au-lait%', g2: '%café%', g3: '%lait%' });
    expect(where).toContain(
      '(input ILIKE {g1:String} AND input ILIKE {g2:String} AND input ILIKE {g3:String})',
    );
  });

  it.each<[string, Filter, string]>([
    ['an unreadable time', { from: 'yesterday' }, 'filter.from'],
    ['`to` before `from`', { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }, 'filter.to'],
    ['min above max', { cost: { min: 3, max: 1 } }, 'filter.cost'],
    ['a negative bound', { latencyMs: { min: -1 } }, 'filter.latencyMs.min'],
    ['not a number', { totalTokens: { max: Number.NaN } }, 'filter.totalTokens.max'],
    ['too many values', { models: Array.from({ length: 101 }, (_, i) => `m${i}`) }, 'filter.models'],
    ['an over-long value', { userIds: ['x'.repeat(1001)] }, 'filter.userIds.0'],
    ['an empty metadata key', { metadata: [{ key: '' }] }, 'filter.metadata.0.key'],
    ['an unknown status', { statuses: ['DONE' as never] }, 'filter.statuses.0'],
    ['a one-letter search', { search: ' a ' }, 'filter.search'],
    ['a fractional prompt version', { prompt: { name: 'p', version: 1.5 } }, 'filter.prompt.version'],
    ['a score range upside down', { scores: [{ name: 's', min: 1, max: 0 }] }, 'filter.scores.0'],
    ...(['models', 'providers', 'sources', 'userIds', 'sessionIds', 'apiKeyIds', 'tags'] as const).map(
      (field): [string, Filter, string] => [
        `an empty string in ${field}`,
        { [field]: ['a', ''] },
        `filter.${field}.1`,
      ],
    ),
    ['an empty metadata value', { metadata: [{ key: 'k', value: '' }] }, 'filter.metadata.0.value'],
    ['an empty score value', { scores: [{ name: 's', value: '' }] }, 'filter.scores.0.value'],
    // Beyond 2^53 chDB refuses to bind the number: refused here, not an internal error there.
    ['a cost beyond its bound', { cost: { max: 1e16 } }, 'filter.cost.max'],
    ['a cost just beyond its bound', { cost: { min: 1_000_000_000.5 } }, 'filter.cost.min'],
    ['an infinite cost', { cost: { max: Number.POSITIVE_INFINITY } }, 'filter.cost.max'],
    ['a latency beyond 2^53', { latencyMs: { max: 1e20 } }, 'filter.latencyMs.max'],
    [
      'a first-token wait beyond 2^53',
      { timeToFirstTokenMs: { min: 1e16 } },
      'filter.timeToFirstTokenMs.min',
    ],
    [
      'input tokens of 2^53 + 1',
      { inputTokens: { max: Number.MAX_SAFE_INTEGER + 2 } },
      'filter.inputTokens.max',
    ],
    ['total tokens beyond 2^53', { totalTokens: { min: 1e20 } }, 'filter.totalTokens.min'],
    ['a score bound beyond 2^53', { scores: [{ name: 's', max: 1e20 }] }, 'filter.scores.0.max'],
    ['a score bound below -2^53', { scores: [{ name: 's', min: -1e20 }] }, 'filter.scores.0.min'],
  ])('refuses %s with invalid_filter naming the field', (_, filter, param) => {
    expect(() => compileFilter('p', filter, 'generations')).toThrow(InvalidInputError);
    expect(() => compileFilter('p', filter, 'traces')).toThrow(
      expect.objectContaining({ reason: 'invalid_filter', param }),
    );
  });
});
