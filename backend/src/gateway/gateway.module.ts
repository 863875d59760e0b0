import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { ProvidersModule } from '../providers/providers.module';
import { ChatCompletionHandler } from './chat-completion.command';
import { GatewayController } from './gateway.controller';

@Module({
  imports: [CqrsModule, ProvidersModule],
  controllers: [GatewayController],
  providers: [ChatCompletionHandler, Clock],
})
export class GatewayModule {}
