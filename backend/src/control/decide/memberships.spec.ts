import { ConflictError, ForbiddenError, InvalidInputError, ProjectNotFoundError } from '../../common/errors';
import { as, given, member, NOW, projectDeleted, SYSTEM, team } from '../../../test/support/control-given';
import type { SetRole } from './memberships';

const setRole = (by: SetRole['actor'], userId: string, role: SetRole['role']): SetRole => ({
  type: 'set-role',
  actor: by,
  now: NOW,
  projectId: 'p',
  userId,
  role,
});

/** Nina has an account but is in no project. */
const world = team('nina');

describe('set role / remove member', () => {
  it('an admin changes members up to admin', () => {
    given(...world)
      .when(setRole(as('ada'), 'max', 'admin'))
      .then(member('p', 'max', 'admin'));
    given(...world)
      .when(setRole(as('ada'), 'max', null))
      .then(member('p', 'max', null));
  });

  it('only owners touch owners: an admin can neither demote an owner nor make one', () => {
    given(...world)
      .when(setRole(as('ada'), 'olga', 'viewer'))
      .thenFails(InvalidInputError, 'role_too_high');
    given(...world)
      .when(setRole(as('ada'), 'olga', null))
      .thenFails(InvalidInputError, 'role_too_high');
    given(...world)
      .when(setRole(as('ada'), 'max', 'owner'))
      .thenFails(InvalidInputError, 'role_too_high');
    given(...world)
      .when(setRole(as('olga'), 'max', 'owner'))
      .then(member('p', 'max', 'owner'));
  });

  it('a project keeps at least one owner', () => {
    given(...world)
      .when(setRole(as('olga'), 'olga', 'admin'))
      .thenFails(ConflictError, 'last_owner');
    given(...world)
      .when(setRole(SYSTEM, 'olga', null))
      .thenFails(ConflictError, 'last_owner');
    given(...world, member('p', 'max', 'owner'))
      .when(setRole(as('olga'), 'olga', 'admin'))
      .then(member('p', 'olga', 'admin'));
  });

  it('members and viewers change nobody; a removed admin no longer can', () => {
    given(...world)
      .when(setRole(as('max'), 'max', 'admin'))
      .thenFails(ForbiddenError);
    given(...world, member('p', 'ada', null))
      .when(setRole(as('ada'), 'max', 'viewer'))
      .thenFails(ProjectNotFoundError);
  });

  it('users join through invites; only the system adds a member directly', () => {
    given(...world)
      .when(setRole(as('olga'), 'nina', 'viewer'))
      .thenFails(InvalidInputError, 'not_a_member');
    given(...world)
      .when(setRole(SYSTEM, 'nina', 'viewer'))
      .then(member('p', 'nina', 'viewer'));
    given(...world)
      .when(setRole(SYSTEM, 'ghost', 'viewer'))
      .thenFails(InvalidInputError, 'unknown_user');
  });

  it('setting the role a member has changes nothing', () => {
    given(...world)
      .when(setRole(as('ada'), 'max', 'member'))
      .then();
  });

  it('a deleted project changes no more', () => {
    given(...world, projectDeleted('p'))
      .when(setRole(as('olga'), 'max', 'viewer'))
      .thenFails(ProjectNotFoundError);
  });
});
