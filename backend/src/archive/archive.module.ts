import { Module } from '@nestjs/common';
import { ArchiveProjection } from './archive.projection';
import { EventArchive } from './event-archive';

@Module({ providers: [ArchiveProjection, EventArchive], exports: [ArchiveProjection, EventArchive] })
export class ArchiveModule {}
