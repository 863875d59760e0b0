import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { SetRetentionHandler } from './retention.commands';
import { RetentionResolver } from './retention.resolver';

/**
 * Per-project retention through GraphQL (Settings → Data). Applying it is the retention read
 * model's work (`retention.projection.ts`). Needs `ControlPlane` and `CallerResolver` (global).
 */
@Module({ imports: [CqrsModule], providers: [Clock, RetentionResolver, SetRetentionHandler] })
export class RetentionModule {}
