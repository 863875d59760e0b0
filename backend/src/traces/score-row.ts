import type { ScoreRecorded } from '@sightline/schemas';
import { assertNever } from '../common/assert-never';

/** A row of the `scores` table. */
export interface ScoreRow {
  readonly project_id: string;
  readonly score_id: string;
  readonly trace_id: string;
  /** '' for a score of the whole trace. */
  readonly span_id: string;
  readonly name: string;
  readonly data_type: ScoreRecorded['data']['score']['dataType'];
  readonly value: number | null;
  readonly string_value: string;
  readonly comment: string;
  readonly source: string;
  readonly recorded_at: string;
  readonly event_id: string;
}

/** The number and the text of a score as the table keeps them: boolean 1/0 and 'true'/'false'. */
function columnsOf(score: ScoreRecorded['data']['score']): Pick<ScoreRow, 'value' | 'string_value'> {
  switch (score.dataType) {
    case 'numeric':
      return { value: score.value, string_value: '' };
    case 'categorical':
      return { value: null, string_value: score.value };
    case 'boolean':
      return { value: Number(score.value), string_value: String(score.value) };
    default:
      return assertNever(score);
  }
}

export function toScoreRow(event: ScoreRecorded): ScoreRow {
  const d = event.data;
  return {
    project_id: event.projectId,
    score_id: d.scoreId,
    trace_id: event.traceId,
    span_id: d.target === 'span' ? event.spanId : '',
    name: d.name,
    data_type: d.score.dataType,
    ...columnsOf(d.score),
    comment: d.comment ?? '',
    source: event.source,
    recorded_at: event.occurredAt,
    event_id: event.eventId,
  };
}
