import { assertNever } from '../../common/assert-never';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import {
  createApiKey,
  recordKeyUse,
  revokeApiKey,
  type CreateApiKey,
  type RecordKeyUse,
  type RevokeApiKey,
} from './api-keys';
import {
  createBudget,
  raiseBudgetAlert,
  removeBudget,
  updateBudget,
  type CreateBudget,
  type RaiseBudgetAlert,
  type RemoveBudget,
  type UpdateBudget,
} from './budgets';
import {
  removeCustomPrice,
  setCustomPrice,
  type RemoveCustomPrice,
  type SetCustomPrice,
} from './custom-prices';
import {
  cancelExperiment,
  endExperiment,
  resumeExperiment,
  startExperiment,
  type CancelExperiment,
  type EndExperiment,
  type ResumeExperiment,
  type StartExperiment,
} from './experiments';
import { setRetention, type SetRetention } from './retention';
import {
  createPromptVersion,
  setPromptLabel,
  type CreatePromptVersion,
  type SetPromptLabel,
} from './prompts';
import { setRedaction, type SetRedaction } from './redaction';
import {
  acceptInvite,
  createInvite,
  revokeInvite,
  type AcceptInvite,
  type CreateInvite,
  type RevokeInvite,
} from './invites';
import { setRole, type SetRole } from './memberships';
import {
  addProjectModel,
  removeProjectModel,
  type AddProjectModel,
  type RemoveProjectModel,
} from './project-models';
import {
  createOrganization,
  createProject,
  deleteData,
  renameProject,
  type CreateOrganization,
  type CreateProject,
  type DeleteData,
  type RenameProject,
} from './projects';
import {
  createLoginLink,
  endSession,
  useLoginLink,
  type CreateLoginLink,
  type EndSession,
  type UseLoginLink,
} from './sessions';
import {
  addProviderCredential,
  removeProviderCredential,
  rotateProviderCredential,
  type AddProviderCredential,
  type RemoveProviderCredential,
  type RotateProviderCredential,
} from './provider-credentials';
import {
  createView,
  deleteView,
  renameView,
  updateView,
  type CreateView,
  type DeleteView,
  type RenameView,
  type UpdateView,
} from './views';
import { registerUser, setPassword, type RegisterUser, type SetPassword } from './users';

export type ControlCommand =
  | RegisterUser
  | SetPassword
  | CreateLoginLink
  | UseLoginLink
  | EndSession
  | CreateOrganization
  | CreateProject
  | DeleteData
  | RenameProject
  | SetRole
  | CreateInvite
  | AcceptInvite
  | RevokeInvite
  | CreateApiKey
  | RevokeApiKey
  | RecordKeyUse
  | AddProviderCredential
  | RotateProviderCredential
  | RemoveProviderCredential
  | AddProjectModel
  | RemoveProjectModel
  | CreateBudget
  | UpdateBudget
  | RemoveBudget
  | RaiseBudgetAlert
  | SetCustomPrice
  | RemoveCustomPrice
  | SetRetention
  | CreatePromptVersion
  | SetPromptLabel
  | SetRedaction
  | StartExperiment
  | CancelExperiment
  | ResumeExperiment
  | EndExperiment
  | CreateView
  | UpdateView
  | RenameView
  | DeleteView;

/**
 * The control plane's rules: the events `command` causes in `state`, all appended together, or a
 * typed error. Pure and synchronous: time, ids and hashes come in the command.
 */
export function decide(command: ControlCommand, state: ControlState): NewControlEvent[] {
  switch (command.type) {
    case 'register-user':
      return registerUser(command, state);
    case 'set-password':
      return setPassword(command, state);
    case 'create-login-link':
      return createLoginLink(command, state);
    case 'use-login-link':
      return useLoginLink(command, state);
    case 'end-session':
      return endSession(command, state);
    case 'create-organization':
      return createOrganization(command);
    case 'create-project':
      return createProject(command, state);
    case 'delete-data':
      return deleteData(command, state);
    case 'rename-project':
      return renameProject(command, state);
    case 'revoke-invite':
      return revokeInvite(command, state);
    case 'set-role':
      return setRole(command, state);
    case 'create-invite':
      return createInvite(command, state);
    case 'accept-invite':
      return acceptInvite(command, state);
    case 'create-api-key':
      return createApiKey(command, state);
    case 'revoke-api-key':
      return revokeApiKey(command, state);
    case 'record-key-use':
      return recordKeyUse(command, state);
    case 'add-provider-credential':
      return addProviderCredential(command, state);
    case 'rotate-provider-credential':
      return rotateProviderCredential(command, state);
    case 'remove-provider-credential':
      return removeProviderCredential(command, state);
    case 'add-project-model':
      return addProjectModel(command, state);
    case 'remove-project-model':
      return removeProjectModel(command, state);
    case 'create-budget':
      return createBudget(command, state);
    case 'update-budget':
      return updateBudget(command, state);
    case 'remove-budget':
      return removeBudget(command, state);
    case 'raise-budget-alert':
      return raiseBudgetAlert(command, state);
    case 'set-custom-price':
      return setCustomPrice(command, state);
    case 'set-retention':
      return setRetention(command, state);
    case 'remove-custom-price':
      return removeCustomPrice(command, state);
    case 'create-prompt-version':
      return createPromptVersion(command, state);
    case 'set-prompt-label':
      return setPromptLabel(command, state);
    case 'set-redaction':
      return setRedaction(command, state);
    case 'start-experiment':
      return startExperiment(command, state);
    case 'cancel-experiment':
      return cancelExperiment(command, state);
    case 'resume-experiment':
      return resumeExperiment(command, state);
    case 'end-experiment':
      return endExperiment(command, state);
    case 'create-view':
      return createView(command, state);
    case 'update-view':
      return updateView(command, state);
    case 'rename-view':
      return renameView(command, state);
    case 'delete-view':
      return deleteView(command, state);
    default:
      return assertNever(command);
  }
}
