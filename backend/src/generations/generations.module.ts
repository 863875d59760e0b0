import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ArchiveModule } from '../archive/archive.module';
import { LiveModule } from '../live/live.module';
import { GenerationFeed } from './generation-feed';
import { GenerationsProjection } from './generations.projection';
import { GenerationsResolver } from './generations.resolver';
import { ListGenerationsHandler } from './list-generations.query';

/** The read side for the `api` role: query and live subscription. */
@Module({
  imports: [CqrsModule, LiveModule],
  providers: [GenerationFeed, GenerationsResolver, ListGenerationsHandler],
})
export class GenerationsModule {}

/** The write side for the `projector` role. */
@Module({
  imports: [ArchiveModule],
  providers: [GenerationsProjection],
  exports: [GenerationsProjection],
})
export class GenerationsProjectionModule {}
