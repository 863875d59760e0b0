import { Inject, Injectable } from '@nestjs/common';
import {
  EventValidationError,
  parseEvent,
  type GenerationRequested,
  type SightlineEvent,
} from '@sightline/schemas';
import { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso, isoToChTime } from '../clickhouse/time';

interface ArchivedEvent {
  project_id: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  end_user_id: string;
  event_id: string;
  type: string;
  version: number;
  source: string;
  occurred_at: string;
  data: string;
}

/** Rebuild the envelope; `parseEvent` upcasts old versions. */
function fromArchiveRow(row: ArchivedEvent) {
  return parseEvent({
    eventId: row.event_id,
    type: row.type,
    version: Number(row.version),
    occurredAt: chTimeToIso(row.occurred_at),
    projectId: row.project_id,
    traceId: row.trace_id,
    spanId: row.span_id,
    ...(row.parent_span_id ? { parentSpanId: row.parent_span_id } : {}),
    ...(row.end_user_id ? { endUserId: row.end_user_id } : {}),
    source: row.source,
    data: JSON.parse(row.data),
  });
}

/** Inclusive ISO-8601 bounds of `occurred_at`: the archive is partitioned by its month. */
export interface TimeRange {
  readonly from: string;
  readonly to: string;
}

const WITHIN = `occurred_at BETWEEN {from:DateTime64(3, 'UTC')} AND {to:DateTime64(3, 'UTC')}`;
/** No range: all of DateTime64's (ingest refuses times outside 1970–2299). */
const within = (range: TimeRange | undefined) => ({
  from: isoToChTime(range?.from ?? '1970-01-01T00:00:00.000Z'),
  to: isoToChTime(range?.to ?? '2299-12-31T23:59:59.999Z'),
});

const COLUMNS =
  'project_id, trace_id, span_id, parent_span_id, end_user_id, event_id, type, version, source, occurred_at, data';

/**
 * One trace's events; exported for the test that checks which parts it opens. A point read of a few
 * 256 KiB granules (0042), one per part of the trace's months: one thread reads them in ~1.5 ms less
 * than several (at 10 million generations; starting reader threads costs more than the read).
 */
export const EVENTS_OF_TRACE = `SELECT ${COLUMNS} FROM events
  WHERE project_id = {projectId:String} AND trace_id = {traceId:String} AND type IN {types:Array(String)}
    AND ${WITHIN}
  SETTINGS max_threads = 1`;

/**
 * Requests by span id alone: the sort key does not help (trace_id comes first), the `span_id_bloom`
 * skip index (migration 0036) does. Exported for the test that checks which granules it reads.
 */
export const REQUESTS_OF_SPANS = `SELECT ${COLUMNS} FROM events
  WHERE project_id IN {projects:Array(String)} AND span_id IN {spanIds:Array(String)}
    AND type = 'generation.requested'`;

const AFTER_CURSOR = `WHERE (project_id, trace_id, span_id, occurred_at, event_id)
  > ({p:String}, {t:String}, {s:String}, {o:DateTime64(3, 'UTC')}, {e:UUID})`;

/** Reads of the raw event archive. */
@Injectable()
export class EventArchive {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  /** The `generation.requested` events of these (project, span) pairs that are archived. */
  async findRequests(
    spans: readonly { projectId: string; spanId: string }[],
  ): Promise<GenerationRequested[]> {
    if (!spans.length) return [];
    const rows = await this.ch.query<ArchivedEvent>(REQUESTS_OF_SPANS, {
      projects: [...new Set(spans.map((s) => s.projectId))],
      spanIds: [...new Set(spans.map((s) => s.spanId))],
    });
    const wanted = new Set(spans.map((s) => `${s.projectId}/${s.spanId}`));
    return rows
      .filter((r) => wanted.has(`${r.project_id}/${r.span_id}`))
      .map(fromArchiveRow)
      .filter((e): e is GenerationRequested => e.type === 'generation.requested');
  }

  /**
   * Every archived event of these types of these (project, trace, span)s, upcast, in archive order.
   * The archive's sort key starts with (project, trace, span): a narrow read; `range`, when known,
   * skips the parts of other months.
   */
  async eventsOfSpans(
    spans: readonly { projectId: string; traceId: string; spanId: string }[],
    types: readonly string[],
    range?: TimeRange,
  ): Promise<SightlineEvent[]> {
    if (!spans.length) return [];
    const rows = await this.ch.query<ArchivedEvent>(
      `SELECT ${COLUMNS}
       FROM events
       WHERE project_id IN {projects:Array(String)}
         AND trace_id IN {traceIds:Array(String)}
         AND span_id IN {spanIds:Array(String)}
         AND type IN {types:Array(String)}
         AND ${WITHIN}`,
      {
        projects: [...new Set(spans.map((s) => s.projectId))],
        traceIds: [...new Set(spans.map((s) => s.traceId))],
        spanIds: [...new Set(spans.map((s) => s.spanId))],
        types,
        ...within(range),
      },
    );
    const wanted = new Set(spans.map((s) => `${s.projectId}/${s.traceId}/${s.spanId}`));
    return rows.filter((r) => wanted.has(`${r.project_id}/${r.trace_id}/${r.span_id}`)).map(fromArchiveRow);
  }

  /** Every archived event of these types in one trace (within `range` when known). */
  async eventsOfTrace(
    projectId: string,
    traceId: string,
    types: readonly string[],
    range?: TimeRange,
  ): Promise<SightlineEvent[]> {
    const rows = await this.ch.query<ArchivedEvent>(EVENTS_OF_TRACE, {
      projectId,
      traceId,
      types,
      ...within(range),
    });
    return rows.map(fromArchiveRow);
  }

  /** How many events the archive holds. */
  async count(): Promise<number> {
    const [row] = await this.ch.query<{ n: string }>('SELECT count() AS n FROM events');
    return Number(row.n);
  }

  /**
   * The whole archive in its sort order, `limit` events at a time: pass the previous page's
   * `next` to go on (null at the start); `next` is null past the end. Rows that no longer parse are skipped (`rows` counts them).
   */
  async page(
    after: ArchiveCursor | null,
    limit: number,
  ): Promise<{ events: SightlineEvent[]; rows: number; next: ArchiveCursor | null }> {
    const rows = await this.ch.query<ArchivedEvent>(
      `SELECT ${COLUMNS} FROM events
       ${after ? AFTER_CURSOR : ''}
       ORDER BY project_id, trace_id, span_id, occurred_at, event_id
       LIMIT {limit:UInt32}`,
      { ...after, limit },
    );
    const last = rows[rows.length - 1];
    return {
      rows: rows.length,
      events: rows.flatMap((row) => {
        try {
          return [fromArchiveRow(row)];
        } catch (error) {
          if (error instanceof EventValidationError) return [];
          throw error;
        }
      }),
      next:
        rows.length < limit
          ? null
          : { p: last.project_id, t: last.trace_id, s: last.span_id, o: last.occurred_at, e: last.event_id },
    };
  }
}

/** Where a page of the archive ended: its last row's sort key. */
export interface ArchiveCursor {
  readonly p: string;
  readonly t: string;
  readonly s: string;
  readonly o: string;
  readonly e: string;
}
