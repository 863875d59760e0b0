import type { ApiKeyState } from '@sightline/schemas';
import { ProjectNotFoundError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import { requireRole } from './authority';
import type { Command } from './command';
import { requireName } from './projects';

/** The key's secret is shown once and never reaches a decision: only its hash and a preview. */
export type CreateApiKey = Command<
  'create-api-key',
  { keyId: string; projectId: string; name: string; secretHash: string; preview: string }
>;
export type RevokeApiKey = Command<'revoke-api-key', { projectId: string; keyId: string }>;
export type RecordKeyUse = Command<'record-key-use', { keyId: string }>;

/** Admins create keys for their project. */
export function createApiKey(command: CreateApiKey, state: ControlState): NewControlEvent[] {
  const { projectId, actor } = command;
  requireRole(state, actor, projectId, 'admin');
  const data: ApiKeyState = {
    keyId: command.keyId,
    projectId,
    name: requireName(command.name, 'A key'),
    secretHash: command.secretHash,
    preview: command.preview,
    createdAt: command.now.toISOString(),
    createdBy: actor.userId,
    revokedAt: null,
  };
  return [{ type: 'api-key.created', entityKey: `api-key:${data.keyId}`, projectId, data }];
}

/**
 * A revoked key stays revoked; revoking it again changes nothing. Another project's key looks unknown.
 * @throws ProjectNotFoundError; ForbiddenError below admin
 */
export function revokeApiKey(command: RevokeApiKey, state: ControlState): NewControlEvent[] {
  const { projectId, keyId } = command;
  requireRole(state, command.actor, projectId, 'admin');
  const key = state.apiKeys.get(keyId);
  if (!key || key.projectId !== projectId) throw new ProjectNotFoundError();
  if (key.revokedAt) return [];
  const data = { ...key, revokedAt: command.now.toISOString() };
  return [{ type: 'api-key.revoked', entityKey: `api-key:${keyId}`, projectId, data }];
}

/** When a key was last used (callers coalesce these to one per key and minute). */
export function recordKeyUse(command: RecordKeyUse, state: ControlState): NewControlEvent[] {
  const key = state.apiKeys.get(command.keyId);
  if (!key) return [];
  const data = { keyId: key.keyId, lastUsedAt: command.now.toISOString() };
  return [{ type: 'api-key.used', entityKey: `api-key-used:${key.keyId}`, projectId: key.projectId, data }];
}
