import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { decodeControlEvent, type ControlEvent } from '@sightline/schemas';
import { ClickHouse } from '../clickhouse/clickhouse';
import { consumeEvents, type EventBatch } from '../eventlog/event-consumer';
import { EventLog } from '../eventlog/event-log';
import { Supervised } from '../eventlog/supervised';
import { TOPICS } from '../eventlog/topics';

export const AUDIT_GROUP = 'sightline-audit';

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
  };
}

/** Key use is bookkeeping, not a change anyone made: it would flood the log. */
const isChange = (event: ControlEvent): boolean => event.type !== 'api-key.used';

/** Projects the control topic into `audit_log`, with the same exactly-once batches as the projector. */
@Injectable()
export class AuditProjection implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly consumer: Supervised;

  constructor(@Inject(EventLog) log: EventLog, @Inject(ClickHouse) ch: ClickHouse) {
    this.consumer = new Supervised(
      () =>
        consumeEvents(
          log,
          { group: AUDIT_GROUP, topics: [TOPICS.control] },
          (batch: EventBatch<ControlEvent>) =>
            ch.insert('audit_log', batch.events.filter(isChange).map(toAuditRow), batch.dedupToken),
          decodeControlEvent,
        ),
      new Logger(AuditProjection.name),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.run();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }
}
