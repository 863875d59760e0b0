import { Module } from '@nestjs/common';
import { ModelCatalog } from '../catalog/model-catalog';
import { ProjectModels } from '../catalog/project-models';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ProviderAdapters } from '../providers/adapters';
import { CredentialSource } from '../providers/credentials';
import { ProvidersModule } from '../providers/providers.module';
import { CatalogRouter } from './catalog-router';
import { Random } from './random';
import { Router } from './router';

/** Until projects can add models: none. */
class NoProjectModels extends ProjectModels {
  forProject(): readonly never[] {
    return [];
  }
}

/**
 * The gateway's routing: the model catalog, the provider transports (`providers/adapters.ts`) and
 * the `Router`. Needs `AppConfig` and `CredentialSource` (global: `CredentialsModule`).
 */
@Module({
  imports: [ProvidersModule],
  providers: [
    Clock,
    Random,
    { provide: ModelCatalog, useFactory: () => new ModelCatalog() },
    { provide: ProjectModels, useClass: NoProjectModels },
    {
      provide: Router,
      inject: [ModelCatalog, ProjectModels, ProviderAdapters, CredentialSource, AppConfig, Clock, Random],
      useFactory: (
        catalog: ModelCatalog,
        projectModels: ProjectModels,
        adapters: ProviderAdapters,
        credentials: CredentialSource,
        config: AppConfig,
        clock: Clock,
        random: Random,
      ) =>
        new CatalogRouter({
          catalog,
          projectModels,
          adapters,
          credentials,
          settings: config.routing,
          clock,
          random,
        }),
    },
  ],
  exports: [Router, ModelCatalog, ProjectModels, ProvidersModule],
})
export class RoutingModule {}
