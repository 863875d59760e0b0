import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { ApiGraphqlModule } from '../graphql/graphql.module';
import { ExportController } from './export.controller';
import { ExportRows } from './export-rows';

/** CSV and JSONL downloads of the traces and generations lists (`/api/export/*`). */
@Module({
  imports: [CqrsModule, ApiGraphqlModule],
  controllers: [ExportController],
  providers: [ExportRows, Clock],
})
export class ExportModule {}
