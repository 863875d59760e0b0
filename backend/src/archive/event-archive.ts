import { Inject, Injectable } from '@nestjs/common';
import { parseEvent, type GenerationRequested, type SightlineEvent } from '@sightline/schemas';
import { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso } from '../clickhouse/time';

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

const COLUMNS =
  'project_id, trace_id, span_id, parent_span_id, end_user_id, event_id, type, version, source, occurred_at, data';

/** Reads of the raw event archive. */
@Injectable()
export class EventArchive {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  /** The `generation.requested` events of these (project, span) pairs that are archived. */
  async findRequests(
    spans: readonly { projectId: string; spanId: string }[],
  ): Promise<GenerationRequested[]> {
    if (!spans.length) return [];
    const rows = await this.ch.query<ArchivedEvent>(
      `SELECT ${COLUMNS}
       FROM events
       WHERE project_id IN {projects:Array(String)}
         AND span_id IN {spanIds:Array(String)}
         AND type = 'generation.requested'`,
      {
        projects: [...new Set(spans.map((s) => s.projectId))],
        spanIds: [...new Set(spans.map((s) => s.spanId))],
      },
    );
    const wanted = new Set(spans.map((s) => `${s.projectId}/${s.spanId}`));
    return rows
      .filter((r) => wanted.has(`${r.project_id}/${r.span_id}`))
      .map(fromArchiveRow)
      .filter((e): e is GenerationRequested => e.type === 'generation.requested');
  }

  /**
   * Every archived event of these types of these (project, trace, span)s, upcast, in archive order.
   * The archive's sort key starts with (project, trace, span): a narrow read.
   */
  async eventsOfSpans(
    spans: readonly { projectId: string; traceId: string; spanId: string }[],
    types: readonly string[],
  ): Promise<SightlineEvent[]> {
    if (!spans.length) return [];
    const rows = await this.ch.query<ArchivedEvent>(
      `SELECT ${COLUMNS}
       FROM events
       WHERE project_id IN {projects:Array(String)}
         AND trace_id IN {traceIds:Array(String)}
         AND span_id IN {spanIds:Array(String)}
         AND type IN {types:Array(String)}`,
      {
        projects: [...new Set(spans.map((s) => s.projectId))],
        traceIds: [...new Set(spans.map((s) => s.traceId))],
        spanIds: [...new Set(spans.map((s) => s.spanId))],
        types,
      },
    );
    const wanted = new Set(spans.map((s) => `${s.projectId}/${s.traceId}/${s.spanId}`));
    return rows.filter((r) => wanted.has(`${r.project_id}/${r.trace_id}/${r.span_id}`)).map(fromArchiveRow);
  }

  /** Every archived event of these types in one trace. */
  async eventsOfTrace(
    projectId: string,
    traceId: string,
    types: readonly string[],
  ): Promise<SightlineEvent[]> {
    const rows = await this.ch.query<ArchivedEvent>(
      `SELECT ${COLUMNS} FROM events
       WHERE project_id = {projectId:String} AND trace_id = {traceId:String} AND type IN {types:Array(String)}`,
      { projectId, traceId, types },
    );
    return rows.map(fromArchiveRow);
  }
}
