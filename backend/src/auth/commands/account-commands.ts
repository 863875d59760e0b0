import { CreateApiKeyHandler, RevokeApiKeyHandler } from './api-keys.commands';
import { AcceptInviteHandler, CreateInviteHandler, RevokeInviteHandler } from './invites.commands';
import {
  CreateOrganizationHandler,
  CreateProjectHandler,
  DeleteDataHandler,
  RenameProjectHandler,
  SetRoleHandler,
} from './projects.commands';
import { CreateLoginLinkHandler, EndSessionHandler, UseLoginLinkHandler } from './sessions.commands';
import { RegisterUserHandler, SetPasswordHandler } from './users.commands';

/** Every command on accounts, projects, memberships, keys, invites and sessions. */
export const ACCOUNT_COMMAND_HANDLERS = [
  RegisterUserHandler,
  SetPasswordHandler,
  CreateOrganizationHandler,
  CreateProjectHandler,
  RenameProjectHandler,
  SetRoleHandler,
  DeleteDataHandler,
  CreateApiKeyHandler,
  RevokeApiKeyHandler,
  CreateInviteHandler,
  AcceptInviteHandler,
  RevokeInviteHandler,
  CreateLoginLinkHandler,
  UseLoginLinkHandler,
  EndSessionHandler,
];
