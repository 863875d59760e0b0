import { Module } from '@nestjs/common';
import { OtlpController } from './otlp.controller';
import { OtlpIngest } from './otlp-ingest';
import { RecentTraceAttributes } from '../ingest/trace-attributes';

/** OpenTelemetry trace ingestion over OTLP/HTTP. */
@Module({
  controllers: [OtlpController],
  providers: [OtlpIngest, { provide: RecentTraceAttributes, useFactory: () => new RecentTraceAttributes() }],
})
export class OtlpModule {}
