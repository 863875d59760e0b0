import { Inject, Injectable } from '@nestjs/common';
import type {
  Actor,
  ApiKeyState,
  ControlEvent,
  DataDeletionScope,
  InviteState,
  MembershipState,
  ProjectState,
  Role,
  UserState,
} from '@sightline/schemas';
import { Clock } from '../common/clock';
import { ControlPlane } from '../control/control-plane';
import { controlEvent } from '../control/control-events';
import { membershipKey } from '../control/control-state';
import { SecretBox } from '../security/secret-box';
import { InvalidInputError, ProjectNotFoundError } from '../common/errors';
import { newApiKey, newToken, parseToken, randomId, sameHash, sha256 } from './credentials';
import { PasswordHasher } from './password-hasher';

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
const LOGIN_LINK_TTL_MS = 24 * 3600 * 1000;
const KEY_USE_FLUSH_MS = 60_000;
const MIN_PASSWORD = 10;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Commands on accounts, projects, memberships and keys: each appends control events. */
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

  private async emit<E extends ControlEvent>(
    actor: Actor,
    body: Pick<E, 'type' | 'entityKey' | 'projectId' | 'data'>,
  ) {
    await this.control.append([controlEvent<E>(actor, this.clock.now(), body)]);
  }

  private now = (): string => this.clock.now().toISOString();

  private async sealPassword(password: string): Promise<string> {
    if (password.length < MIN_PASSWORD) {
      throw new InvalidInputError(`Passwords need at least ${MIN_PASSWORD} characters.`, 'weak_password');
    }
    return this.secrets.encrypt(await this.passwords.hash(password), 'password');
  }

  async registerUser(
    actor: Actor,
    input: { email: string; name: string; password: string | null },
  ): Promise<UserState> {
    const email = input.email.trim().toLowerCase();
    if (!EMAIL.test(email)) throw new InvalidInputError('That is not an email address.', 'invalid_email');
    if (this.state.userIdsByEmail.has(email))
      throw new InvalidInputError('This email is already registered.', 'email_taken');
    const user: UserState = {
      userId: randomId('usr'),
      email,
      name: input.name.trim() || email,
      passwordHashEnc: input.password === null ? null : await this.sealPassword(input.password),
      createdAt: this.now(),
    };
    await this.emit(actor, {
      type: 'user.registered',
      entityKey: `user:${user.userId}`,
      projectId: null,
      data: user,
    });
    return user;
  }

  async setPassword(actor: Actor, userId: string, password: string): Promise<void> {
    const user = this.state.users.get(userId);
    if (!user) throw new InvalidInputError('Unknown user.', 'unknown_user');
    const data = { ...user, passwordHashEnc: await this.sealPassword(password) };
    await this.emit(actor, { type: 'user.password-set', entityKey: `user:${userId}`, projectId: null, data });
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
    const data = { organizationId: randomId('org'), name: name.trim(), createdAt: this.now() };
    await this.emit(actor, {
      type: 'organization.created',
      entityKey: `org:${data.organizationId}`,
      projectId: null,
      data,
    });
    return data;
  }

  async createProject(
    actor: Actor,
    organizationId: string,
    name: string,
    ownerId: string,
  ): Promise<ProjectState> {
    if (!this.state.organizations.has(organizationId))
      throw new InvalidInputError('Unknown organization.', 'unknown_org');
    if (!name.trim()) throw new InvalidInputError('A project needs a name.', 'invalid_name');
    const project: ProjectState = {
      projectId: randomId('prj'),
      organizationId,
      name: name.trim(),
      createdAt: this.now(),
      deletedAt: null,
    };
    await this.emit(actor, {
      type: 'project.created',
      entityKey: `project:${project.projectId}`,
      projectId: project.projectId,
      data: project,
    });
    await this.setRole(actor, project.projectId, ownerId, 'owner');
    return project;
  }

  async setRole(
    actor: Actor,
    projectId: string,
    userId: string,
    role: Role | null,
  ): Promise<MembershipState> {
    if (!this.state.users.has(userId)) throw new InvalidInputError('Unknown user.', 'unknown_user');
    const data: MembershipState = { projectId, userId, role };
    await this.emit(actor, {
      type: role ? 'membership.granted' : 'membership.revoked',
      entityKey: `membership:${membershipKey(projectId, userId)}`,
      projectId,
      data,
    });
    return data;
  }

  async createApiKey(
    actor: Actor,
    projectId: string,
    name: string,
  ): Promise<{ key: ApiKeyState; full: string }> {
    if (!name.trim()) throw new InvalidInputError('A key needs a name.', 'invalid_name');
    const created = newApiKey();
    const key: ApiKeyState = {
      keyId: created.keyId,
      projectId,
      name: name.trim(),
      secretHash: created.secretHash,
      preview: created.preview,
      createdAt: this.now(),
      createdBy: actor.userId,
      revokedAt: null,
    };
    await this.emit(actor, {
      type: 'api-key.created',
      entityKey: `api-key:${key.keyId}`,
      projectId,
      data: key,
    });
    return { key, full: created.full };
  }

  async revokeApiKey(actor: Actor, projectId: string, keyId: string): Promise<ApiKeyState> {
    const key = this.state.apiKeys.get(keyId);
    if (!key || key.projectId !== projectId) throw new ProjectNotFoundError();
    if (key.revokedAt) return key;
    const data = { ...key, revokedAt: this.now() };
    await this.emit(actor, { type: 'api-key.revoked', entityKey: `api-key:${keyId}`, projectId, data });
    return data;
  }

  /** Last-used times are coalesced: at most one event per key and minute. */
  markKeyUsed(keyId: string, projectId: string): void {
    const now = this.clock.now().getTime();
    if (now - (this.keyUseFlushed.get(keyId) ?? 0) < KEY_USE_FLUSH_MS) return;
    this.keyUseFlushed.set(keyId, now);
    const data = { keyId, lastUsedAt: new Date(now).toISOString() };
    void this.emit(
      { userId: null, via: 'api-key' },
      { type: 'api-key.used', entityKey: `api-key-used:${keyId}`, projectId, data },
    );
  }

  async createInvite(actor: Actor, projectId: string, role: Role, email: string | null) {
    const { id, token, hash } = newToken('inv');
    const invite: InviteState = {
      inviteId: id,
      projectId,
      role,
      email: email?.trim().toLowerCase() || null,
      tokenHash: hash,
      expiresAt: new Date(this.clock.now().getTime() + INVITE_TTL_MS).toISOString(),
      acceptedBy: null,
    };
    await this.emit(actor, { type: 'invite.created', entityKey: `invite:${id}`, projectId, data: invite });
    return { invite, token };
  }

  /** An open, unexpired invite for this token, else a typed error. */
  findInvite(token: string): InviteState {
    const parsed = parseToken(token);
    const invite = parsed && this.state.invites.get(parsed.id);
    if (!parsed || !invite || !sameHash(invite.tokenHash, sha256(parsed.secret)) || invite.acceptedBy) {
      throw new InvalidInputError('This invite link is not valid.', 'invite_invalid');
    }
    if (Date.parse(invite.expiresAt) < this.clock.now().getTime()) {
      throw new InvalidInputError('This invite link has expired.', 'invite_expired');
    }
    return invite;
  }

  async acceptInvite(token: string, userId: string): Promise<InviteState> {
    const invite = this.findInvite(token);
    const actor: Actor = { userId, via: 'session' };
    await this.setRole(actor, invite.projectId, userId, invite.role);
    const data = { ...invite, acceptedBy: userId };
    await this.emit(actor, {
      type: 'invite.accepted',
      entityKey: `invite:${invite.inviteId}`,
      projectId: invite.projectId,
      data,
    });
    return data;
  }

  async createLoginLink(actor: Actor, userId: string): Promise<string> {
    const { id, token, hash } = newToken('lnk');
    const data = {
      linkId: id,
      userId,
      tokenHash: hash,
      expiresAt: new Date(this.clock.now().getTime() + LOGIN_LINK_TTL_MS).toISOString(),
      usedAt: null,
    };
    await this.emit(actor, {
      type: 'login-link.created',
      entityKey: `login-link:${id}`,
      projectId: null,
      data,
    });
    return token;
  }

  /** Consume a one-time login link; returns its user. */
  async useLoginLink(token: string): Promise<string> {
    const parsed = parseToken(token);
    const link = parsed && this.state.loginLinks.get(parsed.id);
    const valid =
      parsed &&
      link &&
      !link.usedAt &&
      sameHash(link.tokenHash, sha256(parsed.secret)) &&
      Date.parse(link.expiresAt) > this.clock.now().getTime();
    if (!valid) throw new InvalidInputError('This login link is not valid any more.', 'link_invalid');
    const data = { ...link, usedAt: this.now() };
    await this.emit(
      { userId: link.userId, via: 'session' },
      { type: 'login-link.used', entityKey: `login-link:${link.linkId}`, projectId: null, data },
    );
    return link.userId;
  }

  async endSession(userId: string, sessionId: string): Promise<void> {
    const data = { sessionId, userId, endedAt: this.now() };
    await this.emit(
      { userId, via: 'session' },
      { type: 'session.ended', entityKey: `session:${sessionId}`, projectId: null, data },
    );
  }

  async deleteData(actor: Actor, projectId: string, scope: DataDeletionScope, target: string): Promise<void> {
    const project = this.state.projects.get(projectId);
    if (!project) throw new ProjectNotFoundError();
    const data = { projectId, scope, target, deletedAt: this.now() };
    await this.emit(actor, {
      type: 'data.deleted',
      entityKey: `tombstone:${projectId}:${scope}:${target}`,
      projectId,
      data,
    });
    if (scope === 'project') {
      await this.emit(actor, {
        type: 'project.deleted',
        entityKey: `project:${projectId}`,
        projectId,
        data: { ...project, deletedAt: data.deletedAt },
      });
    }
  }
}
