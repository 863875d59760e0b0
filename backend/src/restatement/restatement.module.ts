import { Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventArchive } from '../archive/event-archive';
import { ClickHouse } from '../clickhouse/clickhouse';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ControlPlane } from '../control/control-plane';
import { Pricing } from '../costs/pricing';
import { EventLog } from '../eventlog/event-log';
import { TOPICS } from '../eventlog/topics';
import { LLM_EVENTS } from '../projector/sources';
import { requestedModel, spanKey } from './restated-rows';
import { RestatedCostResolver, TraceRestatedCostsResolver } from './restated-cost.resolver';
import { RestatementStore } from './restatement-store';
import { Restatements } from './restatements.service';
import { RestatementsResolver } from './restatements.resolver';

/** Restatements over the instance's log, ClickHouse and prices, with the control plane's deletions honoured. */
export function restatementsOver(
  log: EventLog,
  ch: ClickHouse,
  pricing: Pricing,
  control: ControlPlane,
  clock: Clock = new Clock(),
  config?: AppConfig,
): Restatements {
  const archive = new EventArchive(ch);
  return new Restatements({
    log,
    topic: TOPICS.llm,
    store: new RestatementStore(ch),
    clock,
    priceOf: (...args) => pricing.costOf(...args),
    readable: (event) => LLM_EVENTS.keep?.(event, control.current) ?? true,
    findRequests: async (spans) =>
      new Map(
        (await archive.findRequests(spans)).map((r) => [spanKey(r.projectId, r.spanId), requestedModel(r)]),
      ),
    maxGenerationsPerSecond: config?.restatementMaxGenerationsPerSecond,
  });
}

/** Restatement jobs for the `api` role: GraphQL, and the jobs a restart interrupted resumed at start. */
@Module({
  providers: [
    Clock,
    {
      provide: RestatementStore,
      inject: [ClickHouse],
      useFactory: (ch: ClickHouse) => new RestatementStore(ch),
    },
    {
      provide: Restatements,
      inject: [EventLog, ClickHouse, Pricing, ControlPlane, Clock, AppConfig],
      useFactory: restatementsOver,
    },
    RestatementsResolver,
    RestatedCostResolver,
    TraceRestatedCostsResolver,
  ],
})
export class RestatementModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(Restatements) private readonly restatements: Restatements) {}

  async onApplicationBootstrap(): Promise<void> {
    const resumed = await this.restatements.resumeUnfinished();
    for (const job of resumed)
      new Logger('Restatements').log(`resumed restatement ${job.id} from its checkpoint`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.restatements.stopAll();
  }
}
