import { Inject, Injectable } from '@nestjs/common';
import type {
  Actor,
  ApiKeyState,
  DataDeletionScope,
  InviteState,
  MembershipState,
  ProjectState,
  Role,
  UserState,
} from '@sightline/schemas';
import { Clock } from '../common/clock';
import { controlEvent } from '../control/control-events';
import { ControlPlane } from '../control/control-plane';
import { newApiKey, newToken, parseToken, randomId } from '../control/credentials';
import { decide, type ControlCommand } from '../control/decide/decide';
import { openInvite } from '../control/decide/invites';
import { roleIn } from '../control/decide/authority';
import { assertStrongPassword, type NewUser } from '../control/decide/users';
import { SecretBox } from '../security/secret-box';
import { PasswordHasher } from './password-hasher';

const KEY_USE_FLUSH_MS = 60_000;

/** Who accepts an invite: a signed-in user, or someone signing up with it. */
export type Joining =
  { readonly userId: string } | { readonly email: string; readonly name: string; readonly password: string };

/**
 * Commands on accounts, projects, memberships and keys. Each makes what is random or slow (ids,
 * secrets, password hashes), then lets the control plane decide (`control/decide/`) and append.
 */
@Injectable()
export class AccountsService {
  private readonly keyUseFlushed = new Map<string, number>();

