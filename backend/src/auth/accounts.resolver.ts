import { Inject } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { ApiKeyState, DataDeletionScope, Role } from '@sightline/schemas';
import { parseAuditDetail } from '../audit/audit-detail';
import { targetLabel, type CurrentNames } from '../audit/audit-labels';
import { AuditLogQuery, decodeAuditCursor, type AuditFilter } from '../audit/audit-log.query';
import { AppConfig } from '../config/app-config';
import { ControlPlane } from '../control/control-plane';
import { onceRequest } from '../control/idempotency';
import type { GraphqlContext } from '../graphql/graphql-context';
import { InvalidInputError, UnauthenticatedError } from '../common/errors';
import { actorOf, CallerResolver, type ProjectAccess } from './caller';
import { CreateApiKeyCommand, RevokeApiKeyCommand } from './commands/api-keys.commands';
import { CreateInviteCommand, RevokeInviteCommand } from './commands/invites.commands';
import {
  CreateProjectCommand,
  DeleteDataCommand,
  RenameProjectCommand,
  SetRoleCommand,
} from './commands/projects.commands';
import { callerOf } from './graphql-caller';

type GqlRole = 'OWNER' | 'ADMIN' | 'MEMBER' | 'VIEWER';
const toGql = (role: Role): GqlRole => role.toUpperCase() as GqlRole;
const fromGql = (role: GqlRole): Role => role.toLowerCase() as Role;
const ACTION_PREFIX = /^[a-z-]{1,64}(\.[a-z-]{1,64})?$/;

/** The GraphQL `AuditFilter`, checked. @throws InvalidInputError invalid_filter */
function auditFilter(filter: AuditFilter | null): AuditFilter {
  if (!filter) return {};
  const bad = (param: string, expected: string) =>
    new InvalidInputError(`filter.${param} must be ${expected}`, 'invalid_filter', `filter.${param}`);
  if (filter.actions && (filter.actions.length > 50 || !filter.actions.every((a) => ACTION_PREFIX.test(a))))
    throw bad('actions', 'at most 50 action prefixes such as `api-key` or `membership.granted`');
  for (const time of ['since', 'until'] as const) {
    const value = filter[time];
    if (value && !(Date.parse(value) >= 0 && Date.parse(value) < Date.UTC(2300, 0, 1)))
      throw bad(time, 'an ISO-8601 time');
  }
  return filter;
}

const SCOPES: Record<string, DataDeletionScope> = {
  TRACE: 'trace',
  END_USER: 'end-user',
  PROJECT: 'project',
};

