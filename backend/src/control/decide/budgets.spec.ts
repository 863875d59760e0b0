import type { BudgetAlertState, BudgetState } from '@sightline/schemas';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../common/errors';
import { adminOnly, as, given, NOW, project, SYSTEM, team } from '../../../test/support/control-given';
import { controlEvent, type NewControlEvent } from '../control-events';
import { emptyControlState, evolve } from '../control-state';
import type { BudgetInput, CreateBudget, RaiseBudgetAlert, RemoveBudget, UpdateBudget } from './budgets';

const input: BudgetInput = {
  name: ' Daily cap ',
  scope: 'end-user',
  target: null,
  window: 'day',
  softLimitUsd: '4.00',
  hardLimitUsd: '5',
};
const state: BudgetState = {
  budgetId: 'b_1',
  projectId: 'p',
  name: 'Daily cap',
  scope: 'end-user',
  target: null,
  window: 'day',
  softLimitUsd: '4',
  hardLimitUsd: '5',
  createdAt: NOW.toISOString(),
  createdBy: 'ada',
  updatedAt: null,
  removedAt: null,
};
const created: NewControlEvent = {
  type: 'budget.created',
  entityKey: 'budget:b_1',
  projectId: 'p',
  data: state,
};
const removed: NewControlEvent = {
  type: 'budget.removed',
  entityKey: 'budget:b_1',
  projectId: 'p',
  data: { ...state, removedAt: NOW.toISOString() },
};
const keyCreated: NewControlEvent = {
  type: 'api-key.created',
  entityKey: 'api-key:pk_1',
  projectId: 'p',
  data: {
    keyId: 'pk_1',
    projectId: 'p',
    name: 'ci',
    secretHash: 'a'.repeat(64),
    preview: 'sl_pk_1…',
    createdAt: NOW.toISOString(),
    createdBy: 'ada',
    revokedAt: null,
  },
};

const create = (
  over: Partial<BudgetInput> = {},
  by = as('ada'),
  projectId = 'p',
  budgetId = 'b_1',
): CreateBudget => ({
  type: 'create-budget',
  actor: by,
  now: NOW,
  budgetId,
  projectId,
  budget: { ...input, ...over },
});
const update = (over: Partial<BudgetInput> = {}, by = as('ada'), budgetId = 'b_1'): UpdateBudget => ({
  type: 'update-budget',
  actor: by,
  now: NOW,
  budgetId,
  projectId: 'p',
  budget: { ...input, ...over },
});
const remove = (by = as('ada'), projectId = 'p'): RemoveBudget => ({
  type: 'remove-budget',
  actor: by,
  now: NOW,
  budgetId: 'b_1',
  projectId,
});
const alert: Omit<BudgetAlertState, 'alertId' | 'raisedAt'> = {
  budgetId: 'b_1',
  projectId: 'p',
  level: 'soft',
  subject: 'alice',
  windowStart: '2026-06-01',
  spentUsd: '4.1',
  limitUsd: '4',
};
const raise = (over: Partial<typeof alert> = {}, alertId = 'ba_1'): RaiseBudgetAlert => ({
  type: 'raise-budget-alert',
  actor: SYSTEM,
  now: NOW,
  alertId,
  alert: { ...alert, ...over },
});
const alerted = (over: Partial<typeof alert> = {}): NewControlEvent => ({
  type: 'budget.alerted',
  entityKey: expect.stringMatching(/^budget-alert:[0-9a-f]{32}$/) as unknown as string,
  projectId: 'p',
  data: { alertId: 'ba_1', ...alert, ...over, raisedAt: NOW.toISOString() },
});

