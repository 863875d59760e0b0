import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor } from '@sightline/schemas';
import { newToken, parseToken } from '../../control/credentials';
import { ControlCommandHandler } from './control-command';

/** A one-time link that signs `userId` in; the result is its token. */
export class CreateLoginLinkCommand extends Command<string> {
  constructor(
    readonly actor: Actor,
    readonly userId: string,
  ) {
    super();
  }
}

@CommandHandler(CreateLoginLinkCommand)
export class CreateLoginLinkHandler
  extends ControlCommandHandler
  implements ICommandHandler<CreateLoginLinkCommand, string>
{
  async execute({ actor, userId }: CreateLoginLinkCommand): Promise<string> {
    const { id: linkId, token, hash: tokenHash } = newToken('lnk');
    await this.append({ type: 'create-login-link', actor, now: this.clock.now(), linkId, userId, tokenHash });
    return token;
  }
}

/** Consume a one-time login link; the result is its user's id. */
export class UseLoginLinkCommand extends Command<string> {
  constructor(readonly token: string) {
    super();
  }
}

@CommandHandler(UseLoginLinkCommand)
export class UseLoginLinkHandler
  extends ControlCommandHandler
  implements ICommandHandler<UseLoginLinkCommand, string>
{
  async execute({ token }: UseLoginLinkCommand): Promise<string> {
    const link = this.state.loginLinks.get(parseToken(token)?.id ?? '');
    const actor: Actor = { userId: link?.userId ?? null, via: 'session' };
    await this.append({ type: 'use-login-link', actor, now: this.clock.now(), token });
    return link!.userId;
  }
}

export class EndSessionCommand extends Command<void> {
  constructor(
    readonly userId: string,
    readonly sessionId: string,
  ) {
    super();
  }
}

@CommandHandler(EndSessionCommand)
export class EndSessionHandler
  extends ControlCommandHandler
  implements ICommandHandler<EndSessionCommand, void>
{
  async execute({ userId, sessionId }: EndSessionCommand): Promise<void> {
    const actor: Actor = { userId, via: 'session' };
    await this.append({ type: 'end-session', actor, now: this.clock.now(), sessionId, userId });
  }
}
