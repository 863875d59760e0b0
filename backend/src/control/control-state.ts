import type {
  ApiKeyState,
  BudgetAlertState,
  BudgetState,
  CustomPriceState,
  ControlEvent,
  DataTombstone,
  ExperimentLeaseState,
  ExperimentState,
  IdempotencyRecordState,
  InviteState,
  LoginLinkState,
  MembershipState,
  OrganizationState,
  ProjectState,
  ProjectModelState,
  ProjectRetentionState,
  PromptLabelsState,
  PromptVersionState,
  ProviderCredentialState,
  RedactionSettingsState,
  SavedViewState,
  UserState,
} from '@sightline/schemas';
import { List, Map, Set } from 'immutable';
import { assertNever } from '../common/assert-never';

/**
 * Everything the control plane knows, rebuilt from the control topic by every instance.
 * Persistent (immutable.js) collections: a change shares all but a path of the old one, so an
 * event costs O(log n) instead of a copy, and readers keep a consistent snapshot for free.
 */
export interface ControlState {
  readonly users: Map<string, UserState>;
  /** Lower-cased email → user id. */
  readonly userIdsByEmail: Map<string, string>;
  readonly organizations: Map<string, OrganizationState>;
  readonly projects: Map<string, ProjectState>;
  /** `projectId/userId` → membership (role null once revoked). */
  readonly memberships: Map<string, MembershipState>;
  readonly apiKeys: Map<string, ApiKeyState>;
  readonly apiKeyLastUsed: Map<string, string>;
  readonly invites: Map<string, InviteState>;
  readonly loginLinks: Map<string, LoginLinkState>;
  readonly endedSessions: Set<string>;
  /** `projectId/scope/target` → tombstone. */
  readonly tombstones: Map<string, DataTombstone>;
  /** Credential id → a project's provider credential (kept once removed, without its secret). */
  readonly providerCredentials: Map<string, ProviderCredentialState>;
  /** Model id → a project's own model (removed ones kept, `removedAt` set). */
  readonly projectModels: Map<string, ProjectModelState>;
  /** Budget id → a project's spend limit (removed ones kept, `removedAt` set). */
  readonly budgets: Map<string, BudgetState>;
  /** Custom prices by price id (removed ones kept, marked). */
  readonly customPrices: Map<string, CustomPriceState>;
  /** {@link promptKey} → the prompt's versions, oldest first. */
  readonly promptVersions: Map<string, List<PromptVersionState>>;
  /** {@link promptKey} → the prompt's labels (label → version). */
  readonly promptLabels: Map<string, PromptLabelsState>;
  /** {@link budgetAlertKey} → the alert raised for that budget, level, subject and window. */
  readonly budgetAlerts: Map<string, BudgetAlertState>;
  /** Project id → its redaction rules (absent: none set, only credentials are masked). */
  readonly redaction: Map<string, RedactionSettingsState>;
  /** Project id → how long it keeps its LLM data (absent: for ever). */
  readonly retention: Map<string, ProjectRetentionState>;
  /** Experiment id → a bulk replay's definition and status. */
  readonly experiments: Map<string, ExperimentState>;
  /** View id → a saved view of the traces list (deleted ones kept, `deletedAt` set). */
  readonly views: Map<string, SavedViewState>;
  /** {@link idempotencyKey} → what a mutation retried with that key finds. */
  readonly idempotency: Map<string, IdempotencyRecordState>;
  /** Experiment id → which process runs it, until when. */
  readonly experimentLeases: Map<string, ExperimentLeaseState>;
}

export const emptyControlState = (): ControlState => ({
  users: Map(),
  userIdsByEmail: Map(),
  organizations: Map(),
  projects: Map(),
  memberships: Map(),
  apiKeys: Map(),
  apiKeyLastUsed: Map(),
  invites: Map(),
  loginLinks: Map(),
  endedSessions: Set(),
  tombstones: Map(),
  providerCredentials: Map(),
  projectModels: Map(),
  budgets: Map(),
  customPrices: Map(),
  promptVersions: Map(),
  promptLabels: Map(),
  budgetAlerts: Map(),
  redaction: Map(),
  retention: Map(),
  experiments: Map(),
  views: Map(),
  idempotency: Map(),
  experimentLeases: Map(),
});

/** A prompt is its project and name. */
export const promptKey = (projectId: string, name: string): string => `${projectId}/${name}`;

/** A mutation's idempotency record is its project, mutation and the hash of the client's key. */
export const idempotencyKey = (
  r: Pick<IdempotencyRecordState, 'projectId' | 'mutation' | 'keyHash'>,
): string => `${r.projectId}/${r.mutation}/${r.keyHash}`;

