import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { Filter } from '../analytics/filter';
import type { ListOrder } from '../analytics/list-order';
import { InvalidInputError } from '../common/errors';
import { CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import type { GraphqlContext } from '../graphql/graphql-context';
import { missedUpdatesError } from '../graphql/graphql-errors';
import { validateSelection, type LiveSelection } from '../live/live-filter';
import { payloadAsIs } from '../live/planned-subscribe';
import { GenerationFeed } from './generation-feed';
import {
  ListGenerationsQuery,
  MAX_PAGE_SIZE,
  type GenerationOrderField,
  type GenerationPage,
} from './list-generations.query';

@Resolver('Generation')
export class GenerationsResolver {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(GenerationFeed) private readonly feed: GenerationFeed,
  ) {}

  @Query('generations')
  async generations(
    @Args('projectId') projectId: string | null,
    @Args('filter') filter: Filter | null,
    @Args('orderBy') orderBy: ListOrder<GenerationOrderField>,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Context() context: GraphqlContext,
  ): Promise<GenerationPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new InvalidInputError(
        `first must be between 1 and ${MAX_PAGE_SIZE}`,
        'invalid_argument',
        'first',
      );
    }
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.queries.execute(
      new ListGenerationsQuery(access.projectId, first, after ?? undefined, filter ?? {}, orderBy),
    );
  }

  // The event is the field's value (see PAYLOAD_AS_IS_FIELDS: graphql-ws's responses skip this call).
  @Subscription('generationRecorded', { resolve: payloadAsIs })
  generationRecorded(
    @Args('projectId') projectId: string | null,
    @Args('filter') filter: Filter | null,
    @Args('sampleRate') sampleRate: number,
    @Args('traceId') traceId: string | null,
    @Context() context: GraphqlContext,
  ) {
    const { caller, access, selection } = this.liveAccess(context, projectId, filter, sampleRate, traceId);
    // Checked on every push: a revoked key, an ended session or a removed member stops receiving at once.
    return this.feed.subscribe(
      access.projectId,
      () => this.callers.stillAllowed(caller, access.projectId, 'viewer'),
      selection,
      missedUpdatesError,
    );
  }

  @Subscription('liveGenerations', { resolve: payloadAsIs })
  liveGenerations(
    @Args('projectId') projectId: string | null,
    @Args('filter') filter: Filter | null,
    @Args('sampleRate') sampleRate: number,
    @Args('traceId') traceId: string | null,
    @Context() context: GraphqlContext,
  ) {
    const { caller, access, selection } = this.liveAccess(context, projectId, filter, sampleRate, traceId);
    return this.feed.subscribeLive(
      access.projectId,
      () => this.callers.stillAllowed(caller, access.projectId, 'viewer'),
      selection,
    );
  }

  /** The caller, its project (viewer at least) and its checked selection, for a subscription. */
  private liveAccess(
    context: GraphqlContext,
    projectId: string | null,
    filter: Filter | null,
    sampleRate: number,
    traceId: string | null,
  ) {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'viewer');
    const selection: LiveSelection = { filter: filter ?? {}, sampleRate, traceId: traceId ?? null };
    validateSelection(selection);
    return { caller, access, selection };
  }
}
