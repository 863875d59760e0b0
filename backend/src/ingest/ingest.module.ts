import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { IngestController } from './ingest.controller';

/** The batch ingestion API. */
@Module({ controllers: [IngestController], providers: [Clock] })
export class IngestModule {}
