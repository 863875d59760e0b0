import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import { AnalyticsModule } from './analytics/analytics.module';
import { AuthModule } from './auth/auth.module';
import { BudgetsModule } from './budgets/budgets.module';
import { ControlModule } from './control/control.module';
import { CredentialsModule } from './credentials/credentials.module';
import { DemoModule } from './demo/demo.module';
import { ClickHouseModule } from './clickhouse/clickhouse.module';
import { ErrorsFilter } from './common/errors.filter';
import { ExperimentsModule } from './experiments/experiments.module';
import { CostsModule } from './costs/costs.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { EventLogModule } from './eventlog/event-log.module';
import { ExportModule } from './export/export.module';
import { GatewayModule } from './gateway/gateway.module';
import { GenerationsModule } from './generations/generations.module';
import { ApiGraphqlModule } from './graphql/graphql.module';
import { HealthController } from './health/health.controller';
import { DirectRoutes } from './http/direct-routes';
import { IngestModule } from './ingest/ingest.module';
import { OtlpModule } from './otlp/otlp.module';
import { PromptsModule } from './prompts/prompts.module';
import { PlaygroundModule } from './playground/playground.module';
import { RedactionModule } from './redaction/redaction.module';
import { ViewsModule } from './views/views.module';
import { ReplayModule } from './replay/replay.module';
import { ProjectorModule, ProjectorThreadModule } from './projector/projector.module';
import { RestatementModule } from './restatement/restatement.module';
import { RetentionModule } from './retention/retention.module';
import { TracesModule } from './traces/traces.module';

/** Ports for everyone; the rest by role (`SIGHTLINE_ROLES`, both in the embedded default). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const api: (Type | DynamicModule)[] = config.roles.has('api')
      ? [
          ApiGraphqlModule,
          GatewayModule,
          GenerationsModule,
          CredentialsModule,
          CostsModule,
          BudgetsModule,
          RedactionModule,
          ViewsModule,
          IngestModule,
          OtlpModule,
          TracesModule,
          AnalyticsModule,
          RestatementModule,
          PlaygroundModule,
          ReplayModule,
          ExperimentsModule,
          PromptsModule,
          RetentionModule,
          DemoModule,
          ExportModule,
        ]
      : [];
    const projector: Type[] = !config.roles.has('projector')
      ? []
      : [config.projectorThread ? ProjectorThreadModule : ProjectorModule];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DiscoveryModule,
        ClickHouseModule,
        EventLogModule,
        ControlModule,
        AuthModule,
        ...api,
        ...projector,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: ErrorsFilter }, DirectRoutes],
    };
  }
}
