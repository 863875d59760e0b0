import type { BudgetState } from '@sightline/schemas';
import {
  applicableBudgets,
  counterKey,
  counterSubject,
  isCurrentCounter,
  reachesSoft,
  refusal,
  spenderCounters,
  windowEnd,
  windowStart,
  type Spender,
} from './budget-rules';
import { parseUsd } from './usd';

const AT = new Date('2026-11-30T15:00:00.000Z');
const usd = (text: string): bigint => parseUsd(text)!;

const budget = (id: string, over: Partial<BudgetState> = {}): BudgetState => ({
  budgetId: id,
  projectId: 'p',
  name: id,
  scope: 'project',
  target: null,
  window: 'day',
  softLimitUsd: null,
  hardLimitUsd: '10',
  createdAt: '2026-11-01T00:00:00.000Z',
  createdBy: null,
  updatedAt: null,
  removedAt: null,
  ...over,
});

/**
 * Given these budgets and this spend so far (settled + reserved, by counter), when a call from
 * `spender` that may cost `estimate` arrives, then it is allowed or refused by a named budget.
 */
function given(budgets: BudgetState[], spend: Record<string, string> = {}) {
  return {
    when(spender: Spender, estimate: string) {
      const applicable = applicableBudgets(budgets, spender, AT);
      const refused = refusal(applicable, (c) => usd(spend[c] ?? '0'), usd(estimate));
      return {
        thenAllowed: () => expect(refused).toBeUndefined(),
        thenRefusedBy: (budgetId: string) => expect(refused?.applicable.budget.budgetId).toBe(budgetId),
      };
    },
  };
}

const today = (scope: BudgetState['scope'], subject: string | null) =>
  counterKey('p', scope, subject, 'day', '2026-11-30');
const thisMonth = (scope: BudgetState['scope'], subject: string | null) =>
  counterKey('p', scope, subject, 'month', '2026-11-01');

const alice: Spender = { projectId: 'p', apiKeyId: 'pk_1', endUserId: 'alice' };

describe('budget rules', () => {
  it('allows a call that fits under every hard limit, and one that lands exactly on it', () => {
    given([budget('proj')], { [today('project', null)]: '9.5' })
      .when(alice, '0.4')
      .thenAllowed();
    given([budget('proj')], { [today('project', null)]: '9.5' })
      .when(alice, '0.5')
      .thenAllowed();
  });

  it('refuses a call whose most possible cost would pass a hard limit, naming that budget', () => {
    given([budget('proj')], { [today('project', null)]: '9.5' })
      .when(alice, '0.6')
      .thenRefusedBy('proj');
  });

  it('refuses even a call estimated at nothing once a hard limit is reached', () => {
    given([budget('proj')], { [today('project', null)]: '10' })
      .when(alice, '0')
      .thenRefusedBy('proj');
  });

  it('ignores budgets with only a soft limit', () => {
    given([budget('soft', { hardLimitUsd: null, softLimitUsd: '1' })], { [today('project', null)]: '50' })
      .when(alice, '1')
      .thenAllowed();
  });

  it('counts an each-end-user budget per end user, and a named one for that user only', () => {
    const each = budget('each', { scope: 'end-user', hardLimitUsd: '1' });
    given([each], { [today('end-user', 'alice')]: '1' })
      .when(alice, '0.01')
      .thenRefusedBy('each');
    given([each], { [today('end-user', 'alice')]: '1' })
      .when({ ...alice, endUserId: 'bob' }, '0.01')
      .thenAllowed();
    given([each], { [today('end-user', 'alice')]: '1' })
      .when({ projectId: 'p', apiKeyId: 'pk_1' }, '0.01')
      .thenAllowed();
    const bobOnly = budget('bob', { scope: 'end-user', target: 'bob', hardLimitUsd: '1' });
    given([bobOnly], { [today('end-user', 'alice')]: '5' })
      .when(alice, '0.01')
      .thenAllowed();
  });

  it('counts a key budget on the key that sent the call; a signed-in user’s call has none', () => {
    const key = budget('key', { scope: 'api-key', target: 'pk_1', window: 'month', hardLimitUsd: '100' });
    given([key], { [thisMonth('api-key', 'pk_1')]: '99.99' })
      .when(alice, '0.02')
      .thenRefusedBy('key');
    given([key], { [thisMonth('api-key', 'pk_1')]: '99.99' })
      .when({ ...alice, apiKeyId: 'pk_2' }, '0.02')
      .thenAllowed();
    given([budget('each-key', { scope: 'api-key', hardLimitUsd: '1' })], {})
      .when({ projectId: 'p', endUserId: 'alice' }, '5')
      .thenAllowed();
  });

  it('refuses when any one of several applicable budgets would be passed', () => {
    const monthly = budget('monthly', { window: 'month', hardLimitUsd: '200' });
    const daily = budget('daily', { hardLimitUsd: '10' });
    given([monthly, daily], { [today('project', null)]: '1', [thisMonth('project', null)]: '199.5' })
      .when(alice, '1')
      .thenRefusedBy('monthly');
  });

  it('sees yesterday’s spend as a past window', () => {
    const yesterday = counterKey('p', 'project', null, 'day', '2026-11-29');
    given([budget('proj')], { [yesterday]: '10' })
      .when(alice, '1')
      .thenAllowed();
    expect(isCurrentCounter(yesterday, AT)).toBe(false);
    expect(isCurrentCounter(today('project', null), AT)).toBe(true);
  });

  it('windows are UTC calendar days and months', () => {
    expect(windowStart('day', AT)).toBe('2026-11-30');
    expect(windowStart('month', AT)).toBe('2026-11-01');
    expect(windowEnd('day', AT).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(windowEnd('month', new Date('2026-12-31T23:59:59.999Z')).toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
  });

  it('a call adds to its project’s, key’s and end user’s counters of both windows', () => {
    expect(spenderCounters(alice, AT).sort()).toEqual(
      [
        today('project', null),
        today('api-key', 'pk_1'),
        today('end-user', 'alice'),
        thisMonth('project', null),
        thisMonth('api-key', 'pk_1'),
        thisMonth('end-user', 'alice'),
      ].sort(),
    );
    expect(spenderCounters({ projectId: 'p' }, AT)).toHaveLength(2);
  });

  it('reads the subject back from a counter, whatever characters it has', () => {
    const odd = 'a\u0000b';
    expect(counterSubject(today('end-user', odd), 'p', 'end-user', 'day', '2026-11-30')).toBe(odd);
    expect(counterSubject(today('project', null), 'p', 'project', 'day', '2026-11-30')).toBeNull();
    expect(counterSubject(today('api-key', 'k'), 'p', 'end-user', 'day', '2026-11-30')).toBeUndefined();
  });

  it('a soft limit is crossed once: by the call that reaches it', () => {
    const [a] = applicableBudgets([budget('soft', { softLimitUsd: '5', hardLimitUsd: null })], alice, AT);
    expect(reachesSoft(a, usd('5'))).toBe(true);
    // Past it already (a budget created or lowered below the spend): still alerted, once per window.
    expect(reachesSoft(a, usd('6'))).toBe(true);
    expect(reachesSoft(a, usd('4.99'))).toBe(false);
  });
});
