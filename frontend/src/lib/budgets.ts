// Settings → Budgets: how a budget reads (whose spend, which window), USD amounts for people, and
// how full a budget is. Amounts come from the API as exact decimal strings; numbers are for display.
import type { BudgetInput, BudgetRowFragment, BudgetScope, BudgetWindow } from './graphql/generated';

export const SCOPE_CHOICES: readonly { id: BudgetScope; name: string; each: string; one: string }[] = [
  { id: 'PROJECT', name: 'Whole project', each: 'Whole project', one: 'Whole project' },
  { id: 'API_KEY', name: 'API key', each: 'Each API key', one: 'API key' },
  { id: 'END_USER', name: 'End user', each: 'Each end user', one: 'End user' },
];

/** `Each end user`, `End user alice`, `Whole project`. */
export function whose(budget: Pick<BudgetRowFragment, 'scope' | 'target'>, keyName?: string): string {
  const choice = SCOPE_CHOICES.find((c) => c.id === budget.scope)!;
  if (budget.scope === 'PROJECT') return choice.name;
  return budget.target === null ? choice.each : `${choice.one} ${keyName ?? budget.target}`;
}

/**
 * Who an alert's spend belongs to, as the budget cards name it: a key by its name (when the alert's
 * budget limits keys, or is gone and the subject is a key's id), an end user by id, else the project.
 */
export function alertSpender(
  alert: { budgetId: string; subject: string | null },
  budgets: readonly Pick<BudgetRowFragment, 'id' | 'scope'>[],
  keys: readonly { id: string; name: string }[],
): string {
  if (alert.subject === null) return 'project';
  const scope = budgets.find((b) => b.id === alert.budgetId)?.scope;
  const key =
    scope === undefined || scope === 'API_KEY' ? keys.find((k) => k.id === alert.subject) : undefined;
  return key ? `${key.name} (${alert.subject})` : alert.subject;
}

export const windowLabel = (window: BudgetWindow): string => (window === 'DAY' ? 'per day' : 'per month');

/**
 * `$12.50`, `$0.04545` (cents and up to 4 more decimals: spend of $0.04545 is not shown as the
 * $0.05 limit), `$0.000083` (two significant digits below a cent), `$0`; `—` for none.
 */
export function usd(amount: string | null | undefined): string {
  if (amount == null) return '—';
  const n = Number(amount);
  if (!Number.isFinite(n)) return amount;
  if (n === 0) return '$0';
  if (Math.abs(n) >= 0.01)
    return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;
  return `$${Number(n.toPrecision(2)).toFixed(Math.max(2, 1 - Math.floor(Math.log10(Math.abs(n)))))}`;
}

export type Fill = 'ok' | 'soft' | 'hard';

/** How full one spender's budget is: `share` of the bar (0–1), the soft mark's place, and its state. */
export function fill(
  budget: Pick<BudgetRowFragment, 'softLimitUsd' | 'hardLimitUsd'>,
  spend: { spentUsd: string; reservedUsd: string },
): { share: number; softMark: number | null; state: Fill } {
  const used = Number(spend.spentUsd) + Number(spend.reservedUsd);
  const soft = budget.softLimitUsd === null ? null : Number(budget.softLimitUsd);
  const hard = budget.hardLimitUsd === null ? null : Number(budget.hardLimitUsd);
  const scale = hard ?? soft ?? 1;
  const state: Fill = hard !== null && used >= hard ? 'hard' : soft !== null && used >= soft ? 'soft' : 'ok';
  return {
    share: Math.min(1, used / scale),
    softMark: soft !== null && hard !== null ? Math.min(1, soft / hard) : null,
    state,
  };
}

/** What the add / edit form holds, every field as typed. */
export interface BudgetForm {
  name: string;
  scope: BudgetScope;
  /** '' for each key / end user on its own. */
  target: string;
  window: BudgetWindow;
  softLimitUsd: string;
  hardLimitUsd: string;
}

export const emptyBudgetForm = (): BudgetForm => ({
  name: '',
  scope: 'PROJECT',
  target: '',
  window: 'MONTH',
  softLimitUsd: '',
  hardLimitUsd: '',
});

export const formOf = (b: BudgetRowFragment): BudgetForm => ({
  name: b.name,
  scope: b.scope,
  target: b.target ?? '',
  window: b.window,
  softLimitUsd: b.softLimitUsd ?? '',
  hardLimitUsd: b.hardLimitUsd ?? '',
});

/** The form as the mutations' input: blanks left out, no target for a project budget. */
export function budgetInput(form: BudgetForm): BudgetInput {
  const target = form.scope === 'PROJECT' ? '' : form.target.trim();
  return {
    name: form.name.trim(),
    scope: form.scope,
    window: form.window,
    ...(target ? { target } : {}),
    ...(form.softLimitUsd.trim() ? { softLimitUsd: form.softLimitUsd.trim() } : {}),
    ...(form.hardLimitUsd.trim() ? { hardLimitUsd: form.hardLimitUsd.trim() } : {}),
  };
}
