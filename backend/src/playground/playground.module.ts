import { Module } from '@nestjs/common';
import { EventArchive } from '../archive/event-archive';
import { GenerationRequestResolver } from './generation-request.resolver';
import { RecordedRequests } from './recorded-requests';

/**
 * The playground's server side. Runs themselves go through the gateway (`/v1/chat/completions`
 * with the member's session), so every run is recorded and traced like any other call.
 */
@Module({
  providers: [EventArchive, RecordedRequests, GenerationRequestResolver],
  exports: [RecordedRequests],
})
export class PlaygroundModule {}