export const membershipKey = (projectId: string, userId: string): string => `${projectId}/${userId}`;
export const tombstoneKey = (t: Pick<DataTombstone, 'projectId' | 'scope' | 'target'>): string =>
  `${t.projectId}/${t.scope}/${t.target}`;

export const budgetAlertKey = (
  a: Pick<BudgetAlertState, 'budgetId' | 'level' | 'windowStart' | 'subject'>,
): string => `${a.budgetId}/${a.level}/${a.windowStart}/${a.subject ?? ''}`;

/** The state after `event`. Pure: the old state stays as it was. */
export function evolve(state: ControlState, event: ControlEvent): ControlState {
  switch (event.type) {
    case 'user.registered':
    case 'user.password-set':
      return {
        ...state,
        users: state.users.set(event.data.userId, event.data),
        userIdsByEmail: state.userIdsByEmail.set(event.data.email.toLowerCase(), event.data.userId),
      };
    case 'organization.created':
      return { ...state, organizations: state.organizations.set(event.data.organizationId, event.data) };
    case 'project.created':
    case 'project.deleted':
    case 'project.renamed':
      return { ...state, projects: state.projects.set(event.data.projectId, event.data) };
    case 'membership.granted':
    case 'membership.revoked':
      return {
        ...state,
        memberships: state.memberships.set(
          membershipKey(event.data.projectId, event.data.userId),
          event.data,
        ),
      };
    case 'api-key.created':
    case 'api-key.revoked':
      return { ...state, apiKeys: state.apiKeys.set(event.data.keyId, event.data) };
    case 'api-key.used':
      return { ...state, apiKeyLastUsed: state.apiKeyLastUsed.set(event.data.keyId, event.data.lastUsedAt) };
    case 'invite.created':
    case 'invite.accepted':
      return { ...state, invites: state.invites.set(event.data.inviteId, event.data) };
    case 'invite.revoked':
      return { ...state, invites: state.invites.delete(event.data.inviteId) };
    case 'login-link.created':
    case 'login-link.used':
      return { ...state, loginLinks: state.loginLinks.set(event.data.linkId, event.data) };
    case 'session.ended':
      return { ...state, endedSessions: state.endedSessions.add(event.data.sessionId) };
    case 'data.deleted':
      return { ...state, tombstones: state.tombstones.set(tombstoneKey(event.data), event.data) };
    case 'provider-credential.added':
    case 'provider-credential.rotated':
    case 'provider-credential.removed':
      return {
        ...state,
        providerCredentials: state.providerCredentials.set(event.data.credentialId, event.data),
      };
    case 'project-model.added':
    case 'project-model.removed':
      return { ...state, projectModels: state.projectModels.set(event.data.modelId, event.data) };
    case 'budget.created':
    case 'budget.updated':
    case 'budget.removed':
      return { ...state, budgets: state.budgets.set(event.data.budgetId, event.data) };
    case 'budget.alerted':
      return { ...state, budgetAlerts: state.budgetAlerts.set(budgetAlertKey(event.data), event.data) };
    case 'custom-price.set':
    case 'custom-price.removed':
      return { ...state, customPrices: state.customPrices.set(event.data.priceId, event.data) };
    case 'prompt.version-created': {
      const key = promptKey(event.data.projectId, event.data.name);
      const versions = state.promptVersions.get(key) ?? List<PromptVersionState>();
      // Replaying the log may bring a version twice (compaction keeps every version's last event).
      if (versions.some((v) => v.version === event.data.version)) return state;
      return { ...state, promptVersions: state.promptVersions.set(key, versions.push(event.data)) };
    }
    case 'project.retention-set':
      return { ...state, retention: state.retention.set(event.data.projectId, event.data) };
    case 'prompt.labels-set':
      return {
        ...state,
        promptLabels: state.promptLabels.set(promptKey(event.data.projectId, event.data.name), event.data),
      };
    case 'view.saved':
    case 'view.deleted':
      return { ...state, views: state.views.set(event.data.viewId, event.data) };
    case 'redaction.set':
      return { ...state, redaction: state.redaction.set(event.data.projectId, event.data) };
    case 'experiment.started':
    case 'experiment.cancelled':
    case 'experiment.resumed':
    case 'experiment.finished':
    case 'experiment.failed':
      return { ...state, experiments: state.experiments.set(event.data.experimentId, event.data) };
    case 'experiment.run-claimed':
      return { ...state, experimentLeases: state.experimentLeases.set(event.data.experimentId, event.data) };
    case 'idempotency.claimed':
    case 'idempotency.recorded':
    case 'idempotency.released':
      return { ...state, idempotency: state.idempotency.set(idempotencyKey(event.data), event.data) };
    default:
      return assertNever(event);
  }
}
