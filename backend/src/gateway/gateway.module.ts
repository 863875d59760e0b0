import { Module, type DynamicModule } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { ProvidersModule } from '../providers/providers.module';
import { AnthropicMessagesController } from './anthropic/anthropic-messages.controller';
import { TokenCounter } from './anthropic/count-tokens';
import { ChatCompletionsController } from './chat-completions.controller';
import { GatewayPipeline } from './gateway-pipeline';
import { GatewayRateLimit } from './gateway-rate-limit';
import { GenerationRecordings } from './generation-recording';

/** The model gateway: its endpoints share one `GatewayPipeline` (exported for other endpoint modules). */
@Module({})
export class GatewayModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ProvidersModule.forRoot({
          mockTokenIntervalMs: config.mockTokenIntervalMs,
          openai: config.providerCredentials.get('openai')?.[0],
        }),
      ],
      controllers: [ChatCompletionsController, AnthropicMessagesController],
      providers: [GatewayPipeline, GenerationRecordings, Clock, GatewayRateLimit, TokenCounter],
      exports: [GatewayPipeline],
    };
  }
}
