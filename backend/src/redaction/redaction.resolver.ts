import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { RedactionSettingsState } from '@sightline/schemas';
import { actorOf, CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { InvalidInputError } from '../common/errors';
import { ControlPlane } from '../control/control-plane';
import { checkRedactionInput, type RedactionInput } from '../control/decide/redaction';
import type { GraphqlContext } from '../graphql/graphql-context';
import { redactSecrets } from '../security/redact';
import { projectRedactor } from './project-rules';
import { SetRedactionCommand } from './redaction.commands';

/** Longest text `previewRedaction` takes. */
const MAX_PREVIEW = 10_000;

const OFF: RedactionInput = {
  emails: false,
  cardNumbers: false,
  apiKeys: false,
  customRules: [],
  redactForwarded: false,
};

/** Settings → Redaction: read by viewers, previewed by members, changed by admins. */
@Resolver()
export class RedactionResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ControlPlane) private readonly control: ControlPlane,
  ) {}

  private shown(settings: RedactionSettingsState | undefined) {
    const user = settings?.updatedBy ? this.control.current.users.get(settings.updatedBy) : undefined;
    return {
      ...OFF,
      ...settings,
      updatedAt: settings?.updatedAt ?? null,
      updatedBy: user ? { id: user.userId, email: user.email, name: user.name } : null,
    };
  }

  @Query('redactionSettings')
  settings(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.shown(this.control.current.redaction.get(access.projectId));
  }

  @Query('previewRedaction')
  preview(
    @Args('projectId') projectId: string | null,
    @Args('settings') settings: RedactionInput,
    @Args('text') text: string,
    @Context() context: GraphqlContext,
  ): string {
    this.callers.authorize(callerOf(this.callers, context), projectId, 'member');
    if (text.length > MAX_PREVIEW)
      throw new InvalidInputError(`Preview at most ${MAX_PREVIEW} characters`, 'text_too_long', 'text');
    const redact = projectRedactor(checkRedactionInput(settings));
    const masked = redactSecrets(text);
    return redact ? redact(masked) : masked;
  }

  @Mutation('setRedactionSettings')
  async set(
    @Args('projectId') projectId: string | null,
    @Args('settings') settings: RedactionInput,
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    const project = this.callers.authorize(caller, projectId, 'admin').projectId;
    return this.shown(
      await this.commands.execute(new SetRedactionCommand(actorOf(caller), project, settings)),
    );
  }
}
