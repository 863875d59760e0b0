import type { ControlEvent, ProjectRetentionState } from '@sightline/schemas';
import type { ClickHouse } from '../clickhouse/clickhouse';
import type { EventBatch } from '../eventlog/event-consumer';
import type { Projection } from '../projector/projection';

const isRetention = (event: ControlEvent): event is ControlEvent & { data: ProjectRetentionState } =>
  event.type === 'project.retention-set';

/** The tables whose rows expire with their project's retention (`expires_at`, TTL: 0021, 0028). */
export const EXPIRING_TABLES = [
  'events',
  'generations',
  'spans',
  'traces',
  'trace_list',
  'trace_versions',
  'trace_groups',
  'scores',
  'trace_times',
  'generation_rollup_minute',
  'generation_rollup_hour',
  'restated_costs',
  'gateway_refusals',
] as const;

/**
 * `project.retention-set` into `project_retention`, which every expiring table's `expires_at` reads
 * through a dictionary. A change also applies to what is stored already: the dictionary is reloaded,
 * `expires_at` computed again and the TTL applied (mutations, once per change and table).
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
    for (const table of EXPIRING_TABLES) {
      await this.ch.command(
        `ALTER TABLE ${table} MATERIALIZE COLUMN expires_at`,
        {},
        { mutations_sync: '1' },
      );
      await this.ch.command(`ALTER TABLE ${table} MATERIALIZE TTL`, {}, { mutations_sync: '1' });
    }
  }
}
