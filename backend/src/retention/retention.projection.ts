import type { ControlEvent, ProjectRetentionState } from '@sightline/schemas';
import type { ClickHouse } from '../clickhouse/clickhouse';
import type { EventBatch } from '../eventlog/event-consumer';
import type { Projection } from '../projector/projection';

const isRetention = (event: ControlEvent): event is ControlEvent & { data: ProjectRetentionState } =>
  event.type === 'project.retention-set';

/**
 * `project.retention-set` into `project_retention`, which the archive's `expires_at` reads through a
 * dictionary. A change also applies to what is archived already: the dictionary is reloaded and
 * `expires_at` computed again and the TTL applied (mutations, once per change).
 */
export class RetentionProjection implements Projection<ControlEvent> {
  readonly name = 'retention';

  constructor(private readonly ch: ClickHouse) {}

  async apply(batch: EventBatch<ControlEvent>): Promise<void> {
    const rows = batch.events.filter(isRetention).map(({ data }) => ({
      project_id: data.projectId,
      days: data.days ?? 0,
      set_at: data.setAt,
    }));
    if (!rows.length) return;
    await this.ch.insert('project_retention', rows, batch.dedupToken);
    await this.ch.command('SYSTEM RELOAD DICTIONARY project_retention_days');
    await this.ch.command('ALTER TABLE events MATERIALIZE COLUMN expires_at', {}, { mutations_sync: '1' });
    await this.ch.command('ALTER TABLE events MATERIALIZE TTL', {}, { mutations_sync: '1' });
  }
}
