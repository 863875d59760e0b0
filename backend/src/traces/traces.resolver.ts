import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import type { Filter } from '../analytics/filter';
import type { ListOrder } from '../analytics/list-order';
import { CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import type { GraphqlContext } from '../graphql/graphql-context';
import { badInput, pageSize } from './page-args';
import {
  ListScoresQuery,
  type ScoreListFilter,
  type ScoreOrderField,
  type ScorePage,
} from './score-list.query';
import { ListSpansQuery, type SpanFilter, type SpanOrderField, type SpanPage } from './span-list.query';
import {
  GetTraceQuery,
  ListTracesQuery,
  type TraceOrderField,
  type TraceDetail,
  type TracePage,
} from './trace-queries';

@Resolver('Trace')
export class TracesResolver {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(CallerResolver) private readonly callers: CallerResolver,
  ) {}

  @Query('traces')
  async traces(
    @Args('projectId') projectId: string | null,
    @Args('from') from: string | null,
    @Args('to') to: string | null,
    @Args('filter') filter: Filter | null,
    @Args('orderBy') orderBy: ListOrder<TraceOrderField>,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Context() context: GraphqlContext,
  ): Promise<TracePage> {
    pageSize(first);
    for (const [name, at] of Object.entries({ from, to }))
      if (at != null && Number.isNaN(Date.parse(at)))
        throw badInput(`${name} must be an ISO-8601 date-time`, name);
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    // `from`/`to` predate the filter: they narrow it (the filter's own bounds, when given, win).
    const narrowed = { ...filter, from: filter?.from ?? from, to: filter?.to ?? to };
    return this.queries.execute(
      new ListTracesQuery(access.projectId, narrowed, orderBy, first, after ?? undefined),
    );
  }

  /** `spans`: viewers and up; see schemas/graphql/traces.graphql for the shapes and errors. */
  @Query('spans')
  async spans(
    @Args('projectId') projectId: string | null,
    @Args('filter') filter: SpanFilter | null,
    @Args('orderBy') orderBy: ListOrder<SpanOrderField>,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Context() context: GraphqlContext,
  ): Promise<SpanPage> {
    pageSize(first);
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.queries.execute(
      new ListSpansQuery(access.projectId, filter ?? {}, orderBy, first, after ?? undefined),
    );
  }

  /** `scores`: viewers and up; see schemas/graphql/traces.graphql for the shapes and errors. */
  @Query('scores')
  async scores(
    @Args('projectId') projectId: string | null,
    @Args('filter') filter: ScoreListFilter | null,
    @Args('orderBy') orderBy: ListOrder<ScoreOrderField>,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Context() context: GraphqlContext,
  ): Promise<ScorePage> {
    pageSize(first);
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.queries.execute(
      new ListScoresQuery(access.projectId, filter ?? {}, orderBy, first, after ?? undefined),
    );
  }

  @Query('trace')
  async trace(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<TraceDetail | null> {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.queries.execute(new GetTraceQuery(access.projectId, id));
  }
}
