import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ProjectRetentionState } from '@sightline/schemas';
import { actorOf, CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { ControlPlane } from '../control/control-plane';
import type { GraphqlContext } from '../graphql/graphql-context';
import { SetRetentionCommand } from './retention.commands';

/** Settings → Data: read by viewers, changed by admins (rules and errors in `control/decide/retention.ts`). */
@Resolver()
export class RetentionResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ControlPlane) private readonly control: ControlPlane,
  ) {}

  private shown(retention: ProjectRetentionState | undefined) {
    const user = retention?.setBy ? this.control.current.users.get(retention.setBy) : undefined;
    return {
      days: retention?.days ?? null,
      setAt: retention?.setAt ?? null,
      setBy: user ? { id: user.userId, email: user.email, name: user.name } : null,
    };
  }

  @Query('retention')
  retention(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.shown(this.control.current.retention.get(access.projectId));
  }

  @Mutation('setRetention')
  async setRetention(
    @Args('projectId') projectId: string | null,
    @Args('input') input: { days?: number | null },
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'admin');
    return this.shown(
      await this.commands.execute(
        new SetRetentionCommand(actorOf(caller), access.projectId, input.days ?? null),
      ),
    );
  }
}
