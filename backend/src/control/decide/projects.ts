import type { DataDeletionScope, MembershipState, ProjectState } from '@sightline/schemas';
import { InvalidInputError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import { requireRole } from './authority';
import type { Command } from './command';
import { membershipChange } from './memberships';
import { existingUser } from './users';

export type CreateOrganization = Command<'create-organization', { organizationId: string; name: string }>;
export type CreateProject = Command<
  'create-project',
  { projectId: string; organizationId: string; name: string; ownerId: string }
>;
export type RenameProject = Command<'rename-project', { projectId: string; name: string }>;
export type DeleteData = Command<
  'delete-data',
  { projectId: string; scope: DataDeletionScope; target: string }
>;

const MAX_NAME = 128;

/** @throws InvalidInputError invalid_name */
export function requireName(name: string, what: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new InvalidInputError(`${what} needs a name.`, 'invalid_name');
  return trimmed;
}

export function createOrganization(command: CreateOrganization): NewControlEvent[] {
  const data = {
    organizationId: command.organizationId,
    name: requireName(command.name, 'An organization'),
    createdAt: command.now.toISOString(),
  };
  return [{ type: 'organization.created', entityKey: `org:${data.organizationId}`, projectId: null, data }];
}

/** Whether a signed-in user administers some project of the organization (or it is the system). */
function administersIn(state: ControlState, command: CreateProject): boolean {
  const { actor, organizationId } = command;
  if (actor.via === 'system') return true;
  return state.memberships.some(
    (m) =>
      m.userId === actor.userId &&
      (m.role === 'owner' || m.role === 'admin') &&
      state.projects.get(m.projectId)?.organizationId === organizationId,
  );
}

/**
 * A project is created with its owner: both events in one decision, so no project is ever ownerless.
 * Users create projects where they already administer one; other organizations look unknown.
 * @throws InvalidInputError unknown_org, invalid_name, unknown_user
 */
export function createProject(command: CreateProject, state: ControlState): NewControlEvent[] {
  if (!state.organizations.has(command.organizationId) || !administersIn(state, command))
    throw new InvalidInputError('Unknown organization.', 'unknown_org');
  const project: ProjectState = {
    projectId: command.projectId,
    organizationId: command.organizationId,
    name: requireName(command.name, 'A project'),
    createdAt: command.now.toISOString(),
    deletedAt: null,
  };
  existingUser(state, command.ownerId);
  const owner: MembershipState = { projectId: project.projectId, userId: command.ownerId, role: 'owner' };
  return [
    {
      type: 'project.created',
      entityKey: `project:${project.projectId}`,
      projectId: project.projectId,
      data: project,
    },
    membershipChange(owner),
  ];
}

/**
 * Admins rename their project; the same name again changes nothing.
 * @throws InvalidInputError invalid_name (blank or over 128 characters), ProjectNotFoundError, ForbiddenError below admin
 */
export function renameProject(command: RenameProject, state: ControlState): NewControlEvent[] {
  const { project } = requireRole(state, command.actor, command.projectId, 'admin');
  const name = requireName(command.name, 'A project');
  if (name.length > MAX_NAME)
    throw new InvalidInputError(`A project name has at most ${MAX_NAME} characters.`, 'invalid_name', 'name');
  if (name === project.name) return [];
  const data = { ...project, name };
  return [
    { type: 'project.renamed', entityKey: `project:${data.projectId}`, projectId: data.projectId, data },
  ];
}

/**
 * A tombstone for a trace, an end user or the whole project (which also ends the project, in the
 * same decision). Admins delete traces and end users' data; only owners delete a project.
 */
export function deleteData(command: DeleteData, state: ControlState): NewControlEvent[] {
  const { projectId, scope } = command;
  const { project } = requireRole(state, command.actor, projectId, scope === 'project' ? 'owner' : 'admin');
  const target = scope === 'project' ? projectId : command.target.trim();
  if (!target)
    throw new InvalidInputError('`target` names the trace or end user to delete.', 'missing_target');
  const deletedAt = command.now.toISOString();
  const tombstone = { projectId, scope, target, deletedAt };
  const events: NewControlEvent[] = [
    {
      type: 'data.deleted',
      entityKey: `tombstone:${projectId}:${scope}:${target}`,
      projectId,
      data: tombstone,
    },
  ];
  if (scope === 'project') {
    const data = { ...project, deletedAt };
    events.push({ type: 'project.deleted', entityKey: `project:${projectId}`, projectId, data });
  }
  return events;
}
