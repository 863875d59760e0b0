import { createHash } from 'node:crypto';
import type { BudgetAlertState, BudgetScope, BudgetState, BudgetWindow } from '@sightline/schemas';
import { formatUsd, parseUsd } from '../../budgets/usd';
import { assertNever } from '../../common/assert-never';
import { ConflictError, InvalidInputError, NotFoundError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import { budgetAlertKey, type ControlState } from '../control-state';
import { requireRole } from './authority';
import type { Command } from './command';

/** A budget as an admin describes it: USD limits as decimal strings, at least one of them. */
export interface BudgetInput {
  readonly name: string;
  readonly scope: BudgetScope;
  /** The API key id or end user id; null: each key / each end user on its own (and for a project budget). */
  readonly target: string | null;
  readonly window: BudgetWindow;
  readonly softLimitUsd: string | null;
  readonly hardLimitUsd: string | null;
}

export type CreateBudget = Command<
  'create-budget',
  { budgetId: string; projectId: string; budget: BudgetInput }
>;
export type UpdateBudget = Command<
  'update-budget',
  { budgetId: string; projectId: string; budget: BudgetInput }
>;
export type RemoveBudget = Command<'remove-budget', { budgetId: string; projectId: string }>;
/** Raised by the gateway when spend crosses a threshold; the second one for a window changes nothing. */
export type RaiseBudgetAlert = Command<
  'raise-budget-alert',
  { alertId: string; alert: Omit<BudgetAlertState, 'alertId' | 'raisedAt'> }
>;

/** Most live budgets a project keeps. */
export const MAX_BUDGETS = 100;

/**
 * Admins set a spend limit; one budget per scope, target and window.
 * @throws InvalidInputError (`invalid_budget_name`, `invalid_target`, `unknown_api_key`, `invalid_limit`,
 *   `no_limit`, `soft_above_hard`, `too_many_budgets`), ConflictError `budget_exists`,
 *   ProjectNotFoundError, ForbiddenError below admin
 */
export function createBudget(command: CreateBudget, state: ControlState): NewControlEvent[] {
  const { projectId, actor, budgetId } = command;
  requireRole(state, actor, projectId, 'admin');
  const live = liveBudgets(state, projectId);
  if (live.length >= MAX_BUDGETS)
    throw new InvalidInputError(`A project keeps at most ${MAX_BUDGETS} budgets`, 'too_many_budgets');
  const data: BudgetState = {
    budgetId,
    projectId,
    ...checked(command.budget, state, projectId, live),
    createdAt: command.now.toISOString(),
    createdBy: actor.userId,
    updatedAt: null,
    removedAt: null,
  };
  return [{ type: 'budget.created', entityKey: `budget:${budgetId}`, projectId, data }];
}

/**
 * Changes a live budget's name, scope, target, window or limits (its spend so far still counts).
 * @throws NotFoundError `budget_not_found`, and what {@link createBudget} throws
 */
export function updateBudget(command: UpdateBudget, state: ControlState): NewControlEvent[] {
  const { projectId, budgetId } = command;
  requireRole(state, command.actor, projectId, 'admin');
  const old = liveBudget(state, projectId, budgetId);
  const others = liveBudgets(state, projectId).filter((b) => b.budgetId !== budgetId);
  const data: BudgetState = {
    ...old,
    ...checked(command.budget, state, projectId, others),
    updatedAt: command.now.toISOString(),
  };
  return [{ type: 'budget.updated', entityKey: `budget:${budgetId}`, projectId, data }];
}

/**
 * Removing a removed budget changes nothing; another project's budget looks unknown.
 * @throws NotFoundError `budget_not_found`, ProjectNotFoundError, ForbiddenError below admin
 */
export function removeBudget(command: RemoveBudget, state: ControlState): NewControlEvent[] {
  const { projectId, budgetId } = command;
  requireRole(state, command.actor, projectId, 'admin');
  const budget = state.budgets.get(budgetId);
  if (!budget || budget.projectId !== projectId)
    throw new NotFoundError('Budget not found', 'budget_not_found');
  if (budget.removedAt) return [];
  const data = { ...budget, removedAt: command.now.toISOString() };
  return [{ type: 'budget.removed', entityKey: `budget:${budgetId}`, projectId, data }];
}

/** Once per budget, level, subject and window; nothing for a budget removed meanwhile. */
export function raiseBudgetAlert(command: RaiseBudgetAlert, state: ControlState): NewControlEvent[] {
  const { alert } = command;
  const budget = state.budgets.get(alert.budgetId);
  if (!budget || budget.removedAt || budget.projectId !== alert.projectId) return [];
  if (state.budgetAlerts.has(budgetAlertKey(alert))) return [];
  const data: BudgetAlertState = { alertId: command.alertId, ...alert, raisedAt: command.now.toISOString() };
  // Entity keys are at most 300 characters; an end user id may take 256 of them.
  const key = createHash('sha256').update(budgetAlertKey(alert)).digest('hex').slice(0, 32);
  return [{ type: 'budget.alerted', entityKey: `budget-alert:${key}`, projectId: alert.projectId, data }];
}

const liveBudgets = (state: ControlState, projectId: string): BudgetState[] =>
  [...state.budgets.values()].filter((b) => b.projectId === projectId && !b.removedAt);

function liveBudget(state: ControlState, projectId: string, budgetId: string): BudgetState {
  const budget = state.budgets.get(budgetId);
  if (!budget || budget.projectId !== projectId || budget.removedAt)
    throw new NotFoundError('Budget not found', 'budget_not_found');
  return budget;
}

type CheckedInput = Pick<
  BudgetState,
  'name' | 'scope' | 'target' | 'window' | 'softLimitUsd' | 'hardLimitUsd'
>;

function checked(
  input: BudgetInput,
  state: ControlState,
  projectId: string,
  others: readonly BudgetState[],
): CheckedInput {
  const name = input.name.trim();
  if (!name || name.length > 200)
    throw new InvalidInputError('A budget name is 1–200 characters', 'invalid_budget_name', 'name');
  const target = targetOf(input, state, projectId);
  const soft = limit(input.softLimitUsd, 'softLimitUsd');
  const hard = limit(input.hardLimitUsd, 'hardLimitUsd');
  if (soft === null && hard === null)
    throw new InvalidInputError('Give a soft limit, a hard limit or both', 'no_limit', 'hardLimitUsd');
  if (soft !== null && hard !== null && soft > hard)
    throw new InvalidInputError(
      'The soft limit must not be above the hard limit',
      'soft_above_hard',
      'softLimitUsd',
    );
  const same = others.find(
    (b) => b.scope === input.scope && b.target === target && b.window === input.window,
  );
  if (same)
    throw new ConflictError(
      `The budget '${same.name}' already limits this ${input.window}'s spend`,
      'budget_exists',
    );
  return {
    name,
    scope: input.scope,
    target,
    window: input.window,
    softLimitUsd: soft === null ? null : formatUsd(soft),
    hardLimitUsd: hard === null ? null : formatUsd(hard),
  };
}

function targetOf(input: BudgetInput, state: ControlState, projectId: string): string | null {
  const target = input.target?.trim() || null;
  switch (input.scope) {
    case 'project':
      if (target !== null)
        throw new InvalidInputError('A project budget has no target', 'invalid_target', 'target');
      return null;
    case 'api-key': {
      const key = target === null ? undefined : state.apiKeys.get(target);
      if (target !== null && key?.projectId !== projectId)
        throw new InvalidInputError(
          'The target is not an API key of this project',
          'unknown_api_key',
          'target',
        );
      return target;
    }
    case 'end-user':
      if (target !== null && target.length > 256)
        throw new InvalidInputError('An end user id is at most 256 characters', 'invalid_target', 'target');
      return target;
    default:
      return assertNever(input.scope);
  }
}

function limit(value: string | null, param: string): bigint | null {
  if (value === null || value.trim() === '') return null;
  const nano = parseUsd(value);
  if (nano === undefined || nano <= 0n)
    throw new InvalidInputError(
      `${param} must be a USD amount above 0 and below 1 billion, e.g. 25 or 12.50`,
      'invalid_limit',
      param,
    );
  return nano;
}
