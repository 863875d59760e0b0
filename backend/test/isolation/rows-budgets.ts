import { CommandBus } from '@nestjs/cqrs';
import { CreateBudgetCommand } from '../../src/budgets/budgets.commands';
import { withoutCsrf } from './client';
import {
  asAlpha,
  control,
  forbidden,
  gqlError,
  intruderBudget,
  keyA,
  sessionA,
  sessionB,
  viewerA,
} from './common';
import { D } from './documents';
import type { Fn, Row } from './table';
import { dataOf, type World } from './world';

interface Shown {
  id: string;
  name: string;
}

const bravoBudgets = new WeakMap<World, Promise<string>>();

/** B's budget (made once, by B's owner): what A aims at through A's own project. */
const bravoBudget: Fn<string> = (w, t) => {
  if (t.label === 'nowhere') return 'bud_nowhere0000';
  if (!bravoBudgets.has(w))
    bravoBudgets.set(
      w,
      w.app
        .get(CommandBus)
        .execute(
          new CreateBudgetCommand({ userId: w.bravo.userId, via: 'session' }, w.bravo.projectId, {
            name: 'bravo monthly',
            scope: 'project',
            target: null,
            window: 'month',
            softLimitUsd: '10',
            hardLimitUsd: '20',
          }),
        )
        .then((b) => b.budgetId),
    );
  return bravoBudgets.get(w)!;
};

/** B's budget is as B set it: same limits, not removed. */
async function expectBravoBudgetIntact(w: World): Promise<void> {
  const id = await bravoBudget(w, w.targets.bravo);
  expect(control(w).budgets.get(id)).toMatchObject({
    projectId: w.bravo.projectId,
    hardLimitUsd: '20',
    removedAt: null,
    updatedAt: null,
  });
}

const alphaBudget = (name: string) => ({ name, scope: 'END_USER', window: 'DAY', hardLimitUsd: '2.5' });

/** A fresh budget of A (by A's owner), to update or remove. */
async function freshAlphaBudget(w: World): Promise<string> {
  const { createBudget } = await asAlpha<{ createBudget: Shown }>(w, D.createBudget, {
    p: w.alpha.projectId,
    input: {
      ...alphaBudget(`alpha ${Date.now()}-${Math.random()}`),
      window: 'MONTH',
      target: `u-${Math.random()}`,
    },
  });
  return createBudget.id;
}

const budgetNotFound = gqlError('NOT_FOUND', 'budget_not_found');

