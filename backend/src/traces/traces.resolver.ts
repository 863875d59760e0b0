import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { InvalidInputError } from '../common/errors';
import type { GraphqlContext } from '../graphql/graphql-context';
import { decodeTraceCursor, InvalidTraceCursorError, type TraceCursor } from './trace-cursor';
import {
  GetTraceQuery,
  ListTracesQuery,
  MAX_TRACES_PAGE,
  type TraceDetail,
  type TracePage,
} from './trace-queries';

const badInput = (message: string) => new InvalidInputError(message, 'invalid_argument');

/** An ISO-8601 bound, or `fallback` when absent. */
function instant(name: string, value: string | null | undefined, fallback: Date): Date {
  if (value === null || value === undefined) return fallback;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw badInput(`${name} must be an ISO-8601 date-time`);
  return at;
}

function cursor(after: string | null): TraceCursor | undefined {
  try {
    return after ? decodeTraceCursor(after) : undefined;
  } catch (error) {
    if (error instanceof InvalidTraceCursorError) throw badInput(error.message);
    throw error;
  }
}

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
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Context() context: GraphqlContext,
  ): Promise<TracePage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_TRACES_PAGE) {
      throw badInput(`first must be between 1 and ${MAX_TRACES_PAGE}`);
    }
    const range = { from: instant('from', from, new Date(0)), to: instant('to', to, new Date('2299-01-01')) };
    const page = cursor(after);
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.queries.execute(new ListTracesQuery(access.projectId, range.from, range.to, first, page));
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
