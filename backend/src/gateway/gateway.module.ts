import { Module } from '@nestjs/common';
import { LiveModule } from '../live/live.module';
import { PromptsModule } from '../prompts/prompts.module';
import { Clock } from '../common/clock';
import { RefusalsModule } from '../refusals/refusals.module';
import { RoutingModule } from '../routing/routing.module';
import { AnthropicMessagesController } from './anthropic/anthropic-messages.controller';
import { TokenCounter } from './anthropic/count-tokens';
import { ChatCompletionsController } from './chat-completions.controller';
import { EmbeddingTransports } from './embeddings/embedding-transports';
import { EmbeddingsController } from './embeddings/embeddings.controller';
import { GatewayPipeline } from './gateway-pipeline';
import { ResponseCache } from './cache/response-cache';
import { GatewayRateLimit } from './gateway-rate-limit';
import { GenerationRecordings } from './generation-recording';
import { ProgressPublisher } from './progress-publisher';
import { ResponsesController } from './responses/responses.controller';
import { ResponsesTransports } from './responses/responses-transports';

/** The model gateway: its endpoints share one `GatewayPipeline` (exported for other endpoint modules). */
@Module({
  imports: [RoutingModule, RefusalsModule, PromptsModule, LiveModule],
  controllers: [
    ChatCompletionsController,
    AnthropicMessagesController,
    ResponsesController,
    EmbeddingsController,
  ],
  providers: [
    GatewayPipeline,
    GenerationRecordings,
    ProgressPublisher,
    Clock,
    GatewayRateLimit,
    TokenCounter,
    ResponseCache,
    ResponsesTransports,
    EmbeddingTransports,
  ],
  exports: [GatewayPipeline],
})
export class GatewayModule {}
