import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { RecentRefusalsHandler, RefusalTotalsHandler } from './refused-requests.query';
import { RefusalsResolver } from './refusals.resolver';
import { RequestRefusals } from './request-refusals';

/**
 * Refused gateway requests, for the `api` role: `RequestRefusals` counts them (the gateway's
 * endpoints call it) and records them; the `refusedRequests` query reads them back.
 */
@Module({
  imports: [CqrsModule],
  providers: [Clock, RequestRefusals, RefusalTotalsHandler, RecentRefusalsHandler, RefusalsResolver],
  exports: [RequestRefusals],
})
export class RefusalsModule {}
