import { Module, type DynamicModule } from '@nestjs/common';
import { Router } from '../routing/router';
import { UpstreamHttp } from './http/upstream-http';
import { EnvRouter, PROVIDERS_CONFIG, type ProvidersConfig } from './provider-registry';

export { PROVIDERS_CONFIG, type ProvidersConfig } from './provider-registry';

const PROVIDERS = [UpstreamHttp, { provide: Router, useClass: EnvRouter }];

/**
 * LLM providers and the `Router` over them. Importing `ProvidersModule` needs `PROVIDERS_CONFIG`
 * visible from it (e.g. provided and exported by the global config module); `forRoot(config)` brings its own.
 */
@Module({ providers: PROVIDERS, exports: [Router, UpstreamHttp] })
export class ProvidersModule {
  static forRoot(config: ProvidersConfig): DynamicModule {
    return {
      module: ProvidersModule,
      providers: [{ provide: PROVIDERS_CONFIG, useValue: config }, ...PROVIDERS],
      exports: [Router, UpstreamHttp],
    };
  }
}
