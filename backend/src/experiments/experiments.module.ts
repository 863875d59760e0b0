import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventArchive } from '../archive/event-archive';
import { ClickHouse } from '../clickhouse/clickhouse';
import { Clock } from '../common/clock';
import { ControlPlane } from '../control/control-plane';
import { Pricing } from '../costs/pricing';
import { ReplayModule } from '../replay/replay.module';
import { ReplayService } from '../replay/replay.service';
import { ExperimentStore } from './experiment-store';
import { Experiments } from './experiments.service';
import { ExperimentsResolver } from './experiments.resolver';

/**
 * Experiments (bulk replay) for the `api` role: GraphQL, the runs, and at start the runs a stopped
 * process left running, resumed from their checkpoints. Needs `ControlPlane`, `ClickHouse` and
 * `Pricing` (global) and the `ReplayService`.
 */
@Module({
  imports: [ReplayModule],
  providers: [
    Clock,
    EventArchive,
    {
      provide: Experiments,
      inject: [ControlPlane, ClickHouse, ReplayService, Pricing, EventArchive, Clock],
      useFactory: (
        control: ControlPlane,
        ch: ClickHouse,
        replayer: ReplayService,
        pricing: Pricing,
        archive: EventArchive,
        clock: Clock,
      ) => new Experiments({ control, store: new ExperimentStore(ch), replayer, pricing, archive, clock }),
    },
    ExperimentsResolver,
  ],
})
export class ExperimentsModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(Experiments) private readonly experiments: Experiments) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.experiments.resumeUnfinished();
  }

  async onModuleDestroy(): Promise<void> {
    await this.experiments.stopAll();
  }
}
