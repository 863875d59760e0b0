import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import type { GraphqlContext } from '../graphql/graphql-context';
import type { GroupBy, TimeBucket } from './analytics-plan';
import type { Metric } from './analytics-sql';
import type { Filter } from './filter';
import { GenerationAnalytics, type Comparison, type Group, type Series } from './generation-analytics';
import type { SortDirection } from './list-order';

/** `analyticsSeries`, `analyticsTop`, `analyticsCompare`: viewers and up, scoped to the caller's project. */
@Resolver()
export class AnalyticsResolver {
  constructor(
    @Inject(GenerationAnalytics) private readonly analytics: GenerationAnalytics,
    @Inject(CallerResolver) private readonly callers: CallerResolver,
  ) {}

  private project(projectId: string | null, context: GraphqlContext): string {
    return this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer').projectId;
  }

  @Query('analyticsSeries')
  async analyticsSeries(
    @Args('projectId') projectId: string | null,
    @Args('filter') filter: Filter,
    @Args('bucket') bucket: TimeBucket,
    @Args('groupBy') groupBy: GroupBy | null,
    @Args('first') first: number,
    @Context() context: GraphqlContext,
  ): Promise<{ servedFrom: string; series: Series[] }> {
    const served = await this.analytics.series(
      this.project(projectId, context),
      filter,
      bucket,
      groupBy,
      first,
    );
    return { servedFrom: served.servedFrom, series: served.result };
  }

  @Query('analyticsTop')
  async analyticsTop(
    @Args('projectId') projectId: string | null,
    @Args('filter') filter: Filter,
    @Args('groupBy') groupBy: GroupBy,
    @Args('rankBy') rankBy: Metric,
    @Args('direction') direction: SortDirection,
    @Args('first') first: number,
    @Context() context: GraphqlContext,
  ): Promise<{ servedFrom: string; groups: Group[] }> {
    const project = this.project(projectId, context);
    const served = await this.analytics.top(project, filter, groupBy, rankBy, direction, first);
    return { servedFrom: served.servedFrom, groups: served.result };
  }

  @Query('analyticsCompare')
  async analyticsCompare(
    @Args('projectId') projectId: string | null,
    @Args('filter') filter: Filter,
    @Args('baselineFrom') baselineFrom: string,
    @Args('baselineTo') baselineTo: string,
    @Args('groupBy') groupBy: GroupBy | null,
    @Args('first') first: number,
    @Context() context: GraphqlContext,
  ): Promise<Comparison[]> {
    const project = this.project(projectId, context);
    return this.analytics.compare(project, filter, { from: baselineFrom, to: baselineTo }, groupBy, first);
  }
}
