import type { GatewayRequestRefused, SightlineEvent } from '@sightline/schemas';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { isoToChTime } from '../clickhouse/time';
import type { EventBatch } from '../eventlog/event-consumer';
import type { Projection } from '../projector/projection';

/** The `gateway_refusals` row of one event: its counts, as they were recorded. */
export function refusalRow(event: GatewayRequestRefused) {
  const { data } = event;
  return {
    project_id: event.projectId,
    event_id: event.eventId,
    endpoint: data.endpoint,
    status: data.status,
    code: data.code,
    model: data.model ?? '',
    api_key_id: data.apiKeyId ?? '',
    count: data.count,
    first_at: isoToChTime(data.firstAt),
    last_at: isoToChTime(data.lastAt),
  };
}

const isRefusal = (event: SightlineEvent): event is GatewayRequestRefused =>
  event.type === 'gateway.request-refused';

/** One immutable row per `gateway.request-refused`; a retried batch inserts nothing new. */
export class RefusalsProjection implements Projection {
  readonly name = 'refusals';

  constructor(private readonly ch: ClickHouse) {}

  async apply(batch: EventBatch): Promise<void> {
    await this.ch.insert(
      'gateway_refusals',
      batch.events.filter(isRefusal).map(refusalRow),
      batch.dedupToken,
    );
  }
}
