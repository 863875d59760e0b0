import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor, UserState } from '@sightline/schemas';
import { Clock } from '../../common/clock';
import { ControlPlane } from '../../control/control-plane';
import { randomId } from '../../control/credentials';
import { decide, type ControlCommand } from '../../control/decide/decide';
import type { NewUser } from '../../control/decide/users';
import { Passwords } from '../passwords';
import { ControlCommandHandler } from './control-command';

/** A new account's details; `password` null: the user signs in by link until they set one. */
export interface NewAccount {
  readonly email: string;
  readonly name: string;
  readonly password: string | null;
}

/** A handler that also makes accounts or passwords: ids and sealed argon2id hashes. */
export abstract class PasswordCommandHandler extends ControlCommandHandler {
  constructor(
    @Inject(ControlPlane) control: ControlPlane,
    @Inject(Clock) clock: Clock,
    @Inject(Passwords) protected readonly passwords: Passwords,
  ) {
    super(control, clock);
  }

  /**
   * Decide `commandFor` a new account, hashing its password (slow) only if the command would pass.
   * Returns the new user's id.
   */
  protected async withNewUser(
    account: NewAccount,
    commandFor: (user: NewUser) => ControlCommand,
  ): Promise<string> {
    const user: NewUser = {
      userId: randomId('usr'),
      email: account.email,
      name: account.name,
      passwordHashEnc: null,
    };
    let passwordHashEnc: string | null = null;
    if (account.password !== null) {
      decide(commandFor(user), this.state); // throws now what the decision would throw after hashing
      passwordHashEnc = await this.passwords.seal(account.password);
    }
    await this.append(commandFor({ ...user, passwordHashEnc }));
    return user.userId;
  }
}

export class RegisterUserCommand extends Command<UserState> {
  constructor(
    readonly actor: Actor,
    readonly account: NewAccount,
  ) {
    super();
  }
}

@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler
  extends PasswordCommandHandler
  implements ICommandHandler<RegisterUserCommand, UserState>
{
  async execute({ actor, account }: RegisterUserCommand): Promise<UserState> {
    const now = this.clock.now();
    const userId = await this.withNewUser(account, (user) => ({ type: 'register-user', actor, now, user }));
    return this.state.users.get(userId)!;
  }
}

/** Set `userId`'s password (too weak: a typed error before anything is hashed). */
export class SetPasswordCommand extends Command<void> {
  constructor(
    readonly actor: Actor,
    readonly userId: string,
    readonly password: string,
  ) {
    super();
  }
}

@CommandHandler(SetPasswordCommand)
export class SetPasswordHandler
  extends PasswordCommandHandler
  implements ICommandHandler<SetPasswordCommand, void>
{
  async execute({ actor, userId, password }: SetPasswordCommand): Promise<void> {
    const passwordHashEnc = await this.passwords.seal(password);
    await this.append({ type: 'set-password', actor, now: this.clock.now(), userId, passwordHashEnc });
  }
}
