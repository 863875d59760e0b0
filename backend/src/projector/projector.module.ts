import { Module } from '@nestjs/common';
import { ArchiveModule } from '../archive/archive.module';
import { ArchiveProjection } from '../archive/archive.projection';
import { GenerationsProjectionModule } from '../generations/generations.module';
import { GenerationsProjection } from '../generations/generations.projection';
import { PROJECTIONS } from './projection';
import { ProjectorService } from './projector.service';
import { PurgerService } from '../privacy/purger.service';

/** The `projector` role: every read model, fed from the log. The archive goes first. */
@Module({
  imports: [ArchiveModule, GenerationsProjectionModule],
  providers: [
    {
      provide: PROJECTIONS,
      inject: [ArchiveProjection, GenerationsProjection],
      useFactory: (...projections: unknown[]) => projections,
    },
    ProjectorService,
    PurgerService,
  ],
  exports: [ProjectorService],
})
export class ProjectorModule {}
