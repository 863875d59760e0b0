import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { PurgerService } from '../privacy/purger.service';
import { ProjectorThread } from './projector-thread';
import { PROJECTOR_OPTIONS, ProjectorService, type ProjectorOptions } from './projector.service';

/** The `projector` role: every read model of the registry, fed from the log, and purged on deletions. */
@Module({
  providers: [
    ProjectorService,
    PurgerService,
    {
      provide: PROJECTOR_OPTIONS,
      useFactory: (config: AppConfig): ProjectorOptions => ({
        lingerMs: config.projectorLingerMs,
        groupSuffix: config.projectorGroupSuffix,
      }),
      inject: [AppConfig],
    },
  ],
  exports: [ProjectorService],
})
export class ProjectorModule {}

/** The `projector` role on its own worker thread (`PROJECTOR_THREAD=1`). */
@Module({ providers: [ProjectorThread, Clock] })
export class ProjectorThreadModule {}
