import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ProviderCredentialState } from '@sightline/schemas';
import { actorOf, CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { ControlPlane } from '../control/control-plane';
import type { GraphqlContext } from '../graphql/graphql-context';
import {
  AddProviderCredentialCommand,
  RemoveProviderCredentialCommand,
  RotateProviderCredentialCommand,
} from './credentials.commands';
import { TestProviderCredentialCommand } from './test-credential.command';

interface AddInput {
  readonly provider: string;
  readonly label: string;
  readonly secret: string;
  readonly accessKeyId?: string | null;
  readonly baseUrl?: string | null;
  readonly region?: string | null;
  readonly apiVersion?: string | null;
  readonly weight: number;
}

/** Settings → Providers: everything about a project's credentials but their secrets. Admins and owners. */
@Resolver()
export class CredentialsResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  private admin(context: GraphqlContext, projectId: string | null) {
    const caller = callerOf(this.callers, context);
    return {
      actor: actorOf(caller),
      projectId: this.callers.authorize(caller, projectId, 'admin').projectId,
    };
  }

  /** What a client sees of a credential: never `secretEnc`. */
  private shown(c: ProviderCredentialState) {
    const user = c.createdBy ? this.control.current.users.get(c.createdBy) : undefined;
    return {
      id: c.credentialId,
      provider: c.provider,
      label: c.label,
      last4: c.last4,
      baseUrl: c.baseUrl,
      weight: c.weight,
      region: c.settings.region ?? null,
      apiVersion: c.settings.apiVersion ?? null,
      createdAt: c.createdAt,
      createdBy: user ? { id: user.userId, email: user.email, name: user.name } : null,
      rotatedAt: c.rotatedAt,
    };
  }

  @Query('providerCredentials')
  list(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    const access = this.admin(context, projectId);
    return [...this.control.current.providerCredentials.values()]
      .filter((c) => c.projectId === access.projectId && !c.removedAt)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((c) => this.shown(c));
  }

  @Mutation('addProviderCredential')
  async add(
    @Args('projectId') projectId: string | null,
    @Args('input') input: AddInput,
    @Context() context: GraphqlContext,
  ) {
    const { actor, projectId: project } = this.admin(context, projectId);
    const added = await this.commands.execute(
      new AddProviderCredentialCommand(actor, project, {
        provider: input.provider,
        label: input.label,
        secret: { apiKey: input.secret, accessKeyId: input.accessKeyId ?? undefined },
        baseUrl: input.baseUrl ?? null,
        settings: { region: input.region ?? undefined, apiVersion: input.apiVersion ?? undefined },
        weight: input.weight,
      }),
    );
    return this.shown(added);
  }

  @Mutation('rotateProviderCredential')
  async rotate(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Args('secret') secret: string,
    @Args('accessKeyId') accessKeyId: string | null,
    @Context() context: GraphqlContext,
  ) {
    const { actor, projectId: project } = this.admin(context, projectId);
    const rotated = await this.commands.execute(
      new RotateProviderCredentialCommand(actor, project, id, {
        apiKey: secret,
        accessKeyId: accessKeyId ?? undefined,
      }),
    );
    return this.shown(rotated);
  }

  @Mutation('removeProviderCredential')
  async remove(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ) {
    const { actor, projectId: project } = this.admin(context, projectId);
    await this.commands.execute(new RemoveProviderCredentialCommand(actor, project, id));
    return true;
  }

  @Mutation('testProviderCredential')
  test(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Args('model') model: string,
    @Context() context: GraphqlContext,
  ) {
    const { projectId: project } = this.admin(context, projectId);
    return this.commands.execute(new TestProviderCredentialCommand(project, id, model));
  }
}
