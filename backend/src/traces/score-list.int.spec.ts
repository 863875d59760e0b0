import { newEventId, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectAll } from '../../test/support/generation-world';
import type { SortDirection } from '../analytics/list-order';
import { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import {
  ListScoresHandler,
  ListScoresQuery,
  type ScoreListFilter,
  type ScoreOrderField,
} from './score-list.query';

const P = 'p-score-list';
const OTHER = 'p-score-list-other';
const at = (minute: number) => new Date(Date.parse('2026-06-01T12:00:00Z') + minute * 60_000).toISOString();

type ScoreValue =
  | { dataType: 'numeric'; value: number }
  | { dataType: 'categorical'; value: string }
  | { dataType: 'boolean'; value: boolean };

const score = (
  project: string,
  trace: string,
  id: string,
  name: string,
  value: ScoreValue,
  minute: number,
  source = 'ingest',
): SightlineEvent =>
  ({
    projectId: project,
    traceId: trace,
    spanId: id,
    eventId: newEventId(),
    type: 'score.recorded',
    version: 2,
    occurredAt: at(minute),
    source,
    data: { scoreId: id, target: 'trace', name, score: value },
  }) as SightlineEvent;

describe('scores(): a project’s scores, filtered, sorted and paged (chDB)', () => {
  let ch: ClickHouse;
  let handler: ListScoresHandler;

  // Given ten numeric quality scores (-2 … 7) over two traces, two categorical and a boolean one, a
  // re-recorded score, and a score in another project
  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-score-list-')),
    }));
    handler = new ListScoresHandler(ch);
    const events = [
      ...Array.from({ length: 10 }, (_, i) =>
        score(P, `t${i % 2}`, `q${i}`, 'quality', { dataType: 'numeric', value: i - 2 }, i),
      ),
      score(P, 't0', 'c0', 'tone', { dataType: 'categorical', value: 'polite' }, 20, 'evaluator'),
      score(P, 't1', 'c1', 'tone', { dataType: 'categorical', value: 'rude' }, 21, 'evaluator'),
      score(P, 't1', 'b0', 'helpful', { dataType: 'boolean', value: true }, 22, 'api'),
      score(OTHER, 't0', 'x0', 'quality', { dataType: 'numeric', value: 1 }, 3),
    ];
    await projectAll(ch, events, 'score-list-1');
    // q9 re-recorded: its latest value (100) replaces 7.
    await projectAll(
      ch,
      [score(P, 't1', 'q9', 'quality', { dataType: 'numeric', value: 100 }, 30)],
      'score-list-2',
    );
  });
  afterAll(() => ch.close());

  const list = (
    filter: ScoreListFilter,
    field: ScoreOrderField = 'RECORDED_AT',
    direction: SortDirection = 'DESC',
    first = 50,
    after?: string,
  ) => handler.execute(new ListScoresQuery(P, filter, { field, direction }, first, after));

  it('when listed without a filter, then it has the project’s 13 scores newest first, re-recorded once, none of the other project', async () => {
    const page = await list({});
    expect(page.edges.map((e) => e.node.id)).toEqual([
      'q9',
      'b0',
      'c1',
      'c0',
      'q8',
      'q7',
      'q6',
      'q5',
      'q4',
      'q3',
      'q2',
      'q1',
      'q0',
    ]);
    expect(page.edges[0].node).toMatchObject({ traceId: 't1', value: 100, dataType: 'NUMERIC' });
    expect(page.edges[1].node).toMatchObject({
      dataType: 'BOOLEAN',
      value: 1,
      stringValue: 'true',
      source: 'api',
    });
  });

  it.each<[string, ScoreListFilter, string[]]>([
    [
      'name and a negative value range',
      { names: ['quality'], value: { min: -2, max: 0 } },
      ['q2', 'q1', 'q0'],
    ],
    ['a value range (a re-recorded score at its latest value)', { value: { min: 50 } }, ['q9']],
    ['sources', { sources: ['evaluator', 'api'] }, ['b0', 'c1', 'c0']],
    ['data types', { dataTypes: ['CATEGORICAL'] }, ['c1', 'c0']],
    ['string values', { stringValues: ['rude', 'true'] }, ['b0', 'c1']],
    ['trace', { traceIds: ['t0'], names: ['quality'] }, ['q8', 'q6', 'q4', 'q2', 'q0']],
    ['time', { from: at(2), to: at(5) }, ['q4', 'q3', 'q2']],
  ])('when filtered by %s, then it lists what matches', async (_name, filter, ids) => {
    expect((await list(filter)).edges.map((e) => e.node.id)).toEqual(ids);
  });

  it('when sorted by value and paged by 3, then the pages join into the whole sorted list', async () => {
    const whole = (await list({ names: ['quality'] }, 'VALUE', 'ASC')).edges.map((e) => e.node.id);
    expect(whole).toEqual(['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9']);
    const paged: string[] = [];
    let after: string | undefined;
    do {
      const page = await list({ names: ['quality'] }, 'VALUE', 'ASC', 3, after);
      paged.push(...page.edges.map((e) => e.node.id));
      after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined;
    } while (after);
    expect(paged).toEqual(whole);
  });

  it('when another project lists, then it sees its own score only', async () => {
    const page = await handler.execute(
      new ListScoresQuery(OTHER, {}, { field: 'RECORDED_AT', direction: 'DESC' }, 50, undefined),
    );
    expect(page.edges.map((e) => e.node.id)).toEqual(['x0']);
  });

  it('when given a bad range, type, time or cursor, then it refuses with invalid_filter / invalid_argument', async () => {
    await expect(list({ value: { min: 3, max: 1 } })).rejects.toMatchObject({
      reason: 'invalid_filter',
      param: 'filter.value',
    });
    await expect(list({ dataTypes: ['VECTOR'] })).rejects.toMatchObject({ param: 'filter.dataTypes.0' });
    await expect(list({ from: 'yesterday' })).rejects.toMatchObject({ param: 'filter.from' });
    const cursor = (await list({}, 'RECORDED_AT', 'DESC', 2)).pageInfo.endCursor ?? '';
    await expect(list({}, 'VALUE', 'DESC', 2, cursor)).rejects.toMatchObject({
      reason: 'invalid_argument',
      param: 'after',
    });
  });

  it('when planned, then the read uses the primary key on the project and trace', async () => {
    const rows = await ch.query<{ explain: string }>(
      `EXPLAIN indexes = 1 SELECT score_id FROM scores FINAL
       WHERE project_id = {p:String} AND trace_id IN {t:Array(String)} ORDER BY recorded_at DESC LIMIT 10`,
      { p: P, t: ['t0'] },
    );
    expect(rows.map((r) => r.explain).join('\n')).toMatch(
      /PrimaryKey[\s\S]*Keys:[\s\S]*project_id[\s\S]*trace_id/,
    );
  });
});
