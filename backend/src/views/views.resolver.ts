import { Inject } from '@nestjs/common';
import { onceRequest } from '../control/idempotency';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { SavedViewState } from '@sightline/schemas';
import { actorOf, CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { ControlPlane } from '../control/control-plane';
import { liveViews, type ViewInput } from '../control/decide/views';
import type { GraphqlContext } from '../graphql/graphql-context';
import { DeleteViewCommand, RenameViewCommand, SaveViewCommand } from './views.commands';

/** Saved views of the traces list: read by viewers, saved, renamed and deleted by members. */
@Resolver()
export class ViewsResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ControlPlane) private readonly control: ControlPlane,
  ) {}

  private shown(view: SavedViewState) {
    const user = view.updatedBy ? this.control.current.users.get(view.updatedBy) : undefined;
    return {
      id: view.viewId,
      name: view.name,
      query: view.query,
      columns: view.columns,
      sortField: view.sortField,
      sortDirection: view.sortDirection,
      updatedAt: view.updatedAt,
      updatedBy: user ? { id: user.userId, email: user.email, name: user.name } : null,
    };
  }

  @Query('savedViews')
  list(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return liveViews(this.control.current, access.projectId).map((v) => this.shown(v));
  }

  @Mutation('saveView')
  async save(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string | null,
    @Args('input') input: ViewInput,
    @Args('idempotencyKey') idempotencyKey: string | null,
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    const project = this.callers.authorize(caller, projectId, 'member').projectId;
    const actor = actorOf(caller);
    const once = onceRequest(actor, project, 'saveView', idempotencyKey, { id, input });
    return this.shown(
      await this.commands.execute(new SaveViewCommand(actor, project, id ?? null, input, once)),
    );
  }

  @Mutation('renameView')
  async rename(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Args('name') name: string,
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    const project = this.callers.authorize(caller, projectId, 'member').projectId;
    return this.shown(await this.commands.execute(new RenameViewCommand(actorOf(caller), project, id, name)));
  }

  @Mutation('deleteView')
  async delete(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<string> {
    const caller = callerOf(this.callers, context);
    const project = this.callers.authorize(caller, projectId, 'member').projectId;
    await this.commands.execute(new DeleteViewCommand(actorOf(caller), project, id));
    return id;
  }
}
