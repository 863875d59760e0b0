import { InvalidInputError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import { sha256 } from '../credentials';
import { as, given, NOW, SYSTEM, user } from '../../../test/support/control-given';
import type { UseLoginLink } from './sessions';

const link = (expiresAt = '2026-06-02T12:00:00.000Z'): NewControlEvent => ({
  type: 'login-link.created',
  entityKey: 'login-link:lnk_1',
  projectId: null,
  data: { linkId: 'lnk_1', userId: 'ann', tokenHash: sha256('secret'), expiresAt, usedAt: null },
});
const use = (token = 'lnk_1.secret'): UseLoginLink => ({
  type: 'use-login-link',
  actor: as('ann'),
  now: NOW,
  token,
});
const used = {
  ...link(),
  type: 'login-link.used',
  data: { ...link().data, usedAt: NOW.toISOString() },
} as NewControlEvent;

describe('login links', () => {
  it('are made for known users and last a day', () => {
    const create = {
      type: 'create-login-link',
      actor: SYSTEM,
      now: NOW,
      linkId: 'lnk_1',
      tokenHash: sha256('secret'),
    } as const;
    given(user('ann'))
      .when({ ...create, userId: 'ann' })
      .then(link());
    given()
      .when({ ...create, userId: 'ann' })
      .thenFails(InvalidInputError, 'unknown_user');
  });

  it('sign in once, with their secret, before they expire', () => {
    given(user('ann'), link()).when(use()).then(used);
    given(user('ann'), link(), used).when(use()).thenFails(InvalidInputError, 'link_invalid');
    given(user('ann'), link()).when(use('lnk_1.guessed')).thenFails(InvalidInputError, 'link_invalid');
    given(user('ann'), link(NOW.toISOString())).when(use()).thenFails(InvalidInputError, 'link_invalid');
  });
});

describe('sessions', () => {
  it('end once: ending one again changes nothing', () => {
    const end = {
      type: 'end-session',
      actor: as('ann'),
      now: NOW,
      sessionId: 'ses_1',
      userId: 'ann',
    } as const;
    const ended: NewControlEvent = {
      type: 'session.ended',
      entityKey: 'session:ses_1',
      projectId: null,
      data: { sessionId: 'ses_1', userId: 'ann', endedAt: NOW.toISOString() },
    };
    given(user('ann')).when(end).then(ended);
    given(user('ann'), ended).when(end).then();
  });
});
