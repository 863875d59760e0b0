import { Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ProviderAdapters } from './adapters';
import { UpstreamHttp } from './http/upstream-http';

/** The transports to LLM providers (`adapters.ts`) over one shared HTTP client. Needs `AppConfig` (global). */
@Module({
  providers: [
    UpstreamHttp,
    {
      provide: ProviderAdapters,
      inject: [AppConfig, UpstreamHttp],
      useFactory: (config: AppConfig, http: UpstreamHttp) => ProviderAdapters.fromRegistry({ config, http }),
    },
  ],
  exports: [ProviderAdapters, UpstreamHttp],
})
export class ProvidersModule {}
