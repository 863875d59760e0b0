import { assignableRoles, roleAtLeast, type InviteState, type Role } from '@sightline/schemas';
import { InvalidInputError, NotFoundError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import { parseToken, sameHash, sha256 } from '../credentials';
import { requireRole, roleIn, roleOf } from './authority';
import { addMs, type Command } from './command';
import { membershipChange } from './memberships';
import { existingUser, registration, type NewUser } from './users';

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

/** `email`: only that address may accept (null: anyone with the link). `tokenHash`: sha256 of its secret. */
export type CreateInvite = Command<
  'create-invite',
  { inviteId: string; projectId: string; role: Role; email: string | null; tokenHash: string }
>;
/** Accept as an existing user, or as a new account registered in the same decision. */
export type AcceptInvite = Command<
  'accept-invite',
  { token: string; joining: { userId: string } | { user: NewUser } }
>;

/** Withdraw an invite nobody used yet. */
export type RevokeInvite = Command<'revoke-invite', { projectId: string; inviteId: string }>;

const invalid = () => new InvalidInputError('This invite link is not valid.', 'invite_invalid');

/** An invite carries its sender's authority: they may give its role, up to their own. */
export function createInvite(command: CreateInvite, state: ControlState): NewControlEvent[] {
  const { projectId, role, actor } = command;
  if (!assignableRoles(requireRole(state, actor, projectId, 'admin').role).includes(role))
    throw new InvalidInputError('Only owners invite owners.', 'role_too_high');
  const data: InviteState = {
    inviteId: command.inviteId,
    projectId,
    role,
    email: command.email?.trim().toLowerCase() || null,
    tokenHash: command.tokenHash,
    expiresAt: addMs(command.now, INVITE_TTL_MS),
    acceptedBy: null,
    invitedBy: actor.userId,
  };
  return [{ type: 'invite.created', entityKey: `invite:${data.inviteId}`, projectId, data }];
}

/**
 * The open invite behind `token`: unused, unexpired, in a live project, and its sender may still
 * give its role (an admin removed since cannot hand out admin through an old link).
 * @throws InvalidInputError invite_invalid, invite_expired
 */
export function openInvite(state: ControlState, token: string, now: Date): InviteState {
  const parsed = parseToken(token);
  const invite = parsed && state.invites.get(parsed.id);
  if (!parsed || !invite || !sameHash(invite.tokenHash, sha256(parsed.secret)) || invite.acceptedBy)
    throw invalid();
  if (Date.parse(invite.expiresAt) < now.getTime())
    throw new InvalidInputError('This invite link has expired.', 'invite_expired');
  if (state.projects.get(invite.projectId)?.deletedAt) throw invalid();
  if (invite.invitedBy) {
    const sender = roleOf(state, { userId: invite.invitedBy, via: 'session' }, invite.projectId);
    if (!sender || !assignableRoles(sender).includes(invite.role)) throw invalid();
  }
  return invite;
}

/**
 * Joining is one decision: the new account (if any), the membership and the used invite, so two
 * people racing for one invite cannot both get in. An invite only ever raises a role: a sole owner
 * who follows a viewer link to their own project stays owner, and an admin cannot demote an owner
 * by sending them one.
 * @throws InvalidInputError invite_invalid, invite_expired, invite_email_mismatch, and those of registration
 */
export function acceptInvite(command: AcceptInvite, state: ControlState): NewControlEvent[] {
  const invite = openInvite(state, command.token, command.now);
  const { joining } = command;
  const email =
    'user' in joining ? joining.user.email.trim().toLowerCase() : existingUser(state, joining.userId).email;
  if (invite.email && invite.email !== email)
    throw new InvalidInputError('This invite is for another email address.', 'invite_email_mismatch');
  const events = 'user' in joining ? [registration(state, joining.user, command.now)] : [];
  const userId = 'user' in joining ? joining.user.userId : joining.userId;
  const current = roleIn(state, invite.projectId, userId);
  if (!current || !roleAtLeast(current, invite.role))
    events.push(membershipChange({ projectId: invite.projectId, userId, role: invite.role }));
  const data = { ...invite, acceptedBy: userId };
  events.push({
    type: 'invite.accepted',
    entityKey: `invite:${data.inviteId}`,
    projectId: data.projectId,
    data,
  });
  return events;
}

/**
 * Admins withdraw an open invite of their project: its link stops working at once. An invite
 * already used, already revoked or of another project is not found.
 * @throws NotFoundError invite_not_found, ProjectNotFoundError, ForbiddenError below admin
 */
export function revokeInvite(command: RevokeInvite, state: ControlState): NewControlEvent[] {
  const { projectId, inviteId, actor } = command;
  requireRole(state, actor, projectId, 'admin');
  const invite = state.invites.get(inviteId);
  if (!invite || invite.projectId !== projectId || invite.acceptedBy)
    throw new NotFoundError('No open invite with this id.', 'invite_not_found');
  return [{ type: 'invite.revoked', entityKey: `invite:${inviteId}`, projectId, data: invite }];
}
