import { assignableRoles, canManageMember, type MembershipState, type Role } from '@sightline/schemas';
import { ConflictError, InvalidInputError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import { membershipKey, type ControlState } from '../control-state';
import { requireRole, roleIn } from './authority';
import type { Command } from './command';
import { existingUser } from './users';

/** Give a member another role, or remove them (`role` null). */
export type SetRole = Command<'set-role', { projectId: string; userId: string; role: Role | null }>;

export const membershipChange = (data: MembershipState): NewControlEvent => ({
  type: data.role ? 'membership.granted' : 'membership.revoked',
  entityKey: `membership:${membershipKey(data.projectId, data.userId)}`,
  projectId: data.projectId,
  data,
});

/**
 * The rules every change of a membership keeps, whatever path it comes by: the actor could give
 * both the current and the new role directly (admins manage roles up to admin, only owners touch
 * owners), and a project always keeps an owner (e.g. of two owners leaving at once, one stays).
 * @throws InvalidInputError role_too_high; ConflictError last_owner
 */
function assertMayChange(
  state: ControlState,
  actorRole: Role,
  change: { projectId: string; userId: string; role: Role | null },
): void {
  const current = roleIn(state, change.projectId, change.userId);
  if (
    (current && !canManageMember(actorRole, current)) ||
    (change.role && !assignableRoles(actorRole).includes(change.role))
  )
    throw new InvalidInputError('Only owners change owners.', 'role_too_high');
  const owners = state.memberships.count((m) => m.projectId === change.projectId && m.role === 'owner');
  if (current === 'owner' && change.role !== 'owner' && owners === 1)
    throw new ConflictError('A project keeps at least one owner.', 'last_owner');
}

/**
 * Members join through invites (or directly when the system adds them, e.g. at first start);
 * admins then change or remove them within the rules above. Setting the role a member has changes nothing.
 * @throws InvalidInputError unknown_user, not_a_member, role_too_high; ConflictError last_owner; ForbiddenError
 */
export function setRole(command: SetRole, state: ControlState): NewControlEvent[] {
  const { projectId, userId, role } = command;
  const { role: actorRole } = requireRole(state, command.actor, projectId, 'admin');
  const current = roleIn(state, projectId, userId);
  if (!current && command.actor.via !== 'system')
    throw new InvalidInputError('Not a member of this project.', 'not_a_member');
  existingUser(state, userId);
  assertMayChange(state, actorRole, command);
  return current === role ? [] : [membershipChange({ projectId, userId, role })];
}
