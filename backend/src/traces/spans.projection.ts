import type { SightlineEvent } from '@sightline/schemas';
import type { EventArchive } from '../archive/event-archive';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso } from '../clickhouse/time';
import type { EventBatch } from '../eventlog/event-consumer';
import type { Projection } from '../projector/projection';
import { groupBy } from './group-by';
import { toScoreRow } from './score-row';
import { isSpanEvent, SPAN_EVENT_TYPES, type SpanEvent } from './span-patch';
import { foldSpan } from './span-row';
import { rollUpTrace, type RolledSpan } from './trace-row';

const spanKey = (e: { projectId: string; traceId: string; spanId: string }) =>
  `${e.projectId}/${e.traceId}/${e.spanId}`;

/**
 * `spans`, `traces` and `scores`. A batch's spans are folded from all their archived events (the
 * archive takes each batch first), so a span's row is whole whatever order its events came in; then
 * each touched trace is rolled up again from its current span rows. A retried batch reads the same
 * archive and writes the same blocks under the same tokens.
 */
export class SpansProjection implements Projection {
  readonly name = 'traces';

  constructor(
    private readonly ch: ClickHouse,
    private readonly archive: EventArchive,
  ) {}

  async apply(batch: EventBatch): Promise<void> {
    const touched = [...groupBy(batch.events.filter(isSpanEvent), spanKey).values()].map((g) => g[0]);
    const known = (await this.archive.eventsOfSpans(touched, SPAN_EVENT_TYPES)) as SpanEvent[];
    // The batch is archived already; folding its events again is harmless (distinct by id) and keeps
    // the row whole should the archive lag behind the batch.
    const spans = [...groupBy([...known, ...batch.events.filter(isSpanEvent)], spanKey).values()].map(
      foldSpan,
    );
    await this.ch.insert('spans', spans, batch.dedupToken);
    await this.rollUp(
      spans.map((s) => ({ projectId: s.project_id, traceId: s.trace_id })),
      batch.dedupToken,
    );
    await this.ch.insert('scores', scoresOf(batch.events), batch.dedupToken);
  }

  private async rollUp(traces: readonly { projectId: string; traceId: string }[], token: string) {
    if (!traces.length) return;
    const rows = await this.ch.query<RolledSpan>(
      `SELECT project_id, trace_id, span_id, parent_span_id, kind, name, toString(status) AS status,
              started_at, ended_at, input_tokens, output_tokens, total_tokens, input_preview,
              output_preview, user_id, session_id, tags, release, app_version, environment, event_count
       FROM spans FINAL
       WHERE project_id IN {projects:Array(String)} AND trace_id IN {traceIds:Array(String)}`,
      {
        projects: [...new Set(traces.map((t) => t.projectId))],
        traceIds: [...new Set(traces.map((t) => t.traceId))],
      },
    );
    const wanted = new Set(traces.map((t) => `${t.projectId}/${t.traceId}`));
    const spans = rows
      .filter((r) => wanted.has(`${r.project_id}/${r.trace_id}`))
      .map((r) => ({
        ...r,
        started_at: chTimeToIso(r.started_at),
        ended_at: r.ended_at ? chTimeToIso(r.ended_at) : null,
        event_count: Number(r.event_count),
      }));
    const byTrace = groupBy(spans, (s) => `${s.project_id}/${s.trace_id}`);
    await this.ch.insert('traces', [...byTrace.values()].map(rollUpTrace), token);
  }
}

function scoresOf(events: readonly SightlineEvent[]) {
  return events.flatMap((e) => (e.type === 'score.recorded' ? [toScoreRow(e)] : []));
}
