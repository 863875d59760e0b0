import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { LiveModule } from '../live/live.module';
import { GenerationFeed } from './generation-feed';
import { GenerationsResolver } from './generations.resolver';
import { CountGenerationsHandler, ListGenerationsHandler } from './list-generations.query';

/** The read side for the `api` role: query and live subscription. */
@Module({
  imports: [CqrsModule, LiveModule],
  providers: [Clock, GenerationFeed, GenerationsResolver, ListGenerationsHandler, CountGenerationsHandler],
})
export class GenerationsModule {}
