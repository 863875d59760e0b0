import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { IngestController } from './ingest.controller';
import { RecentTraceAttributes } from './trace-attributes';

/** The batch ingestion API. */
@Module({
  controllers: [IngestController],
  providers: [Clock, { provide: RecentTraceAttributes, useFactory: () => new RecentTraceAttributes() }],
})
export class IngestModule {}
