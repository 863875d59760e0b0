import { Module } from '@nestjs/common';
import { OtlpController } from './otlp.controller';
import { OtlpIngest } from './otlp-ingest';

/** OpenTelemetry trace ingestion over OTLP/HTTP. */
@Module({ controllers: [OtlpController], providers: [OtlpIngest] })
export class OtlpModule {}
