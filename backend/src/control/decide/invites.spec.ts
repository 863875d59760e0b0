import type { Actor, Role } from '@sightline/schemas';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import { sha256 } from '../credentials';
import {
  as,
  asKey,
  given,
  invite,
  inviteToken,
  member,
  NOW,
  project,
  projectDeleted,
  team,
  user,
} from '../../../test/support/control-given';
import type { AcceptInvite, CreateInvite, RevokeInvite } from './invites';

const create = (by: string, role: Role, email: string | null = null): CreateInvite => ({
  type: 'create-invite',
  actor: as(by),
  now: NOW,
  inviteId: 'inv_new',
  projectId: 'p',
  role,
  email,
  tokenHash: sha256('s'),
});
const accept = (inviteId: string, userId: string, token = inviteToken(inviteId)): AcceptInvite => ({
  type: 'accept-invite',
  actor: as(userId),
  now: NOW,
  token,
  joining: { userId },
});
const signUp = (inviteId: string, email: string): AcceptInvite => ({
  type: 'accept-invite',
  actor: as('usr_new'),
  now: NOW,
  token: inviteToken(inviteId),
  joining: { user: { userId: 'usr_new', email, name: '', passwordHashEnc: 'sealed' } },
});
const accepted = (e: NewControlEvent, by: string): NewControlEvent =>
  ({ ...e, type: 'invite.accepted', data: { ...e.data, acceptedBy: by } }) as NewControlEvent;

/** Vic has an account in no project. */
const world = team('vic');

describe('create invite', () => {
  it('carries its sender and gives roles up to theirs: only owners invite owners', () => {
    given(...world)
      .when(create('ada', 'admin', ' Vic@Example.com '))
      .then({
        type: 'invite.created',
        entityKey: 'invite:inv_new',
        projectId: 'p',
        data: {
          inviteId: 'inv_new',
          projectId: 'p',
          role: 'admin',
          email: 'vic@example.com',
          tokenHash: sha256('s'),
          expiresAt: '2026-06-08T12:00:00.000Z',
          acceptedBy: null,
          invitedBy: 'ada',
        },
      });
    given(...world)
      .when(create('ada', 'owner'))
      .thenFails(InvalidInputError, 'role_too_high');
    given(...world)
      .when(create('max', 'viewer'))
      .thenFails(ForbiddenError);
  });
});

describe('accept invite', () => {
  it('grants the role and uses the invite in one decision', () => {
    const sent = invite('inv_1', 'p', { role: 'viewer', invitedBy: 'ada' });
    given(...world, sent)
      .when(accept('inv_1', 'vic'))
      .then(member('p', 'vic', 'viewer'), accepted(sent, 'vic'));
  });

  it('never lowers a role: a sole owner who accepts a viewer invite to their own project stays owner', () => {
    const sent = invite('inv_1', 'p', { role: 'viewer', invitedBy: 'olga' });
    given(...world, sent)
      .when(accept('inv_1', 'olga'))
      .then(accepted(sent, 'olga'));
  });

  it("an admin cannot demote an owner through the admin's own invite", () => {
    const sent = invite('inv_1', 'p', { role: 'viewer', invitedBy: 'ada' });
    const twoOwners = [...world, member('p', 'max', 'owner')];
    given(...twoOwners, sent)
      .when(accept('inv_1', 'max'))
      .then(accepted(sent, 'max'));
  });

  it('raises a lower role', () => {
    const sent = invite('inv_1', 'p', { role: 'admin', invitedBy: 'olga' });
    given(...world, sent)
      .when(accept('inv_1', 'max'))
      .then(member('p', 'max', 'admin'), accepted(sent, 'max'));
  });

  it('is only as good as its sender: an admin removed since cannot hand out roles through old links', () => {
    const sent = invite('inv_1', 'p', { role: 'admin', invitedBy: 'ada' });
    given(...world, sent, member('p', 'ada', 'member'))
      .when(accept('inv_1', 'vic'))
      .thenFails(InvalidInputError, 'invite_invalid');
  });

  it('an email-bound invite is for that email only, signed in or signing up', () => {
    const sent = invite('inv_1', 'p', { email: 'new@example.com' });
    given(...world, sent)
      .when(accept('inv_1', 'vic'))
      .thenFails(InvalidInputError, 'invite_email_mismatch');
    given(...world, sent)
      .when(signUp('inv_1', 'other@example.com'))
      .thenFails(InvalidInputError, 'invite_email_mismatch');
    given(...world, sent)
      .when(signUp('inv_1', 'New@Example.com'))
      .then(
        user('usr_new', 'new@example.com', {
          name: 'new@example.com',
          passwordHashEnc: 'sealed',
          createdAt: NOW.toISOString(),
        }),
        member('p', 'usr_new', 'member'),
        accepted(sent, 'usr_new'),
      );
  });

  it('signing up keeps emails unique', () => {
    given(...world, invite('inv_1', 'p'))
      .when(signUp('inv_1', 'VIC@example.com'))
      .thenFails(ConflictError, 'email_taken');
  });

  it('works once, with its secret, before it expires, while its project lives', () => {
    const sent = invite('inv_1', 'p');
    given(...world, sent, accepted(sent, 'max'))
      .when(accept('inv_1', 'vic'))
      .thenFails(InvalidInputError, 'invite_invalid');
    given(...world, sent)
      .when(accept('inv_1', 'vic', 'inv_1.guessed'))
      .thenFails(InvalidInputError, 'invite_invalid');
    given(...world, sent)
      .when(accept('inv_1', 'vic', 'inv_1'))
      .thenFails(InvalidInputError, 'invite_invalid');
    given(...world, invite('inv_1', 'p', { expiresAt: '2026-06-01T11:59:59.999Z' }))
      .when(accept('inv_1', 'vic'))
      .thenFails(InvalidInputError, 'invite_expired');
    given(...world, sent, projectDeleted('p'))
      .when(accept('inv_1', 'vic'))
      .thenFails(InvalidInputError, 'invite_invalid');
  });
});

describe('revoke invite', () => {
  const revoke = (by: Actor, projectId: string, inviteId = 'inv_1'): RevokeInvite => ({
    type: 'revoke-invite',
    actor: by,
    now: NOW,
    projectId,
    inviteId,
  });
  const sent = invite('inv_1', 'p', { invitedBy: 'ada' });
  const revoked = { ...sent, type: 'invite.revoked' } as NewControlEvent;

  it('admins withdraw an open invite of their project; members and keys may not', () => {
    given(...world, sent)
      .when(revoke(as('olga'), 'p'))
      .then(revoked);
    given(...world, sent)
      .when(revoke(as('max'), 'p'))
      .thenFails(ForbiddenError);
    given(...world, sent)
      .when(revoke(asKey, 'p'))
      .thenFails(ForbiddenError);
  });

  it('its link stops working', () => {
    given(...world, sent, revoked)
      .when(accept('inv_1', 'vic'))
      .thenFails(InvalidInputError, 'invite_invalid');
  });

  it('an invite already used, already revoked, unknown or of another project is not found', () => {
    for (const history of [
      [sent, accepted(sent, 'vic')],
      [sent, revoked],
      [],
      [project('q'), member('q', 'ada', 'admin'), invite('inv_1', 'q')],
    ]) {
      given(...world, ...history)
        .when(revoke(as('ada'), 'p'))
        .thenFails(NotFoundError, 'invite_not_found');
    }
  });
});
