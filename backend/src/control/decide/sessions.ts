import type { LoginLinkState } from '@sightline/schemas';
import { InvalidInputError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import { parseToken, sameHash, sha256 } from '../credentials';
import { addMs, type Command } from './command';
import { existingUser } from './users';

const LOGIN_LINK_TTL_MS = 24 * 3600 * 1000;

/** `tokenHash`: sha256 of the link's secret, which only its recipient gets. */
export type CreateLoginLink = Command<
  'create-login-link',
  { linkId: string; userId: string; tokenHash: string }
>;
export type UseLoginLink = Command<'use-login-link', { token: string }>;
export type EndSession = Command<'end-session', { sessionId: string; userId: string }>;

export function createLoginLink(command: CreateLoginLink, state: ControlState): NewControlEvent[] {
  existingUser(state, command.userId);
  const data: LoginLinkState = {
    linkId: command.linkId,
    userId: command.userId,
    tokenHash: command.tokenHash,
    expiresAt: addMs(command.now, LOGIN_LINK_TTL_MS),
    usedAt: null,
  };
  return [{ type: 'login-link.created', entityKey: `login-link:${data.linkId}`, projectId: null, data }];
}

/** A login link works once, within a day. @throws InvalidInputError link_invalid */
export function useLoginLink(command: UseLoginLink, state: ControlState): NewControlEvent[] {
  const parsed = parseToken(command.token);
  const link = parsed && state.loginLinks.get(parsed.id);
  const valid =
    parsed &&
    link &&
    !link.usedAt &&
    sameHash(link.tokenHash, sha256(parsed.secret)) &&
    Date.parse(link.expiresAt) > command.now.getTime();
  if (!valid) throw new InvalidInputError('This login link is not valid any more.', 'link_invalid');
  const data = { ...link, usedAt: command.now.toISOString() };
  return [{ type: 'login-link.used', entityKey: `login-link:${data.linkId}`, projectId: null, data }];
}

/** Ending a session twice changes nothing. */
export function endSession(command: EndSession, state: ControlState): NewControlEvent[] {
  if (state.endedSessions.has(command.sessionId)) return [];
  const data = { sessionId: command.sessionId, userId: command.userId, endedAt: command.now.toISOString() };
  return [{ type: 'session.ended', entityKey: `session:${data.sessionId}`, projectId: null, data }];
}
