import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor, InviteState, Role } from '@sightline/schemas';
import { newToken } from '../../control/credentials';
import type { OnceRequest } from '../../control/idempotency';
import { ControlCommandHandler } from './control-command';
import { PasswordCommandHandler, type NewAccount } from './users.commands';

/** Who accepts an invite: a signed-in user, or someone signing up with it. */
export type Joining = { readonly userId: string } | (NewAccount & { readonly password: string });

/** The invite and its link's token (shown once, stored only as a hash). */
export interface CreatedInvite {
  readonly invite: InviteState;
  readonly token: string;
}

/** `email`: only that address may accept (null: anyone with the link). */
export class CreateInviteCommand extends Command<CreatedInvite> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly role: Role,
    readonly email: string | null,
    readonly once?: OnceRequest,
  ) {
    super();
  }
}

@CommandHandler(CreateInviteCommand)
export class CreateInviteHandler
  extends ControlCommandHandler
  implements ICommandHandler<CreateInviteCommand, CreatedInvite>
{
  execute({ actor, projectId, role, email, once }: CreateInviteCommand): Promise<CreatedInvite> {
    const { id: inviteId, token, hash: tokenHash } = newToken('inv');
    const now = this.clock.now();
    return this.appendOnce(
      once,
      { type: 'create-invite', actor, now, inviteId, projectId, role, email, tokenHash },
      (state) => ({ invite: state.invites.get(inviteId)!, token }),
    );
  }
}

/** Join the invite's project as `joining`; the result is the id of the user who joined. */
export class AcceptInviteCommand extends Command<string> {
  constructor(
    readonly token: string,
    readonly joining: Joining,
  ) {
    super();
  }
}

@CommandHandler(AcceptInviteCommand)
export class AcceptInviteHandler
  extends PasswordCommandHandler
  implements ICommandHandler<AcceptInviteCommand, string>
{
  async execute({ token, joining }: AcceptInviteCommand): Promise<string> {
    const now = this.clock.now();
    if ('userId' in joining) {
      const actor: Actor = { userId: joining.userId, via: 'session' };
      await this.append({ type: 'accept-invite', actor, now, token, joining });
      return joining.userId;
    }
    return this.withNewUser(joining, (user) => ({
      type: 'accept-invite',
      actor: { userId: user.userId, via: 'session' },
      now,
      token,
      joining: { user },
    }));
  }
}

/** Withdraw an open invite (admins): its link stops working. */
export class RevokeInviteCommand extends Command<void> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly inviteId: string,
  ) {
    super();
  }
}

@CommandHandler(RevokeInviteCommand)
export class RevokeInviteHandler
  extends ControlCommandHandler
  implements ICommandHandler<RevokeInviteCommand, void>
{
  async execute({ actor, projectId, inviteId }: RevokeInviteCommand): Promise<void> {
    await this.append({ type: 'revoke-invite', actor, now: this.clock.now(), projectId, inviteId });
  }
}
