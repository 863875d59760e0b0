import { Inject, Injectable } from '@nestjs/common';
import type { InviteState, UserState } from '@sightline/schemas';
import { Clock } from '../common/clock';
import { ControlPlane } from '../control/control-plane';
import { openInvite } from '../control/decide/invites';
import { decideAndAppend } from './commands/control-command';
import { Passwords } from './passwords';

const KEY_USE_FLUSH_MS = 60_000;

/**
 * What sign-in needs besides the commands (`commands/`): two reads of control state, and the
 * key-use record, which is not a command because no caller waits for it or sees its failure.
 */
@Injectable()
export class AccountsService {
  private readonly keyUseFlushed = new Map<string, number>();

  constructor(
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(Passwords) private readonly passwords: Passwords,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The user whose email and password match, else undefined (same time either way, roughly). */
  async verifyPassword(email: string, password: string): Promise<UserState | undefined> {
    const state = this.control.current;
    const userId = state.userIdsByEmail.get(email.trim().toLowerCase());
    const user = userId ? state.users.get(userId) : undefined;
    return (await this.passwords.match(user, password)) ? user : undefined;
  }

  /** An open, unexpired invite for this token, else a typed error. */
  findInvite(token: string): InviteState {
    return openInvite(this.control.current, token, this.clock.now());
  }

  /** Last-used times are coalesced: at most one event per key and minute. */
  markKeyUsed(keyId: string): void {
    const now = this.clock.now();
    if (now.getTime() - (this.keyUseFlushed.get(keyId) ?? 0) < KEY_USE_FLUSH_MS) return;
    this.keyUseFlushed.set(keyId, now.getTime());
    // Best effort, in the background: a lost last-used time is harmless, and the next use records one.
    const actor = { userId: null, via: 'api-key' as const };
    decideAndAppend(this.control, { type: 'record-key-use', actor, now, keyId }).catch(() => undefined);
  }
}
