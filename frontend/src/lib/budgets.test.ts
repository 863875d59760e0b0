import { describe, expect, it } from 'vitest';
import { alertSpender, budgetInput, emptyBudgetForm, fill, usd, whose } from './budgets';

describe('budgets', () => {
  it('says whose spend a budget limits', () => {
    expect(whose({ scope: 'PROJECT', target: null })).toBe('Whole project');
    expect(whose({ scope: 'END_USER', target: null })).toBe('Each end user');
    expect(whose({ scope: 'END_USER', target: 'alice' })).toBe('End user alice');
    expect(whose({ scope: 'API_KEY', target: 'pk_1' }, 'ci key')).toBe('API key ci key');
  });

  it('names an alert’s key as the budget cards do, not by its raw id', () => {
    const budgets = [
      { id: 'b_key', scope: 'API_KEY' as const },
      { id: 'b_user', scope: 'END_USER' as const },
    ];
    const keys = [{ id: 'pk_1', name: 'ci key' }];
    expect(alertSpender({ budgetId: 'b_key', subject: 'pk_1' }, budgets, keys)).toBe('ci key (pk_1)');
    expect(alertSpender({ budgetId: 'b_user', subject: 'pk_1' }, budgets, keys)).toBe('pk_1');
    expect(alertSpender({ budgetId: 'b_gone', subject: 'pk_1' }, budgets, keys)).toBe('ci key (pk_1)');
    expect(alertSpender({ budgetId: 'b_key', subject: 'pk_2' }, budgets, keys)).toBe('pk_2');
    expect(alertSpender({ budgetId: 'b_key', subject: null }, budgets, keys)).toBe('project');
  });

  it('shows USD for people: cents, or two significant digits below a cent', () => {
    expect(usd('1234.5')).toBe('$1,234.50');
    expect(usd('0.05')).toBe('$0.05');
    // Spend just under a $0.05 limit is not shown as the limit.
    expect(usd('0.045450000')).toBe('$0.04545');
    expect(usd('12.123456789')).toBe('$12.123457');
    expect(usd('0.0000826')).toBe('$0.000083');
    expect(usd('0.000201')).toBe('$0.00020');
    expect(usd('0')).toBe('$0');
    expect(usd(null)).toBe('—');
  });

  it('fills the bar against the hard limit, marks the soft one, and says which was reached', () => {
    const budget = { softLimitUsd: '8', hardLimitUsd: '10' };
    expect(fill(budget, { spentUsd: '5', reservedUsd: '0' })).toEqual({
      share: 0.5,
      softMark: 0.8,
      state: 'ok',
    });
    expect(fill(budget, { spentUsd: '8', reservedUsd: '0.5' }).state).toBe('soft');
    expect(fill(budget, { spentUsd: '12', reservedUsd: '0' })).toEqual({
      share: 1,
      softMark: 0.8,
      state: 'hard',
    });
    expect(fill({ softLimitUsd: '4', hardLimitUsd: null }, { spentUsd: '1', reservedUsd: '1' })).toEqual({
      share: 0.5,
      softMark: null,
      state: 'ok',
    });
  });

  it('sends only what was typed, and no target for a project budget', () => {
    expect(budgetInput({ ...emptyBudgetForm(), name: ' Team ', target: 'x', hardLimitUsd: ' 50 ' })).toEqual({
      name: 'Team',
      scope: 'PROJECT',
      window: 'MONTH',
      hardLimitUsd: '50',
    });
    expect(
      budgetInput({
        ...emptyBudgetForm(),
        name: 'u',
        scope: 'END_USER',
        target: ' alice ',
        softLimitUsd: '1',
      }),
    ).toEqual({ name: 'u', scope: 'END_USER', window: 'MONTH', target: 'alice', softLimitUsd: '1' });
  });
});
