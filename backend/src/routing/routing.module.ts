import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { ModelCatalog } from '../catalog/model-catalog';
import { ProjectModels } from '../catalog/project-models';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ProviderAdapters } from '../providers/adapters';
import { CredentialSource } from '../providers/credentials';
import { ProvidersModule } from '../providers/providers.module';
import { CatalogRouter } from './catalog-router';
import { Random } from '../common/random';
import { Router } from './router';

/**
 * The gateway's `Router` over the model catalog (`CatalogModule`) and the provider transports
 * (`providers/adapters.ts`). Needs `AppConfig` and `CredentialSource` (global: `CredentialsModule`).
 */
@Module({
  imports: [ProvidersModule, CatalogModule],
  providers: [
    Clock,
    Random,
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
  exports: [Router, ProvidersModule],
})
export class RoutingModule {}
