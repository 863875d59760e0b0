import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import type { GraphqlContext } from '../graphql/graphql-context';
import type { Filter } from '../analytics/filter';
import type { ListOrder } from '../analytics/list-order';
import {
  GetGroupQuery,
  ListGroupsQuery,
  ListGroupTracesQuery,
  type GroupOrderField,
  type GroupPage,
} from './group-queries';
import type { GroupView } from './group.view';
import { pageSize } from './page-args';
import type { GroupDimension } from './trace-groups';
import type { TracePage } from './trace-queries';

/** `sessions`/`session(id)` and `users`/`user(id)`: the same queries over one dimension each. */
abstract class GroupsResolver {
  protected abstract readonly dimension: GroupDimension;

  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(CallerResolver) private readonly callers: CallerResolver,
  ) {}

  protected list(
    projectId: string | null,
    args: { filter: Filter | null; orderBy: ListOrder<GroupOrderField>; first: number; after: string | null },
    context: GraphqlContext,
  ) {
    const size = pageSize(args.first);
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.queries.execute(
      new ListGroupsQuery(
        this.dimension,
        access.projectId,
        size,
        args.after ?? undefined,
        args.filter,
        args.orderBy,
      ),
    );
  }

  protected one(projectId: string | null, id: string, context: GraphqlContext) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.queries.execute(new GetGroupQuery(this.dimension, access.projectId, id));
  }

  /** The parent was read within the caller's project: its `projectId` is the scope. */
  protected tracesOf(group: GroupView, first: number, after: string | null): Promise<TracePage> {
    const size = pageSize(first);
    return this.queries.execute(
      new ListGroupTracesQuery(this.dimension, group.projectId, group.id, size, after ?? undefined),
    );
  }
}

@Resolver('Session')
export class SessionsResolver extends GroupsResolver {
  protected readonly dimension = 'session';

  @Query('sessions')
  sessions(
    @Args('projectId') projectId: string | null,
    @Args('filter') filter: Filter | null,
    @Args('orderBy') orderBy: ListOrder<GroupOrderField>,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Context() context: GraphqlContext,
  ): Promise<GroupPage> {
    return this.list(projectId, { filter, orderBy, first, after }, context);
  }

  @Query('session')
  session(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<GroupView | null> {
    return this.one(projectId, id, context);
  }

  @ResolveField('traces')
  traces(@Parent() session: GroupView, @Args('first') first: number, @Args('after') after: string | null) {
    return this.tracesOf(session, first, after);
  }
}

@Resolver('EndUser')
export class UsersResolver extends GroupsResolver {
  protected readonly dimension = 'user';

  @Query('users')
  users(
    @Args('projectId') projectId: string | null,
    @Args('filter') filter: Filter | null,
    @Args('orderBy') orderBy: ListOrder<GroupOrderField>,
    @Args('first') first: number,
    @Args('after') after: string | null,
    @Context() context: GraphqlContext,
  ): Promise<GroupPage> {
    return this.list(projectId, { filter, orderBy, first, after }, context);
  }

  @Query('user')
  user(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<GroupView | null> {
    return this.one(projectId, id, context);
  }

  @ResolveField('traces')
  traces(@Parent() user: GroupView, @Args('first') first: number, @Args('after') after: string | null) {
    return this.tracesOf(user, first, after);
  }
}
