import {
  newEventId,
  newSpanId,
  newTraceId,
  type ScoreRecorded,
  type ScoreRecordedV1,
} from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveReadModel } from '../archive/archive.read-model';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { LLM_EVENTS } from '../projector/sources';
import { tracesReadModel } from '../traces/traces.read-model';
import { spanEvent } from '../../test/support/events';

type V1Score = ScoreRecordedV1['data'];
type V2Score = ScoreRecorded['data'];

/** The same three scores of one trace, as v1 wrote them and as v2 writes them. */
const SCORES: readonly (readonly [V1Score, V2Score])[] = [
  [
    { scoreId: 's-num', target: 'trace', name: 'quality', dataType: 'numeric', value: 0.5, stringValue: '' },
    { scoreId: 's-num', target: 'trace', name: 'quality', score: { dataType: 'numeric', value: 0.5 } },
  ],
  [
    {
      scoreId: 's-cat',
      target: 'span',
      name: 'tone',
      dataType: 'categorical',
      value: null,
      stringValue: 'curt',
    },
    { scoreId: 's-cat', target: 'span', name: 'tone', score: { dataType: 'categorical', value: 'curt' } },
  ],
  [
    {
      scoreId: 's-bool',
      target: 'trace',
      name: 'solved',
      dataType: 'boolean',
      value: 1,
      stringValue: 'true',
      comment: 'checked by hand',
    },
    {
      scoreId: 's-bool',
      target: 'trace',
      name: 'solved',
      score: { dataType: 'boolean', value: true },
      comment: 'checked by hand',
    },
  ],
];

/** A log as bytes: a span, then its scores, v1 where `v1` says so. Same ids in every log. */
function log(projectId: string, ids: { traceId: string; spanId: string; eventIds: string[] }, v1: boolean[]) {
  const at = { projectId, traceId: ids.traceId, spanId: ids.spanId, occurredAt: '2026-11-30T12:00:00.000Z' };
  const span = {
    ...spanEvent(at, { kind: 'agent', name: 'triage', startedAt: at.occurredAt, endedAt: at.occurredAt }),
    eventId: ids.eventIds[0],
  };
  const scores = SCORES.map(([old, current], i) => ({
    eventId: ids.eventIds[i + 1],
    occurredAt: '2026-11-30T12:00:00.000Z',
    projectId,
    traceId: ids.traceId,
    spanId: ids.spanId,
    source: 'ingest',
    type: 'score.recorded',
    ...(v1[i] ? { version: 1, data: old } : { version: 2, data: current }),
  }));
  return [span, ...scores].map((e) => Buffer.from(JSON.stringify(e)));
}

describe('schema evolution: score.recorded v1 and v2 in one log', () => {
  let ch: ClickHouse;
  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-mixed-')),
    }));
  });
  afterAll(() => ch.close());

  /** given a log, when the projector decodes and projects it: the traces read model's rows, project aside. */
  async function projected(projectId: string, records: readonly Buffer[]) {
    const events = records.map((bytes) => LLM_EVENTS.decode(bytes));
    for (const model of [archiveReadModel, tracesReadModel]) {
      await model.projection!(ch).apply({ events, dedupToken: `mixed:${projectId}` });
    }
    return Promise.all(
      tracesReadModel.tables.map((table) =>
        ch.query<Record<string, unknown>>(
          'SELECT * EXCEPT project_id FROM {table:Identifier} FINAL WHERE project_id = {projectId:String} ORDER BY ALL',
          { table, projectId },
        ),
      ),
    );
  }

  it('projects a log mixing v1 and v2 to the same rows as an all-v2 log', async () => {
    const ids = {
      traceId: newTraceId(),
      spanId: newSpanId(),
      eventIds: SCORES.map(newEventId).concat(newEventId()),
    };
    const allV2 = await projected('p-v2', log('p-v2', ids, [false, false, false]));
    const mixed = await projected('p-mixed', log('p-mixed', ids, [true, false, true]));
    const allV1 = await projected('p-v1', log('p-v1', ids, [true, true, true]));

    const table = (name: string) => allV2[tracesReadModel.tables.indexOf(name)];
    const [spans, scores] = [table('spans'), table('scores')];
    expect(spans).toHaveLength(1);
    expect(scores.map((s) => [s.score_id, s.data_type, s.value, s.string_value])).toEqual([
      ['s-bool', 'boolean', 1, 'true'],
      ['s-cat', 'categorical', null, 'curt'],
      ['s-num', 'numeric', 0.5, ''],
    ]);
    expect(mixed).toEqual(allV2);
    expect(allV1).toEqual(allV2);
  });
});
