import { roleAtLeast, type Actor, type ProjectState, type Role } from '@sightline/schemas';
import { ForbiddenError, ProjectNotFoundError } from '../../common/errors';
import { assertNever } from '../../common/assert-never';
import { membershipKey, type ControlState } from '../control-state';

/** The user's role in the project; null when they are no member. */
export const roleIn = (state: ControlState, projectId: string, userId: string): Role | null =>
  state.memberships.get(membershipKey(projectId, userId))?.role ?? null;

/** API keys act as members of their project: they send and read data, they do not administer. */
export const API_KEY_ROLE: Role = 'member';

/**
 * The role `actor` acts with in a project: the system may do everything, a user what their
 * membership allows, an API key what a member may (its project was checked when it was authorized).
 */
export function roleOf(state: ControlState, actor: Actor, projectId: string): Role | undefined {
  switch (actor.via) {
    case 'system':
      return 'owner';
    case 'api-key':
      return API_KEY_ROLE;
    case 'session':
      return (actor.userId && roleIn(state, projectId, actor.userId)) || undefined;
    default:
      return assertNever(actor.via);
  }
}

/**
 * The live project and the actor's role there, if it is at least `needed`. Checked again at decision
 * time, against the state the events are appended to: a role lost a moment ago no longer counts.
 * @throws ProjectNotFoundError unknown, deleted or not the actor's; ForbiddenError role too low.
 */
export function requireRole(
  state: ControlState,
  actor: Actor,
  projectId: string,
  needed: Role,
): { project: ProjectState; role: Role } {
  const project = state.projects.get(projectId);
  const role = roleOf(state, actor, projectId);
  if (!project || project.deletedAt || !role) throw new ProjectNotFoundError();
  if (!roleAtLeast(role, needed)) throw new ForbiddenError();
  return { project, role };
}
