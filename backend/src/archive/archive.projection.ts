import type { SightlineEvent } from '@sightline/schemas';
import type { ClickHouse } from '../clickhouse/clickhouse';
import type { EventBatch } from '../eventlog/event-consumer';
import type { Projection } from '../projector/projection';

export function toArchiveRow(event: SightlineEvent) {
  return {
    project_id: event.projectId,
    trace_id: event.traceId,
    span_id: event.spanId,
    parent_span_id: event.parentSpanId ?? '',
    end_user_id: event.endUserId ?? '',
    event_id: event.eventId,
    type: event.type,
    version: event.version,
    source: event.source,
    occurred_at: event.occurredAt,
    // The object itself: JSONEachRow reads an object into a String column as its JSON text
    // (`input_format_json_read_objects_as_strings`, set on every insert), which is what
    // `JSON.stringify(event.data)` gave, without encoding the payload twice (stringified, then
    // escaped again inside the row's JSON).
    data: event.data,
  };
}

/** Every event, as it was appended, into `events`. */
export class ArchiveProjection implements Projection {
  readonly name = 'archive';

  constructor(private readonly ch: ClickHouse) {}

  async apply(batch: EventBatch): Promise<void> {
    await this.ch.insert('events', batch.events.map(toArchiveRow), batch.dedupToken);
  }
}
