import { Module } from '@nestjs/common';
import { AnalyticsResolver } from './analytics.resolver';
import { GenerationAnalytics } from './generation-analytics';

/** GraphQL analytics of generations. Needs `ClickHouse` and `CallerResolver` (global). */
@Module({ providers: [GenerationAnalytics, AnalyticsResolver] })
export class AnalyticsModule {}
