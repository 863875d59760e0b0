import type { DataDeletionScope, ProjectState } from '@sightline/schemas';
import { ForbiddenError, InvalidInputError, ProjectNotFoundError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import {
  adminOnly,
  as,
  asKey,
  given,
  member,
  NOW,
  organization,
  project,
  projectDeleted,
  SYSTEM,
  team,
} from '../../../test/support/control-given';
import type { CreateProject, DeleteData, RenameProject } from './projects';

const create = (by: CreateProject['actor'], organizationId = 'org', name = ' New '): CreateProject => ({
  type: 'create-project',
  actor: by,
  now: NOW,
  projectId: 'new',
  organizationId,
  name,
  ownerId: by.userId ?? 'olga',
});
const created: NewControlEvent = {
  type: 'project.created',
  entityKey: 'project:new',
  projectId: 'new',
  data: {
    projectId: 'new',
    organizationId: 'org',
    name: 'New',
    createdAt: NOW.toISOString(),
    deletedAt: null,
  },
};

/** And another organization. */
const world = [...team(), organization('other')];

describe('create project', () => {
  it('creates the project with its owner in one decision', () => {
    given(...world)
      .when(create(as('ada')))
      .then(created, member('new', 'ada', 'owner'));
    given(...world)
      .when(create(SYSTEM))
      .then(created, member('new', 'olga', 'owner'));
  });

  it('only where the user administers a project; other organizations look unknown', () => {
    given(...world)
      .when(create(as('max')))
      .thenFails(InvalidInputError, 'unknown_org');
    given(...world)
      .when(create(as('olga'), 'other'))
      .thenFails(InvalidInputError, 'unknown_org');
    given(...world)
      .when(create(as('olga'), 'nowhere'))
      .thenFails(InvalidInputError, 'unknown_org');
  });

  it('needs a name', () => {
    given(...world)
      .when(create(as('olga'), 'org', '  '))
      .thenFails(InvalidInputError, 'invalid_name');
  });
});

describe('delete data', () => {
  const del = (by: DeleteData['actor'], scope: DataDeletionScope, target = 'tr_1'): DeleteData => ({
    type: 'delete-data',
    actor: by,
    now: NOW,
    projectId: 'p',
    scope,
    target,
  });
  const tombstone = (scope: DataDeletionScope, target: string): NewControlEvent => ({
    type: 'data.deleted',
    entityKey: `tombstone:p:${scope}:${target}`,
    projectId: 'p',
    data: { projectId: 'p', scope, target, deletedAt: NOW.toISOString() },
  });

  it('admins delete a trace or an end user', () => {
    given(...world)
      .when(del(as('ada'), 'trace'))
      .then(tombstone('trace', 'tr_1'));
    given(...world)
      .when(del(as('ada'), 'end-user', ' alice '))
      .then(tombstone('end-user', 'alice'));
    given(...world)
      .when(del(as('ada'), 'trace', ' '))
      .thenFails(InvalidInputError, 'missing_target');
    given(...world)
      .when(del(as('max'), 'trace'))
      .thenFails(ForbiddenError);
    given(...world)
      .when(del(asKey, 'trace'))
      .thenFails(ForbiddenError);
  });

  it('only owners delete the project: tombstone and project end in one decision', () => {
    given(...world)
      .when(del(as('olga'), 'project', ''))
      .then(tombstone('project', 'p'), {
        type: 'project.deleted',
        entityKey: 'project:p',
        projectId: 'p',
        data: { ...(project('p').data as object), deletedAt: NOW.toISOString() },
      } as NewControlEvent);
    given(...world)
      .when(del(as('ada'), 'project', ''))
      .thenFails(ForbiddenError);
    given(...world, projectDeleted('p'))
      .when(del(as('olga'), 'trace'))
      .thenFails(ProjectNotFoundError);
  });
});

describe('rename project', () => {
  const rename = (name: string, by = as('ada'), projectId = 'p'): RenameProject => ({
    type: 'rename-project',
    actor: by,
    now: NOW,
    projectId,
    name,
  });
  const renamed = (name: string): NewControlEvent => ({
    type: 'project.renamed',
    entityKey: 'project:p',
    projectId: 'p',
    data: { ...(project('p').data as ProjectState), name },
  });

  it('admins rename their project (trimmed); members, keys and outsiders may not', () => {
    adminOnly((by, projectId) => rename('  Support bot ', by, projectId), renamed('Support bot'));
  });

  it('the same name again changes nothing', () => {
    given(...team(), renamed('Support bot'))
      .when(rename('Support bot'))
      .then();
  });

  it.each(['', '   ', 'x'.repeat(129)])('refuses the name %p with a stable code', (name) => {
    given(...team())
      .when(rename(name))
      .thenFails(InvalidInputError, 'invalid_name');
  });
});
