import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { ProvidersModule } from '../providers/providers.module';
import { ChatCompletionHandler } from './chat-completion.command';
import { GatewayController } from './gateway.controller';
import { GatewayRateLimit } from './gateway-rate-limit';

@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        CqrsModule,
        ProvidersModule.forRoot({
          mockTokenIntervalMs: config.mockTokenIntervalMs,
          openai: config.providerCredentials.get('openai')?.[0],
        }),
      ],
      controllers: [GatewayController],
      providers: [ChatCompletionHandler, Clock, GatewayRateLimit],
    };
  }
}
