import type { ScoreRecorded } from '@sightline/schemas';

/** A row of the `scores` table. */
export interface ScoreRow {
  readonly project_id: string;
  readonly score_id: string;
  readonly trace_id: string;
  /** '' for a score of the whole trace. */
  readonly span_id: string;
  readonly name: string;
  readonly data_type: ScoreRecorded['data']['dataType'];
  readonly value: number | null;
  readonly string_value: string;
  readonly comment: string;
  readonly source: string;
  readonly recorded_at: string;
  readonly event_id: string;
}

export function toScoreRow(event: ScoreRecorded): ScoreRow {
  const d = event.data;
  return {
    project_id: event.projectId,
    score_id: d.scoreId,
    trace_id: event.traceId,
    span_id: d.target === 'span' ? event.spanId : '',
    name: d.name,
    data_type: d.dataType,
    value: d.value,
    string_value: d.stringValue,
    comment: d.comment ?? '',
    source: event.source,
    recorded_at: event.occurredAt,
    event_id: event.eventId,
  };
}
