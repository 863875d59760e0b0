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
import { EventLog, type Subscription } from '../eventlog/event-log';
import { TOPICS } from '../eventlog/topics';

export const AUDIT_GROUP = 'sightline-audit';
const RESTART_DELAY_MS = 1000;

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
  private readonly logger = new Logger(AuditProjection.name);
  private subscription: Subscription | undefined;
  private stopping = false;

  constructor(
    @Inject(EventLog) private readonly log: EventLog,
    @Inject(ClickHouse) private readonly ch: ClickHouse,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await consumeEvents(
      this.log,
      { group: AUDIT_GROUP, topics: [TOPICS.control] },
      (batch: EventBatch<ControlEvent>) =>
        this.ch.insert('audit_log', batch.events.filter(isChange).map(toAuditRow), batch.dedupToken),
      decodeControlEvent,
    );
    this.subscription.done.catch((error: Error) => {
      if (this.stopping) return;
      this.logger.error(`audit projection failed, restarting: ${error.message}`);
      setTimeout(() => void this.onApplicationBootstrap(), RESTART_DELAY_MS).unref();
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
  }
}