@Resolver()
export class AccountsResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  private access(context: GraphqlContext, projectId: string | null | undefined, needed: Role) {
    const caller = callerOf(this.callers, context);
    return { caller, access: this.callers.authorize(caller, projectId, needed) };
  }

  private user(userId: string | null) {
    const user = userId ? this.control.current.users.get(userId) : undefined;
    return user ? { id: user.userId, email: user.email, name: user.name } : null;
  }

  private project(access: ProjectAccess) {
    const project = this.control.current.projects.get(access.projectId)!;
    const org = this.control.current.organizations.get(project.organizationId);
    return {
      id: project.projectId,
      name: project.name,
      organization: { id: project.organizationId, name: org?.name ?? '' },
      role: toGql(access.role),
      createdAt: project.createdAt,
    };
  }

  private apiKey(key: ApiKeyState) {
    return {
      id: key.keyId,
      name: key.name,
      preview: key.preview,
      createdAt: key.createdAt,
      createdBy: this.user(key.createdBy),
      lastUsedAt: this.control.current.apiKeyLastUsed.get(key.keyId) ?? null,
      revokedAt: key.revokedAt,
    };
  }

  @Query('viewer')
  viewer(@Context() context: GraphqlContext) {
    const caller = callerOf(this.callers, context);
    if (caller.kind !== 'session') throw new UnauthenticatedError('Sign in to see your account');
    const projects = [...this.control.current.memberships.values()]
      .filter(
        (m) =>
          m.userId === caller.userId && m.role && !this.control.current.projects.get(m.projectId)?.deletedAt,
      )
      .map((m) => this.project({ projectId: m.projectId, role: m.role! }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return { user: this.user(caller.userId), projects };
  }

  @Query('project')
  projectQuery(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    return this.project(this.access(context, projectId, 'viewer').access);
  }

  @Query('apiKeys')
  apiKeys(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    const { access } = this.access(context, projectId, 'admin');
    return [...this.control.current.apiKeys.values()]
      .filter((k) => k.projectId === access.projectId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((k) => this.apiKey(k));
  }

  @Query('members')
  members(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    const { access } = this.access(context, projectId, 'viewer');
    return [...this.control.current.memberships.values()]
      .filter((m) => m.projectId === access.projectId && m.role)
      .map((m) => ({ user: this.user(m.userId), role: toGql(m.role!) }));
  }

  @Query('invites')
  invites(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    const { access } = this.access(context, projectId, 'admin');
    const now = Date.now();
    return [...this.control.current.invites.values()]
      .filter((i) => i.projectId === access.projectId && !i.acceptedBy)
      .sort((a, b) => b.expiresAt.localeCompare(a.expiresAt))
      .map((i) => ({
        id: i.inviteId,
        role: toGql(i.role),
        email: i.email,
        expiresAt: i.expiresAt,
        expired: Date.parse(i.expiresAt) < now,
        invitedBy: this.user(i.invitedBy ?? null),
      }));
  }

  @Query('auditLog')
  async auditLog(
    @Args('projectId') projectId: string | null,
    @Args('first') first: number,
    @Args('before') before: string | null,
    @Args('filter') filter: AuditFilter | null,
    @Context() context: GraphqlContext,
  ) {
    const { access } = this.access(context, projectId, 'admin');
    if (!Number.isInteger(first) || first < 1 || first > 200) {
      throw new InvalidInputError('first must be between 1 and 200', 'invalid_page_size');
    }
    const cursor = before ? decodeAuditCursor(before) : undefined;
    if (before && !cursor) throw new InvalidInputError('`before` is not a cursor', 'invalid_cursor');
    const page = await this.queries.execute(
      new AuditLogQuery(access.projectId, first, cursor, auditFilter(filter)),
    );
    const names: CurrentNames = {
      userEmail: (id) => this.control.current.users.get(id)?.email,
      keyName: (id) => this.control.current.apiKeys.get(id)?.name,
    };
    return {
      entries: page.rows.map((r) => ({
        id: r.event_id,
        occurredAt: r.occurred_at,
        actor:
          this.user(r.actor_user_id || null)?.email ?? (r.actor_via === 'api-key' ? 'api key' : 'system'),
        action: r.action,
        target: r.target,
        targetLabel: targetLabel({ ...r, detail: parseAuditDetail(r.detail) }, names),
      })),
      nextCursor: page.nextCursor,
    };
  }

  @Mutation('createProject')
  async createProject(
    @Args('organizationId') organizationId: string,
    @Args('name') name: string,
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    if (caller.kind !== 'session') throw new UnauthenticatedError('Sign in to create projects');
    const project = await this.commands.execute(
      new CreateProjectCommand(actorOf(caller), organizationId, name, caller.userId),
    );
    return this.project({ projectId: project.projectId, role: 'owner' });
  }

  @Mutation('createApiKey')
  async createApiKey(
    @Args('projectId') projectId: string | null,
    @Args('name') name: string,
    @Args('idempotencyKey') idempotencyKey: string | null,
    @Context() context: GraphqlContext,
  ) {
    const { caller, access } = this.access(context, projectId, 'admin');
    const actor = actorOf(caller);
    const once = onceRequest(actor, access.projectId, 'createApiKey', idempotencyKey, { name });
    const { key, full } = await this.commands.execute(
      new CreateApiKeyCommand(actor, access.projectId, name, once),
    );
    return { apiKey: this.apiKey(key), secret: full };
  }

  @Mutation('revokeApiKey')
  async revokeApiKey(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ) {
    const { caller, access } = this.access(context, projectId, 'admin');
    const key = await this.commands.execute(new RevokeApiKeyCommand(actorOf(caller), access.projectId, id));
    return this.apiKey(key);
  }

  @Mutation('createInvite')
  async createInvite(
    @Args('projectId') projectId: string | null,
    @Args('role') role: GqlRole,
    @Args('email') email: string | null,
    @Args('idempotencyKey') idempotencyKey: string | null,
    @Context() context: GraphqlContext,
  ) {
    const { caller, access } = this.access(context, projectId, 'admin');
    const actor = actorOf(caller);
    const once = onceRequest(actor, access.projectId, 'createInvite', idempotencyKey, { role, email });
    const { invite, token } = await this.commands.execute(
      new CreateInviteCommand(actor, access.projectId, fromGql(role), email, once),
    );
    return {
      id: invite.inviteId,
      role,
      email: invite.email,
      expiresAt: invite.expiresAt,
      url: `${this.config.publicUrl}/invite/${token}`,
    };
  }

  @Mutation('revokeInvite')
  async revokeInvite(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ) {
    const { caller, access } = this.access(context, projectId, 'admin');
    await this.commands.execute(new RevokeInviteCommand(actorOf(caller), access.projectId, id));
    return true;
  }

  @Mutation('renameProject')
  async renameProject(
    @Args('projectId') projectId: string | null,
    @Args('name') name: string,
    @Context() context: GraphqlContext,
  ) {
    const { caller, access } = this.access(context, projectId, 'admin');
    await this.commands.execute(new RenameProjectCommand(actorOf(caller), access.projectId, name));
    return this.project(access);
  }

  @Mutation('setMemberRole')
  async setMemberRole(
    @Args('projectId') projectId: string | null,
    @Args('userId') userId: string,
    @Args('role') role: GqlRole,
    @Context() context: GraphqlContext,
  ) {
    const { caller, access } = this.access(context, projectId, 'admin');
    await this.commands.execute(new SetRoleCommand(actorOf(caller), access.projectId, userId, fromGql(role)));
    return { user: this.user(userId), role };
  }

  @Mutation('removeMember')
  async removeMember(
    @Args('projectId') projectId: string | null,
    @Args('userId') userId: string,
    @Context() context: GraphqlContext,
  ) {
    const { caller, access } = this.access(context, projectId, 'admin');
    await this.commands.execute(new SetRoleCommand(actorOf(caller), access.projectId, userId, null));
    return true;
  }

  @Mutation('deleteData')
  async deleteData(
    @Args('projectId') projectId: string | null,
    @Args('scope') scope: string,
    @Args('target') target: string | null,
    @Context() context: GraphqlContext,
  ) {
    const deletion = SCOPES[scope];
    const { caller, access } = this.access(context, projectId, deletion === 'project' ? 'owner' : 'admin');
    await this.commands.execute(
      new DeleteDataCommand(actorOf(caller), access.projectId, deletion, target ?? ''),
    );
    return true;
  }
}