/** Settings → Budgets: viewers read their project's, admins change them; B's budgets are unknown to A. */
export const budgetRows: Row[] = [
  {
    name: "createBudget(A) as A's owner session: listed for A's viewer, not for B",
    kind: 'positive',
    call: {
      gql: D.createBudget,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, input: alphaBudget('alpha per user') }),
    },
    expect: {
      ok: (o) => expect(dataOf<{ createBudget: Shown }>(o).createBudget.name).toBe('alpha per user'),
    },
    verify: async (w, o) => {
      const id = dataOf<{ createBudget: Shown }>(o).createBudget.id;
      expect(control(w).budgets.get(id)).toMatchObject({ projectId: w.alpha.projectId, scope: 'end-user' });
      await expectBravoBudgetIntact(w);
    },
  },
  {
    name: "createBudget(A) as A's viewer",
    kind: 'role',
    call: {
      gql: D.createBudget,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, input: intruderBudget() }),
    },
    expect: forbidden,
  },
  {
    name: "createBudget as A's API key: keys do not administer",
    kind: 'role',
    call: { gql: D.createBudget, as: keyA, variables: () => ({ input: intruderBudget() }) },
    expect: forbidden,
  },
  {
    name: "createBudget(A) as A's owner session without the CSRF header",
    kind: 'csrf',
    call: {
      gql: D.createBudget,
      as: (w) => withoutCsrf(w.alpha.session),
      variables: (w) => ({ p: w.alpha.projectId, input: intruderBudget() }),
    },
    expect: gqlError('CSRF'),
  },
  {
    name: "budgets(A) as A's viewer: A's budgets only",
    kind: 'positive',
    call: { gql: D.budgets, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: {
      ok: (o) =>
        expect(dataOf<{ budgets: Shown[] }>(o).budgets.map((b) => b.name)).toContain('alpha per user'),
    },
    verify: (_w, o) => expect(o.text).not.toContain('bravo monthly'),
  },
  {
    name: "budgets(B) as B's owner session lists B's budget (B's control)",
    kind: 'positive',
    actsAsBravo: true,
    call: { gql: D.budgets, as: sessionB, variables: (w) => ({ p: w.bravo.projectId }) },
    expect: {
      ok: async (o, w) =>
        expect(dataOf<{ budgets: Shown[] }>(o).budgets.map((b) => b.id)).toEqual([
          await bravoBudget(w, w.targets.bravo),
        ]),
    },
  },
  {
    name: "budgetAlerts(A) as A's API key: A's alerts (none yet)",
    kind: 'positive',
    call: { gql: D.budgetAlerts, as: keyA },
    expect: { ok: (o) => expect(dataOf<{ budgetAlerts: unknown[] }>(o).budgetAlerts).toEqual([]) },
  },
  {
    name: "updateBudget of B's budget through A's own project as A's owner session",
    kind: 'cross-project',
    call: {
      gql: D.updateBudget,
      as: sessionA,
      variables: async (w, t) => ({
        p: w.alpha.projectId,
        id: await bravoBudget(w, t),
        input: intruderBudget(),
      }),
    },
    expect: budgetNotFound,
    verify: expectBravoBudgetIntact,
  },
  {
    name: "updateBudget(A) of A's budget as A's viewer",
    kind: 'role',
    call: {
      gql: D.updateBudget,
      as: viewerA,
      variables: async (w) => ({
        p: w.alpha.projectId,
        id: await freshAlphaBudget(w),
        input: intruderBudget(),
      }),
    },
    expect: forbidden,
  },
  {
    name: "updateBudget(A) of A's budget as A's owner session",
    kind: 'positive',
    call: {
      gql: D.updateBudget,
      as: sessionA,
      variables: async (w) => ({
        p: w.alpha.projectId,
        id: await freshAlphaBudget(w),
        input: { ...alphaBudget('alpha renamed'), scope: 'API_KEY', target: w.alpha.keyId },
      }),
    },
    expect: {
      ok: (o) =>
        expect(dataOf<{ updateBudget: Shown & { scope: string } }>(o).updateBudget).toMatchObject({
          name: 'alpha renamed',
          scope: 'API_KEY',
        }),
    },
  },
  {
    name: "updateBudget(A) naming B's API key as its target, as A's owner session",
    kind: 'cross-project',
    call: {
      gql: D.updateBudget,
      as: sessionA,
      variables: async (w, t) => ({
        p: w.alpha.projectId,
        id: await freshAlphaBudget(w),
        input: { ...alphaBudget('alpha on b key'), scope: 'API_KEY', target: t.keyId },
      }),
    },
    expect: gqlError('BAD_USER_INPUT', 'unknown_api_key'),
  },
  {
    name: "removeBudget of B's budget through A's own project as A's owner session",
    kind: 'cross-project',
    call: {
      gql: D.removeBudget,
      as: sessionA,
      variables: async (w, t) => ({ p: w.alpha.projectId, id: await bravoBudget(w, t) }),
    },
    expect: budgetNotFound,
    verify: expectBravoBudgetIntact,
  },
  {
    name: "removeBudget(A) as A's API key",
    kind: 'role',
    call: { gql: D.removeBudget, as: keyA, variables: async (w) => ({ id: await freshAlphaBudget(w) }) },
    expect: forbidden,
  },
  {
    name: "removeBudget(A) of A's budget as A's owner session",
    kind: 'positive',
    call: {
      gql: D.removeBudget,
      as: sessionA,
      variables: async (w) => ({ p: w.alpha.projectId, id: await freshAlphaBudget(w) }),
    },
    expect: { ok: (o) => expect(dataOf<{ removeBudget: boolean }>(o).removeBudget).toBe(true) },
  },
];
