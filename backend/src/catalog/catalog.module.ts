import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { GatewayRateLimit } from '../gateway/gateway-rate-limit';
import { ProvidersModule } from '../providers/providers.module';
import { AvailableModels } from './available-models';
import { ControlProjectModels } from './control-project-models';
import { ModelCatalog } from './model-catalog';
import { ModelUsageReader } from './model-usage';
import { ModelUsageResolver } from './model-usage.resolver';
import { ModelsController } from './models.controller';
import { ModelsResolver } from './models.resolver';
import { ProjectModels } from './project-models';
import { AddProjectModelHandler, RemoveProjectModelHandler } from './project-models.commands';

/**
 * The model catalog and the projects' own models: `GET /v1/models`, GraphQL `models`,
 * `addProjectModel` / `removeProjectModel`. Needs `AppConfig`, `ControlPlane` and `CredentialSource` (global).
 */
@Module({
  imports: [CqrsModule, ProvidersModule],
  controllers: [ModelsController],
  providers: [
    Clock,
    GatewayRateLimit,
    { provide: ModelCatalog, useFactory: () => new ModelCatalog() },
    ControlProjectModels,
    { provide: ProjectModels, useExisting: ControlProjectModels },
    AvailableModels,
    ModelsResolver,
    ModelUsageReader,
    ModelUsageResolver,
    AddProjectModelHandler,
    RemoveProjectModelHandler,
  ],
  exports: [ModelCatalog, ProjectModels, ControlProjectModels],
})
export class CatalogModule {}
