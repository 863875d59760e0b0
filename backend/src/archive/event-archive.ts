import { Inject, Injectable } from '@nestjs/common';
import { parseEvent, type GenerationRequested } from '@sightline/schemas';
import { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso } from '../clickhouse/time';

interface ArchivedEvent {
  project_id: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
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
    source: row.source,
    data: JSON.parse(row.data),
  });
}

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
      `SELECT project_id, trace_id, span_id, parent_span_id, event_id, type, version, source, occurred_at, data
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
}
