import { Module } from '@nestjs/common';
import { PurgerService } from '../privacy/purger.service';
import { ProjectorService } from './projector.service';

/** The `projector` role: every read model of the registry, fed from the log, and purged on deletions. */
@Module({ providers: [ProjectorService, PurgerService], exports: [ProjectorService] })
export class ProjectorModule {}
