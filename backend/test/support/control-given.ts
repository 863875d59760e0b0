import type { Actor, InviteState, Role, UserState } from '@sightline/schemas';
import { controlEvent, SYSTEM, type NewControlEvent } from '../../src/control/control-events';
import { emptyControlState, evolve, type ControlState } from '../../src/control/control-state';
import { sha256 } from '../../src/control/credentials';
import { decide, type ControlCommand } from '../../src/control/decide/decide';
import { ForbiddenError, ProjectNotFoundError } from '../../src/common/errors';

/** The time every test command runs at. */
export const NOW = new Date('2026-06-01T12:00:00.000Z');
const LONG_AGO = '2026-01-01T00:00:00.000Z';

type Outcome = { events: NewControlEvent[] } | { error: unknown };

/**
 * Given these events happened, when `command` is decided, then these events follow (in this
 * order), or it is refused with this error:
 *   given(user('ann'), project('p'), member('p', 'ann', 'owner')).when(cmd).then(...events)
 */
export function given(...history: NewControlEvent[]) {
  const state: ControlState = history
    .map((e) => controlEvent(SYSTEM, NOW, e))
    .reduce(evolve, emptyControlState());
  return {
    state,
    when(command: ControlCommand) {
      let outcome: Outcome;
      try {
        outcome = { events: decide(command, state) };
      } catch (error) {
        outcome = { error };
      }
      return {
        then(...expected: NewControlEvent[]) {
          if ('error' in outcome) throw outcome.error;
          expect(outcome.events).toEqual(expected);
        },
        /** Refused with an error of `type`, and this stable reason when one is given. */
        thenFails(type: abstract new (...args: never[]) => Error, reason?: string) {
          expect('error' in outcome ? outcome.error : outcome.events).toBeInstanceOf(type);
          if (reason) expect(outcome).toMatchObject({ error: { reason } });
        },
      };
    },
  };
}

// ---- Events for `given` ----

export const user = (
  id: string,
  email = `${id}@example.com`,
  over: Partial<UserState> = {},
): NewControlEvent => ({
  type: 'user.registered',
  entityKey: `user:${id}`,
  projectId: null,
  data: { userId: id, email, name: id, passwordHashEnc: null, createdAt: LONG_AGO, ...over },
});

export const organization = (id: string): NewControlEvent => ({
  type: 'organization.created',
  entityKey: `org:${id}`,
  projectId: null,
  data: { organizationId: id, name: id, createdAt: LONG_AGO },
});

export const project = (id: string, organizationId = 'org'): NewControlEvent => ({
  type: 'project.created',
  entityKey: `project:${id}`,
  projectId: id,
  data: { projectId: id, organizationId, name: id, createdAt: LONG_AGO, deletedAt: null },
});

export const projectDeleted = (id: string, organizationId = 'org'): NewControlEvent => ({
  type: 'project.deleted',
  entityKey: `project:${id}`,
  projectId: id,
  data: { projectId: id, organizationId, name: id, createdAt: LONG_AGO, deletedAt: LONG_AGO },
});

export const member = (projectId: string, userId: string, role: Role | null): NewControlEvent => ({
  type: role ? 'membership.granted' : 'membership.revoked',
  entityKey: `membership:${projectId}/${userId}`,
  projectId,
  data: { projectId, userId, role },
});

/** The token of invites made by `invite(id, ...)`. */
export const inviteToken = (id: string): string => `${id}.secret-of-${id}`;

export const invite = (id: string, projectId: string, over: Partial<InviteState> = {}): NewControlEvent => ({
  type: 'invite.created',
  entityKey: `invite:${id}`,
  projectId,
  data: {
    inviteId: id,
    projectId,
    role: 'member',
    email: null,
    tokenHash: sha256(`secret-of-${id}`),
    expiresAt: '2026-06-08T12:00:00.000Z',
    acceptedBy: null,
    invitedBy: null,
    ...over,
  },
});

/**
 * Organization `org` with project `p`: owner Olga, admin Ada, member Max; `others` have accounts
 * in no project.
 */
export const team = (...others: string[]): NewControlEvent[] => [
  organization('org'),
  project('p'),
  ...['olga', 'ada', 'max', ...others].map((id) => user(id)),
  member('p', 'olga', 'owner'),
  member('p', 'ada', 'admin'),
  member('p', 'max', 'member'),
];

// ---- Who acts ----

export const as = (userId: string): Actor => ({ userId, via: 'session' });
export const asKey: Actor = { userId: null, via: 'api-key' };
export { SYSTEM };

/**
 * The rule every project setting shares, in `team()` (admin ada, member max): ada's command gives
 * `expected`; max and an API key are forbidden; a project ada is not in reads as not found.
 */
export function adminOnly(
  command: (by: Actor, projectId: string) => ControlCommand,
  ...expected: NewControlEvent[]
): void {
  given(...team())
    .when(command(as('ada'), 'p'))
    .then(...expected);
  given(...team())
    .when(command(as('max'), 'p'))
    .thenFails(ForbiddenError);
  given(...team())
    .when(command(asKey, 'p'))
    .thenFails(ForbiddenError);
  given(...team(), project('q'))
    .when(command(as('ada'), 'q'))
    .thenFails(ProjectNotFoundError);
}
