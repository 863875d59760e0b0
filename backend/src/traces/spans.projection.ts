import type { SightlineEvent } from '@sightline/schemas';
import type { EventArchive } from '../archive/event-archive';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso, storedIso } from '../clickhouse/time';
import type { EventBatch } from '../eventlog/event-consumer';
import type { Projection } from '../projector/projection';
import { groupBy } from './group-by';
import { toScoreRow } from './score-row';
import { isSpanEvent, SPAN_EVENT_TYPES, type SpanEvent } from './span-patch';
import { foldSpan, type SpanRow } from './span-row';
import { groupRowsOf, type FiledTrace } from './trace-groups';
import { rollUpTrace, type RolledSpan } from './trace-row';
import { coveringRange, knownTraceTimes, traceTimesOf } from './trace-times';

const spanKey = (e: { projectId: string; traceId: string; spanId: string }) =>
  `${e.projectId}/${e.traceId}/${e.spanId}`;
const traceKey = (r: { project_id: string; trace_id: string }) => `${r.project_id}/${r.trace_id}`;
const traceKeyOf = (e: TraceRef) => `${e.projectId}/${e.traceId}`;

type TraceRef = { projectId: string; traceId: string };
const traceIdParams = (traces: readonly TraceRef[]) => ({
  projects: [...new Set(traces.map((t) => t.projectId))],
  traceIds: [...new Set(traces.map((t) => t.traceId))],
});

/**
 * `spans`, `traces`, `trace_groups` (sessions and users), `trace_times` and `scores`. A batch's
 * spans are folded from all their archived events (the archive takes each batch first), so a span's
 * row is whole whatever order its events came in (a newer fold replaces it: `event_count`). Then each
 * touched trace is rolled up again from its current span rows and filed under its session and user.
 * A trace `trace_times` did not know before the batch has no earlier events: its spans fold from the
 * batch alone, with no read of the archive or of its previous row (most traces under load).
 * A retried batch reads the same archive and writes the same blocks under the same tokens.
 */
export class SpansProjection implements Projection {
  readonly name = 'traces';

  constructor(
    private readonly ch: ClickHouse,
    private readonly archive: EventArchive,
  ) {}

  async apply(batch: EventBatch): Promise<void> {
    const events = batch.events.filter(isSpanEvent);
    const touched = [...groupBy(events, spanKey).values()].map((g) => g[0]);
    // Read before this batch's times go in; a retry after they went in reads the archive: same rows.
    const known = await knownTraceTimes(this.ch, touched);
    await this.ch.insert('trace_times', traceTimesOf(events), batch.dedupToken);
    const seen = touched.filter((s) => known.has(traceKeyOf(s)));
    const range = coveringRange(seen.map((s) => known.get(traceKeyOf(s))!));
    const archived = (await this.archive.eventsOfSpans(seen, SPAN_EVENT_TYPES, range)) as SpanEvent[];
    // The batch is archived already; folding its events again is harmless (distinct by id) and keeps
    // the row whole should the archive lag behind the batch.
    const spans = [...groupBy([...archived, ...events], spanKey).values()].map(foldSpan);
    await this.ch.insert('spans', spans, batch.dedupToken);
    await this.rollUp(spans, (trace) => known.has(traceKeyOf(trace)), batch.dedupToken);
    await this.ch.insert('scores', scoresOf(batch.events), batch.dedupToken);
  }

  /**
   * Each trace of these spans rolled up again from its current span rows. A trace not `known` before
   * the batch has no rows but the ones just folded, and was never rolled up (its times go in before
   * its rollup): nothing to read. Groups are written before traces: a retry after a crash between
   * the two still reads the trace's previous groups, so a group it left gets its deleting row.
   */
  private async rollUp(folded: readonly SpanRow[], known: (trace: TraceRef) => boolean, token: string) {
    const traces = [
      ...new Map(folded.map((s) => [traceKey(s), { projectId: s.project_id, traceId: s.trace_id }])).values(),
    ];
    const seen = new Set(traces.filter(known).map(traceKeyOf));
    const reread = traces.filter((t) => seen.has(traceKeyOf(t)));
    const [stored, filed] = await Promise.all([this.currentSpans(reread), this.filedTraces(reread)]);
    const current = [
      ...stored.filter((s) => seen.has(traceKey(s))),
      ...folded.filter((s) => !seen.has(traceKey(s))).map(asStored),
    ];
    const rows = [...groupBy(current, traceKey).values()].map(rollUpTrace);
    await this.ch.insert(
      'trace_groups',
      rows.flatMap((row) => groupRowsOf(row, filed.get(traceKey(row)))),
      token,
    );
    await this.ch.insert('traces', rows, token);
  }

  private async currentSpans(traces: readonly TraceRef[]): Promise<RolledSpan[]> {
    if (!traces.length) return [];
    const rows = await this.ch.query<RolledSpan>(
      `SELECT project_id, trace_id, span_id, parent_span_id, kind, name, toString(source) AS source,
              toString(model) AS model, toString(provider) AS provider, toString(status) AS status,
              started_at, ended_at, input_tokens, output_tokens, total_tokens, toString(cost_usd) AS cost_usd,
              cost_flags, input_preview, output_preview, user_id, session_id, tags, release, app_version, environment,
              event_count
       FROM spans FINAL
       WHERE project_id IN {projects:Array(String)} AND trace_id IN {traceIds:Array(String)}`,
      traceIdParams(traces),
    );
    return rows.map((r) => ({
      ...r,
      started_at: chTimeToIso(r.started_at),
      ended_at: r.ended_at ? chTimeToIso(r.ended_at) : null,
      event_count: Number(r.event_count),
    }));
  }

  /** The session and user each trace was last filed under. */
  private async filedTraces(traces: readonly TraceRef[]): Promise<Map<string, FiledTrace>> {
    if (!traces.length) return new Map();
    const rows = await this.ch.query<FiledTrace>(
      `SELECT project_id, trace_id, session_id, user_id FROM traces FINAL
       WHERE project_id IN {projects:Array(String)} AND trace_id IN {traceIds:Array(String)}`,
      traceIdParams(traces),
    );
    return new Map(rows.map((r) => [traceKey(r), r]));
  }
}

/** A folded row as `currentSpans` would read it back. */
function asStored(row: SpanRow): RolledSpan {
  return {
    ...row,
    started_at: storedIso(row.started_at),
    ended_at: row.ended_at === null ? null : storedIso(row.ended_at),
  };
}

function scoresOf(events: readonly SightlineEvent[]) {
  return events.flatMap((e) => (e.type === 'score.recorded' ? [toScoreRow(e)] : []));
}
