import { InvalidInputError } from '../../common/errors';
import { adminOnly, as, given, NOW, team } from '../../../test/support/control-given';
import type { NewControlEvent } from '../control-events';
import type { SetRetention } from './retention';

const setRetention = (days: number | null, by = as('ada'), projectId = 'p'): SetRetention => ({
  type: 'set-retention',
  actor: by,
  now: NOW,
  projectId,
  days,
});
const set = (days: number | null): NewControlEvent => ({
  type: 'project.retention-set',
  entityKey: 'project-retention:p',
  projectId: 'p',
  data: { projectId: 'p', days, setAt: NOW.toISOString(), setBy: 'ada' },
});

describe('retention', () => {
  it('admins set how many days a project keeps; members, keys and outsiders do not', () => {
    adminOnly((by, projectId) => setRetention(30, by, projectId), set(30));
  });

  it('changes it, or keeps data for ever again; setting what is set changes nothing', () => {
    given(...team(), set(30))
      .when(setRetention(7))
      .then(set(7));
    given(...team(), set(30))
      .when(setRetention(null))
      .then(set(null));
    given(...team(), set(30))
      .when(setRetention(30))
      .then();
    given(...team())
      .when(setRetention(null))
      .then();
  });

  it.each([0, -1, 1.5, 3651, Number.NaN])('refuses %p days with a stable code', (days) => {
    given(...team())
      .when(setRetention(days))
      .thenFails(InvalidInputError, 'invalid_retention');
  });
});
