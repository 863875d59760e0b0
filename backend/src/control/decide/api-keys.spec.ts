import type { ApiKeyState } from '@sightline/schemas';
import { ForbiddenError, InvalidInputError, ProjectNotFoundError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import { as, asKey, given, member, NOW, project, team } from '../../../test/support/control-given';
import type { CreateApiKey, RevokeApiKey } from './api-keys';

const key: ApiKeyState = {
  keyId: 'pk_1',
  projectId: 'p',
  name: 'ci',
  secretHash: 'a'.repeat(64),
  preview: 'sl_pk_1…',
  createdAt: NOW.toISOString(),
  createdBy: 'ada',
  revokedAt: null,
};
const keyCreated: NewControlEvent = {
  type: 'api-key.created',
  entityKey: 'api-key:pk_1',
  projectId: 'p',
  data: key,
};
const revoked: NewControlEvent = {
  type: 'api-key.revoked',
  entityKey: 'api-key:pk_1',
  projectId: 'p',
  data: { ...key, revokedAt: NOW.toISOString() },
};

/** And project q, where nobody is a member. */
const world = [...team(), project('q')];

describe('api keys', () => {
  const create = (by: CreateApiKey['actor'], name = ' ci '): CreateApiKey => ({
    type: 'create-api-key',
    actor: by,
    now: NOW,
    keyId: 'pk_1',
    projectId: 'p',
    name,
    secretHash: 'a'.repeat(64),
    preview: 'sl_pk_1…',
  });
  const revoke = (projectId = 'p'): RevokeApiKey => ({
    type: 'revoke-api-key',
    actor: as('ada'),
    now: NOW,
    projectId,
    keyId: 'pk_1',
  });

  it('admins create named keys; members and keys do not', () => {
    given(...world)
      .when(create(as('ada')))
      .then(keyCreated);
    given(...world)
      .when(create(as('ada'), ' '))
      .thenFails(InvalidInputError, 'invalid_name');
    given(...world)
      .when(create(as('max')))
      .thenFails(ForbiddenError);
    given(...world)
      .when(create(asKey))
      .thenFails(ForbiddenError);
  });

  it('a revoked key stays revoked: revoking it again changes nothing', () => {
    given(...world, keyCreated)
      .when(revoke())
      .then(revoked);
    given(...world, keyCreated, revoked)
      .when(revoke())
      .then();
  });

  it("another project's key looks unknown", () => {
    given(...world, member('q', 'ada', 'admin'), keyCreated)
      .when(revoke('q'))
      .thenFails(ProjectNotFoundError);
  });

  it('records when a known key was last used', () => {
    const use = { type: 'record-key-use', actor: asKey, now: NOW, keyId: 'pk_1' } as const;
    given(...world, keyCreated)
      .when(use)
      .then({
        type: 'api-key.used',
        entityKey: 'api-key-used:pk_1',
        projectId: 'p',
        data: { keyId: 'pk_1', lastUsedAt: NOW.toISOString() },
      });
    given(...world)
      .when(use)
      .then();
  });
});