describe('budgets', () => {
  it('admins set a budget, its amounts exact and normalised; members, keys and outsiders do not', () => {
    adminOnly((by, projectId) => create({}, by, projectId), created);
  });

  it('refuses limits that are not positive USD amounts, or that contradict each other', () => {
    for (const bad of ['0', '-1', '1e3', 'ten', '1.0000000001', '2000000000'])
      given(...team())
        .when(create({ hardLimitUsd: bad }))
        .thenFails(InvalidInputError, 'invalid_limit');
    given(...team())
      .when(create({ softLimitUsd: null, hardLimitUsd: ' ' }))
      .thenFails(InvalidInputError, 'no_limit');
    given(...team())
      .when(create({ softLimitUsd: '6' }))
      .thenFails(InvalidInputError, 'soft_above_hard');
    given(...team())
      .when(create({ name: '  ' }))
      .thenFails(InvalidInputError, 'invalid_budget_name');
  });

  it('checks the target against the scope: a project budget has none, a key budget names a key of the project', () => {
    given(...team())
      .when(create({ scope: 'project', target: 'x' }))
      .thenFails(InvalidInputError, 'invalid_target');
    given(...team())
      .when(create({ scope: 'api-key', target: 'pk_other' }))
      .thenFails(InvalidInputError, 'unknown_api_key');
    given(...team(), keyCreated)
      .when(create({ scope: 'api-key', target: ' pk_1 ' }))
      .then({ ...created, data: { ...state, scope: 'api-key', target: 'pk_1' } });
    given(...team())
      .when(create({ target: 'u'.repeat(257) }))
      .thenFails(InvalidInputError, 'invalid_target');
  });

  it('keeps one live budget per scope, target and window', () => {
    given(...team(), created)
      .when(create({ name: 'again' }, as('ada'), 'p', 'b_2'))
      .thenFails(ConflictError, 'budget_exists');
    given(...team(), created)
      .when(create({ window: 'month' }, as('ada'), 'p', 'b_2'))
      .then({
        ...created,
        entityKey: 'budget:b_2',
        data: { ...state, budgetId: 'b_2', window: 'month' },
      });
    given(...team(), created, removed)
      .when(create({}, as('ada'), 'p', 'b_2'))
      .then({ ...created, entityKey: 'budget:b_2', data: { ...state, budgetId: 'b_2' } });
  });

  it('updates a live budget (not into another one’s place); a removed one is unknown', () => {
    given(...team(), created)
      .when(update({ hardLimitUsd: '7.5' }))
      .then({
        type: 'budget.updated',
        entityKey: 'budget:b_1',
        projectId: 'p',
        data: { ...state, hardLimitUsd: '7.5', updatedAt: NOW.toISOString() },
      });
    given(...team(), created, {
      ...created,
      entityKey: 'budget:b_2',
      data: { ...state, budgetId: 'b_2', window: 'month' },
    })
      .when(update({ window: 'month' }))
      .thenFails(ConflictError, 'budget_exists');
    given(...team(), created, removed)
      .when(update())
      .thenFails(NotFoundError, 'budget_not_found');
    given(...team(), created)
      .when(update({}, as('max')))
      .thenFails(ForbiddenError);
  });

  it('removes once; another project’s budget looks unknown', () => {
    given(...team(), created)
      .when(remove())
      .then(removed);
    given(...team(), created, removed)
      .when(remove())
      .then();
    given(...team(), created, project('q'), {
      type: 'membership.granted',
      entityKey: 'membership:q/ada',
      projectId: 'q',
      data: { projectId: 'q', userId: 'ada', role: 'admin' },
    })
      .when(remove(as('ada'), 'q'))
      .thenFails(NotFoundError, 'budget_not_found');
  });

  it('raises an alert once per budget, level, subject and window; none for a removed budget', () => {
    given(...team(), created)
      .when(raise())
      .then(alerted());
    const once = controlEvent(SYSTEM, NOW, { ...alerted(), entityKey: 'budget-alert:x' });
    given(...team(), created, once)
      .when(raise({}, 'ba_2'))
      .then();
    given(...team(), created, once)
      .when(raise({ windowStart: '2026-06-02' }))
      .then(alerted({ windowStart: '2026-06-02' }));
    given(...team(), created, once)
      .when(raise({ level: 'hard', limitUsd: '5' }))
      .then(alerted({ level: 'hard', limitUsd: '5' }));
    given(...team(), created, removed)
      .when(raise())
      .then();
  });

  it('evolves to the newest state per budget, and the same events again change nothing', () => {
    const events = [created, removed].map((e) => controlEvent(SYSTEM, NOW, e));
    const once = events.reduce(evolve, emptyControlState());
    const twice = events.reduce(evolve, once);
    expect(once.budgets.get('b_1')?.removedAt).toBe(NOW.toISOString());
    expect(twice.budgets.toJS()).toEqual(once.budgets.toJS());
  });
});
