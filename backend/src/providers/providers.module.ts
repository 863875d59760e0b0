import { Module, type DynamicModule } from '@nestjs/common';
import { PROVIDERS_CONFIG, ProviderRegistry, type ProvidersConfig } from './provider-registry';

export {
  PROVIDERS_CONFIG,
  ProviderRegistry,
  type ProviderRoute,
  type ProvidersConfig,
} from './provider-registry';

/**
 * LLM providers. Importing `ProvidersModule` needs `PROVIDERS_CONFIG` visible from it (e.g. provided
 * and exported by the global config module); `ProvidersModule.forRoot(config)` brings its own.
 */
@Module({ providers: [ProviderRegistry], exports: [ProviderRegistry] })
export class ProvidersModule {
  static forRoot(config: ProvidersConfig): DynamicModule {
    return {
      module: ProvidersModule,
      providers: [{ provide: PROVIDERS_CONFIG, useValue: config }, ProviderRegistry],
      exports: [ProviderRegistry],
    };
  }
}
