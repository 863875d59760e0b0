import type { BudgetScope, BudgetState, BudgetWindow } from '@sightline/schemas';
import { assertNever } from '../common/assert-never';
import { parseUsd } from './usd';

/** Who a gateway call's spend belongs to. */
export interface Spender {
  readonly projectId: string;
  /** The public id of the API key that sent it; undefined for a signed-in user's call. */
  readonly apiKeyId?: string;
  /** The app's end user (`x-sightline-user-id` or the body's `user`). */
  readonly endUserId?: string;
}

/** The spend one budget limits in its current window: `counter` names it in the ledger. */
export interface Applicable {
  readonly budget: BudgetState;
  /** The API key or end user id; null for a project budget. */
  readonly subject: string | null;
  /** `YYYY-MM-DD`, UTC: today, or the first of this month. */
  readonly windowStart: string;
  readonly counter: string;
  readonly softNano: bigint | null;
  readonly hardNano: bigint | null;
}

/** A hard budget a call would exceed, and by how much it was used already. */
export interface Refusal {
  readonly applicable: Applicable;
  /** Settled spend plus what calls in flight reserved, nano-USD. */
  readonly spentNano: bigint;
  readonly estimateNano: bigint;
}

/** First day of the window that contains `at` (UTC calendar), `YYYY-MM-DD`. */
export function windowStart(window: BudgetWindow, at: Date): string {
  const day = at.toISOString().slice(0, 10);
  switch (window) {
    case 'day':
      return day;
    case 'month':
      return `${day.slice(0, 8)}01`;
    default:
      return assertNever(window);
  }
}

/** The instant the window containing `at` ends (the next UTC midnight, or the next month's first). */
export function windowEnd(window: BudgetWindow, at: Date): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  return window === 'day' ? new Date(Date.UTC(y, m, at.getUTCDate() + 1)) : new Date(Date.UTC(y, m + 1, 1));
}

/** The ledger key of one spender's spend in one window. Every budget on that spend shares it. */
export const counterKey = (
  projectId: string,
  scope: BudgetScope,
  subject: string | null,
  window: BudgetWindow,
  start: string,
): string => `${projectId}\u0000${scope}\u0000${subject ?? ''}\u0000${window}\u0000${start}`;

/** The subject `counter` counts when it is `scope` spend of the project in this window; else undefined. */
export function counterSubject(
  counter: string,
  projectId: string,
  scope: BudgetScope,
  window: BudgetWindow,
  start: string,
): string | null | undefined {
  const head = `${projectId}\u0000${scope}\u0000`;
  const tail = `\u0000${window}\u0000${start}`;
  if (counter.length < head.length + tail.length || !counter.startsWith(head) || !counter.endsWith(tail))
    return undefined;
  return counter.slice(head.length, counter.length - tail.length) || null;
}

/** Whose spend `budget` counts for this call: undefined when it does not apply to it. */
function subjectOf(budget: BudgetState, spender: Spender): string | null | undefined {
  switch (budget.scope) {
    case 'project':
      return null;
    case 'api-key':
      return pick(budget.target, spender.apiKeyId);
    case 'end-user':
      return pick(budget.target, spender.endUserId);
    default:
      return assertNever(budget.scope);
  }
}

const pick = (target: string | null, id: string | undefined): string | undefined =>
  id !== undefined && (target === null || target === id) ? id : undefined;

/** The project's live budgets that apply to a call made at `at`. */
export function applicableBudgets(budgets: readonly BudgetState[], spender: Spender, at: Date): Applicable[] {
  const found: Applicable[] = [];
  for (const budget of budgets) {
    const subject = subjectOf(budget, spender);
    if (subject === undefined) continue;
    const start = windowStart(budget.window, at);
    found.push({
      budget,
      subject,
      windowStart: start,
      counter: counterKey(budget.projectId, budget.scope, subject, budget.window, start),
      softNano: budget.softLimitUsd === null ? null : (parseUsd(budget.softLimitUsd) ?? null),
      hardNano: budget.hardLimitUsd === null ? null : (parseUsd(budget.hardLimitUsd) ?? null),
    });
  }
  return found;
}

/**
 * The first hard budget that spend so far (settled and reserved) plus this call's most it can cost
 * would take past its limit; undefined when the call may go. A budget already at its limit refuses
 * even a call estimated at nothing.
 */
export function refusal(
  applicable: readonly Applicable[],
  spentOf: (counter: string) => bigint,
  estimateNano: bigint,
): Refusal | undefined {
  for (const a of applicable) {
    if (a.hardNano === null) continue;
    const spentNano = spentOf(a.counter);
    if (spentNano >= a.hardNano || spentNano + estimateNano > a.hardNano)
      return { applicable: a, spentNano, estimateNano };
  }
  return undefined;
}

/**
 * Settled spend is at or past the soft limit: alerted then (once per window, the alert's key sees
 * to that), also when it was past already when the budget was created or lowered.
 */
export const reachesSoft = (a: Applicable, settled: bigint): boolean =>
  a.softNano !== null && settled >= a.softNano;

const WINDOWS: readonly BudgetWindow[] = ['day', 'month'];

/** Every counter a spender's call adds to: the project's, its key's and its end user's, per window. */
export function spenderCounters(spender: Spender, at: Date): string[] {
  const { projectId, apiKeyId, endUserId } = spender;
  const counters: string[] = [];
  for (const window of WINDOWS) {
    const start = windowStart(window, at);
    counters.push(counterKey(projectId, 'project', null, window, start));
    if (apiKeyId !== undefined) counters.push(counterKey(projectId, 'api-key', apiKeyId, window, start));
    if (endUserId !== undefined) counters.push(counterKey(projectId, 'end-user', endUserId, window, start));
  }
  return counters;
}

/** Whether a counter's window contains `at` (its window and start are its last two parts). */
export function isCurrentCounter(counter: string, at: Date): boolean {
  const parts = counter.split('\u0000');
  const window = parts.at(-2) as BudgetWindow;
  return parts.at(-1) === windowStart(window, at);
}
