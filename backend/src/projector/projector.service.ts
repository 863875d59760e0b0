import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ControlPlane } from '../control/control-plane';
import { consumeEvents, type EventBatch } from '../eventlog/event-consumer';
import { isErased } from '../privacy/erasure';
import { EventLog } from '../eventlog/event-log';
import { Supervised } from '../eventlog/supervised';
import { TOPICS } from '../eventlog/topics';
import { PROJECTIONS, type Projection } from './projection';

export const PROJECTOR_GROUP = 'sightline-projector';
/** Token to run a projector under another consumer group, e.g. a rebuild from the start. */
export const PROJECTOR_GROUP_NAME = Symbol('PROJECTOR_GROUP_NAME');

/**
 * Consumes LLM events in batches and applies every projection in order; offsets are committed
 * only after all of them accepted the batch. After a failure it starts again from the last
 * commit, and the dedup tokens make the retried inserts no-ops.
 */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly consumer: Supervised;
  private batches = 0;

  constructor(
    @Inject(EventLog) log: EventLog,
    @Inject(PROJECTIONS) private readonly projections: readonly Projection[],
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Optional() @Inject(PROJECTOR_GROUP_NAME) group: string = PROJECTOR_GROUP,
  ) {
    this.consumer = new Supervised(
      () =>
        consumeEvents(log, { group, topics: [TOPICS.llm], maxBatchSize: 5000 }, (batch) => this.apply(batch)),
      new Logger(ProjectorService.name),
    );
  }

  get batchesApplied(): number {
    return this.batches;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.run();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }

  private async apply(batch: EventBatch): Promise<void> {
    // Deleted data never comes back, whatever part of the log is re-read.
    const state = this.control.current;
    const kept = { ...batch, events: batch.events.filter((e) => !isErased(e, state)) };
    for (const projection of this.projections) await projection.apply(kept);
    this.batches++;
  }
}