  constructor(
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(PasswordHasher) private readonly passwords: PasswordHasher,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  private get state() {
    return this.control.current;
  }

  /** Decide against the current state and append the events together (again on a lost race). */
  private async run(command: ControlCommand): Promise<void> {
    await this.control.execute((state) => ({
      events: decide(command, state).map((e) => controlEvent(command.actor, command.now, e)),
      result: undefined,
    }));
  }

  /** Decide `commandFor` a new account, hashing its password (slow) only if the command would pass. */
  private async withNewUser(
    input: { email: string; name: string; password: string | null },
    commandFor: (user: NewUser) => ControlCommand,
  ): Promise<string> {
    const user: NewUser = {
      userId: randomId('usr'),
      email: input.email,
      name: input.name,
      passwordHashEnc: null,
    };
    let passwordHashEnc: string | null = null;
    if (input.password !== null) {
      decide(commandFor(user), this.state); // throws now what the decision would throw after hashing
      passwordHashEnc = await this.sealPassword(input.password);
    }
    await this.run(commandFor({ ...user, passwordHashEnc }));
    return user.userId;
  }

  private async sealPassword(password: string): Promise<string> {
    assertStrongPassword(password);
    return this.secrets.encrypt(await this.passwords.hash(password), 'password');
  }

  async registerUser(
    actor: Actor,
    input: { email: string; name: string; password: string | null },
  ): Promise<UserState> {
    const now = this.clock.now();
    const userId = await this.withNewUser(input, (user) => ({ type: 'register-user', actor, now, user }));
    return this.state.users.get(userId)!;
  }

  async setPassword(actor: Actor, userId: string, password: string): Promise<void> {
    const passwordHashEnc = await this.sealPassword(password);
    await this.run({ type: 'set-password', actor, now: this.clock.now(), userId, passwordHashEnc });
  }

  /** The user whose email and password match, else undefined (same time either way, roughly). */
  async verifyPassword(email: string, password: string): Promise<UserState | undefined> {
    const userId = this.state.userIdsByEmail.get(email.trim().toLowerCase());
    const user = userId ? this.state.users.get(userId) : undefined;
    if (!user?.passwordHashEnc) {
      await this.passwords.verify(await this.passwords.dummyHash(), password);
      return undefined;
    }
    return (await this.passwords.verify(this.secrets.decrypt(user.passwordHashEnc, 'password'), password))
      ? user
      : undefined;
  }

  async createOrganization(actor: Actor, name: string) {
    const organizationId = randomId('org');
    await this.run({ type: 'create-organization', actor, now: this.clock.now(), organizationId, name });
    return this.state.organizations.get(organizationId)!;
  }

  /** A new project with `ownerId` as its owner. */
  async createProject(
    actor: Actor,
    organizationId: string,
    name: string,
    ownerId: string,
  ): Promise<ProjectState> {
    const projectId = randomId('prj');
    await this.run({
      type: 'create-project',
      actor,
      now: this.clock.now(),
      projectId,
      organizationId,
      name,
      ownerId,
    });
    return this.state.projects.get(projectId)!;
  }

  /** Change a member's role, or remove them (`role` null). */
  async setRole(
    actor: Actor,
    projectId: string,
    userId: string,
    role: Role | null,
  ): Promise<MembershipState> {
    await this.run({ type: 'set-role', actor, now: this.clock.now(), projectId, userId, role });
    return { projectId, userId, role: roleIn(this.state, projectId, userId) };
  }

  async createApiKey(
    actor: Actor,
    projectId: string,
    name: string,
  ): Promise<{ key: ApiKeyState; full: string }> {
    const { keyId, secretHash, preview, full } = newApiKey();
    await this.run({
      type: 'create-api-key',
      actor,
      now: this.clock.now(),
      projectId,
      name,
      keyId,
      secretHash,
      preview,
    });
    return { key: this.state.apiKeys.get(keyId)!, full };
  }

  async revokeApiKey(actor: Actor, projectId: string, keyId: string): Promise<ApiKeyState> {
    await this.run({ type: 'revoke-api-key', actor, now: this.clock.now(), projectId, keyId });
    return this.state.apiKeys.get(keyId)!;
  }

  /** Last-used times are coalesced: at most one event per key and minute. */
  markKeyUsed(keyId: string): void {
    const now = this.clock.now();
    if (now.getTime() - (this.keyUseFlushed.get(keyId) ?? 0) < KEY_USE_FLUSH_MS) return;
    this.keyUseFlushed.set(keyId, now.getTime());
    // Best effort: a lost last-used time is harmless, and the next use records one.
    this.run({ type: 'record-key-use', actor: { userId: null, via: 'api-key' }, now, keyId }).catch(
      () => undefined,
    );
  }

  /** `email`: only that address may accept (null: anyone with the link). Returns the link's token. */
  async createInvite(actor: Actor, projectId: string, role: Role, email: string | null) {
    const { id: inviteId, token, hash: tokenHash } = newToken('inv');
    await this.run({
      type: 'create-invite',
      actor,
      now: this.clock.now(),
      inviteId,
      projectId,
      role,
      email,
      tokenHash,
    });
    return { invite: this.state.invites.get(inviteId)!, token };
  }

  /** An open, unexpired invite for this token, else a typed error. */
  findInvite(token: string): InviteState {
    return openInvite(this.state, token, this.clock.now());
  }

  /** Join the invite's project as `joining`; returns the user who joined. */
  async acceptInvite(token: string, joining: Joining): Promise<string> {
    const now = this.clock.now();
    if ('userId' in joining) {
      const actor: Actor = { userId: joining.userId, via: 'session' };
      await this.run({ type: 'accept-invite', actor, now, token, joining });
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

  /** A one-time link that signs `userId` in; returns its token. */
  async createLoginLink(actor: Actor, userId: string): Promise<string> {
    const { id: linkId, token, hash: tokenHash } = newToken('lnk');
    await this.run({ type: 'create-login-link', actor, now: this.clock.now(), linkId, userId, tokenHash });
    return token;
  }

  /** Consume a one-time login link; returns its user. */
  async useLoginLink(token: string): Promise<string> {
    const link = this.state.loginLinks.get(parseToken(token)?.id ?? '');
    const actor: Actor = { userId: link?.userId ?? null, via: 'session' };
    await this.run({ type: 'use-login-link', actor, now: this.clock.now(), token });
    return link!.userId;
  }

  async endSession(userId: string, sessionId: string): Promise<void> {
    await this.run({
      type: 'end-session',
      actor: { userId, via: 'session' },
      now: this.clock.now(),
      sessionId,
      userId,
    });
  }

  /** Tombstone a trace, an end user or the whole project. */
  async deleteData(actor: Actor, projectId: string, scope: DataDeletionScope, target: string): Promise<void> {
    await this.run({ type: 'delete-data', actor, now: this.clock.now(), projectId, scope, target });
  }
}
