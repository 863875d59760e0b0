import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { Clock } from '../common/clock';
import { InvalidInputError } from '../common/errors';
import type { GraphqlContext } from '../graphql/graphql-context';
import {
  RecentRefusalsQuery,
  RefusalTotalsQuery,
  type RefusalGroup,
  type RefusalRange,
  type RefusalTotal,
} from './refused-requests.query';

const MAX_RANGE_MS = 90 * 24 * 3600_000;
const MAX_FIRST = 200;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

function badInput(message: string): InvalidInputError {
  return new InvalidInputError(message, 'invalid_argument');
}

function instant(name: string, text: string): number {
  const ms = ISO.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw badInput(`${name} must be an ISO-8601 time, e.g. 2026-11-30T12:00:00Z`);
  return ms;
}

/** `refusedRequests`: the range is checked and authorized here; each field reads its part. */
@Resolver('RefusedRequests')
export class RefusalsResolver {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Query('refusedRequests')
  refusedRequests(
    @Args('projectId') projectId: string | null,
    @Args('since') since: string,
    @Args('until') until: string | null,
    @Context() context: GraphqlContext,
  ): RefusalRange {
    const from = instant('since', since);
    const to = until == null ? this.clock.now().getTime() : instant('until', until);
    if (from > to) throw badInput('since must not be after until');
    if (to - from > MAX_RANGE_MS) throw badInput('the range must not exceed 90 days');
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    const [start, end] = [from, to].map((ms) => new Date(ms).toISOString());
    return { projectId: access.projectId, since: start, until: end };
  }

  @ResolveField('total')
  async total(@Parent() range: RefusalRange): Promise<number> {
    const byCode = await this.byCode(range);
    return byCode.reduce((sum, c) => sum + c.count, 0);
  }

  @ResolveField('byCode')
  byCode(@Parent() range: RefusalRange): Promise<RefusalTotal[]> {
    return this.queries.execute(new RefusalTotalsQuery(range, 'code'));
  }

  @ResolveField('byEndpoint')
  byEndpoint(@Parent() range: RefusalRange): Promise<RefusalTotal[]> {
    return this.queries.execute(new RefusalTotalsQuery(range, 'endpoint'));
  }

  @ResolveField('byModel')
  byModel(@Parent() range: RefusalRange): Promise<RefusalTotal[]> {
    return this.queries.execute(new RefusalTotalsQuery(range, 'model'));
  }

  @ResolveField('recent')
  recent(@Parent() range: RefusalRange, @Args('first') first: number): Promise<RefusalGroup[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_FIRST)
      throw badInput(`first must be between 1 and ${MAX_FIRST}`);
    return this.queries.execute(new RecentRefusalsQuery(range, first));
  }
}
