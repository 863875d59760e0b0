import type { ControlEvent } from '@sightline/schemas';
import type { ClickHouse } from '../clickhouse/clickhouse';
import type { EventBatch } from '../eventlog/event-consumer';
import type { Projection } from '../projector/projection';
import { auditDetail } from './audit-detail';

/** The audit row of a control event: what happened to which entity, by whom. Never secrets. */
export function toAuditRow(event: ControlEvent) {
  return {
    project_id: event.projectId ?? '',
    occurred_at: event.occurredAt,
    event_id: event.eventId,
    actor_user_id: event.actor.userId ?? '',
    actor_via: event.actor.via,
    action: event.type,
    target: event.entityKey.slice(event.entityKey.indexOf(':') + 1),
    detail: JSON.stringify(auditDetail(event)),
  };
}

/** Key use, idempotency records and run leases are bookkeeping, not changes anyone made: they would flood the log. */
const isChange = (event: ControlEvent): boolean =>
  event.type !== 'api-key.used' &&
  event.type !== 'experiment.run-claimed' &&
  !event.type.startsWith('idempotency.');

/** Control events into `audit_log`. */
export class AuditProjection implements Projection<ControlEvent> {
  readonly name = 'audit';

  constructor(private readonly ch: ClickHouse) {}

  async apply(batch: EventBatch<ControlEvent>): Promise<void> {
    await this.ch.insert('audit_log', batch.events.filter(isChange).map(toAuditRow), batch.dedupToken);
  }
}
