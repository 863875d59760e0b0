import { Module } from '@nestjs/common';
import { EventArchive } from '../archive/event-archive';
import { CatalogModule } from '../catalog/catalog.module';
import { GatewayModule } from '../gateway/gateway.module';
import { PlaygroundModule } from '../playground/playground.module';
import { PromptsModule } from '../prompts/prompts.module';
import { ReplayReads } from './replay-reads';
import { ReplayResolver } from './replay.resolver';
import { ReplayService } from './replay.service';

/** Replay of recorded generations through the gateway (`ReplayService`, exported for bulk replay) and its GraphQL. */
@Module({
  imports: [CatalogModule, GatewayModule, PlaygroundModule, PromptsModule],
  providers: [EventArchive, ReplayService, ReplayReads, ReplayResolver],
  exports: [ReplayService],
})
export class ReplayModule {}
