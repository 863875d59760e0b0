import type { UserState } from '@sightline/schemas';
import { ConflictError, InvalidInputError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import type { Command } from './command';

const MIN_PASSWORD = 10;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** A new account; `passwordHashEnc` is the sealed hash (null: sign in by link until one is set). */
export interface NewUser {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly passwordHashEnc: string | null;
}

export type RegisterUser = Command<'register-user', { user: NewUser }>;
export type SetPassword = Command<'set-password', { userId: string; passwordHashEnc: string }>;

/** Checked before hashing, which is slow and happens outside the decision. */
export function assertStrongPassword(password: string): void {
  if (password.length < MIN_PASSWORD) {
    throw new InvalidInputError(`Passwords need at least ${MIN_PASSWORD} characters.`, 'weak_password');
  }
}

/**
 * One account per email, compared case-insensitively; emails are stored lower-cased.
 * @throws InvalidInputError invalid_email; ConflictError email_taken
 */
export function registration(state: ControlState, user: NewUser, now: Date): NewControlEvent {
  const email = user.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw new InvalidInputError('That is not an email address.', 'invalid_email');
  if (state.userIdsByEmail.has(email))
    throw new ConflictError('This email is already registered.', 'email_taken');
  const data: UserState = {
    userId: user.userId,
    email,
    name: user.name.trim() || email,
    passwordHashEnc: user.passwordHashEnc,
    createdAt: now.toISOString(),
  };
  return { type: 'user.registered', entityKey: `user:${data.userId}`, projectId: null, data };
}

export const registerUser = (command: RegisterUser, state: ControlState): NewControlEvent[] => [
  registration(state, command.user, command.now),
];

/** @throws InvalidInputError unknown_user */
export function existingUser(state: ControlState, userId: string): UserState {
  const user = state.users.get(userId);
  if (!user) throw new InvalidInputError('Unknown user.', 'unknown_user');
  return user;
}

export function setPassword(command: SetPassword, state: ControlState): NewControlEvent[] {
  const data = { ...existingUser(state, command.userId), passwordHashEnc: command.passwordHashEnc };
  return [{ type: 'user.password-set', entityKey: `user:${data.userId}`, projectId: null, data }];
}
