import { Inject } from '@nestjs/common';
import { onceRequest } from '../control/idempotency';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { actorOf, CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import type { GraphqlContext } from '../graphql/graphql-context';
import { PromptVersions } from './prompt-versions';
import { CreatePromptVersionCommand, SetPromptLabelCommand } from './prompts.commands';

interface PromptVersionArgs {
  readonly name: string;
  readonly messages: string;
  readonly model?: string | null;
  readonly params?: string | null;
  readonly tools?: string | null;
  readonly responseFormat?: string | null;
  readonly commitMessage?: string | null;
  readonly labels?: string[] | null;
}

@Resolver()
export class PromptsResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(PromptVersions) private readonly prompts: PromptVersions,
  ) {}

  @Query('prompts')
  list(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.prompts.list(access.projectId);
  }

  @Query('prompt')
  prompt(
    @Args('projectId') projectId: string | null,
    @Args('name') name: string,
    @Args('version') version: number | null,
    @Args('label') label: string | null,
    @Context() context: GraphqlContext,
  ) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.prompts.get(access.projectId, name, { version, label });
  }

  @Query('promptVersions')
  versions(
    @Args('projectId') projectId: string | null,
    @Args('name') name: string,
    @Context() context: GraphqlContext,
  ) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.prompts.versions(access.projectId, name);
  }

  @Mutation('createPromptVersion')
  async create(
    @Args('projectId') projectId: string | null,
    @Args('input') input: PromptVersionArgs,
    @Args('idempotencyKey') idempotencyKey: string | null,
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'member');
    const actor = actorOf(caller);
    const once = onceRequest(actor, access.projectId, 'createPromptVersion', idempotencyKey, input);
    const created = await this.commands.execute(
      new CreatePromptVersionCommand(
        actor,
        access.projectId,
        {
          name: input.name,
          messages: input.messages,
          model: input.model ?? null,
          params: input.params ?? null,
          tools: input.tools ?? null,
          responseFormat: input.responseFormat ?? null,
          commitMessage: input.commitMessage ?? '',
          labels: input.labels ?? [],
        },
        once,
      ),
    );
    return this.prompts.get(access.projectId, created.name, { version: created.version });
  }

  @Mutation('setPromptLabel')
  async setLabel(
    @Args('projectId') projectId: string | null,
    @Args('name') name: string,
    @Args('label') label: string,
    @Args('version') version: number | null,
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'member');
    await this.commands.execute(
      new SetPromptLabelCommand(actorOf(caller), access.projectId, name, label, version),
    );
    return version === null ? null : this.prompts.get(access.projectId, name, { version });
  }
}
