import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { DataTombstone } from '@sightline/schemas';
import { ClickHouse } from '../clickhouse/clickhouse';
import { ControlPlane } from '../control/control-plane';
import { READ_MODELS } from '../projector/read-models';

/**
 * Removes deleted data from the read models as tombstones arrive, as each read model declares. Idempotent: at start it runs
 * every known tombstone again, which deletes nothing when they were already applied.
 */
@Injectable()
export class PurgerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PurgerService.name);
  private unlisten: (() => void) | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(ClickHouse) private readonly ch: ClickHouse,
  ) {}

  onApplicationBootstrap(): void {
    this.unlisten = this.control.onApplied((event) => {
      if (event.type === 'data.deleted') this.enqueue(event.data);
    });
    this.control.current.tombstones.forEach((t) => this.enqueue(t));
  }

  onModuleDestroy(): void {
    this.unlisten?.();
  }

  /** Resolves when every purge queued so far has run. */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(tombstone: DataTombstone): void {
    this.queue = this.queue
      .then(() => this.purge(tombstone))
      .catch((error: Error) =>
        this.logger.error(`purge of ${tombstone.scope} ${tombstone.target} failed: ${error.message}`),
      );
  }

  async purge(tombstone: DataTombstone): Promise<void> {
    for (const { table, where } of READ_MODELS.flatMap((m) => m.purge[tombstone.scope])) {
      await this.ch.command(`DELETE FROM ${table} WHERE project_id = {projectId:String} AND ${where}`, {
        projectId: tombstone.projectId,
        target: tombstone.target,
      });
    }
  }
}
