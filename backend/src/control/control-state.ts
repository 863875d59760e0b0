import type {
  ApiKeyState,
  ControlEvent,
  DataTombstone,
  InviteState,
  LoginLinkState,
  MembershipState,
  OrganizationState,
  ProjectState,
  UserState,
} from '@sightline/schemas';
import { assertNever } from '../common/assert-never';

/** Everything the control plane knows, rebuilt from the control topic by every instance. */
export interface ControlState {
  readonly users: ReadonlyMap<string, UserState>;
  /** Lower-cased email → user id. */
  readonly userIdsByEmail: ReadonlyMap<string, string>;
  readonly organizations: ReadonlyMap<string, OrganizationState>;
  readonly projects: ReadonlyMap<string, ProjectState>;
  /** `projectId/userId` → membership (role null once revoked). */
  readonly memberships: ReadonlyMap<string, MembershipState>;
  readonly apiKeys: ReadonlyMap<string, ApiKeyState>;
  readonly apiKeyLastUsed: ReadonlyMap<string, string>;
  readonly invites: ReadonlyMap<string, InviteState>;
  readonly loginLinks: ReadonlyMap<string, LoginLinkState>;
  readonly endedSessions: ReadonlySet<string>;
  /** `projectId/scope/target` → tombstone. */
  readonly tombstones: ReadonlyMap<string, DataTombstone>;
}

export const emptyControlState = (): ControlState => ({
  users: new Map(),
  userIdsByEmail: new Map(),
  organizations: new Map(),
  projects: new Map(),
  memberships: new Map(),
  apiKeys: new Map(),
  apiKeyLastUsed: new Map(),
  invites: new Map(),
  loginLinks: new Map(),
  endedSessions: new Set(),
  tombstones: new Map(),
});

export const membershipKey = (projectId: string, userId: string): string => `${projectId}/${userId}`;
export const tombstoneKey = (t: Pick<DataTombstone, 'projectId' | 'scope' | 'target'>): string =>
  `${t.projectId}/${t.scope}/${t.target}`;

function put<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  return new Map(map).set(key, value);
}

/** The state after `event`. Pure: copies only the collection that changed. */
export function evolve(state: ControlState, event: ControlEvent): ControlState {
  switch (event.type) {
    case 'user.registered':
    case 'user.password-set':
      return {
        ...state,
        users: put(state.users, event.data.userId, event.data),
        userIdsByEmail: put(state.userIdsByEmail, event.data.email.toLowerCase(), event.data.userId),
      };
    case 'organization.created':
      return { ...state, organizations: put(state.organizations, event.data.organizationId, event.data) };
    case 'project.created':
    case 'project.deleted':
      return { ...state, projects: put(state.projects, event.data.projectId, event.data) };
    case 'membership.granted':
    case 'membership.revoked':
      return {
        ...state,
        memberships: put(
          state.memberships,
          membershipKey(event.data.projectId, event.data.userId),
          event.data,
        ),
      };
    case 'api-key.created':
    case 'api-key.revoked':
      return { ...state, apiKeys: put(state.apiKeys, event.data.keyId, event.data) };
    case 'api-key.used':
      return { ...state, apiKeyLastUsed: put(state.apiKeyLastUsed, event.data.keyId, event.data.lastUsedAt) };
    case 'invite.created':
    case 'invite.accepted':
      return { ...state, invites: put(state.invites, event.data.inviteId, event.data) };
    case 'login-link.created':
    case 'login-link.used':
      return { ...state, loginLinks: put(state.loginLinks, event.data.linkId, event.data) };
    case 'session.ended':
      return { ...state, endedSessions: new Set(state.endedSessions).add(event.data.sessionId) };
    case 'data.deleted':
      return { ...state, tombstones: put(state.tombstones, tombstoneKey(event.data), event.data) };
    default:
      return assertNever(event);
  }
}
