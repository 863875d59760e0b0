import type { Credential } from './client';
import {
  asAlpha,
  control,
  CREDENTIAL_NAMES,
  forbidden,
  gqlError,
  keyA,
  notFound,
  sessionA,
  viewerA,
} from './common';
import type { Fn, Row } from './table';
import { dataOf } from './world';

/** Custom prices, estimates and cost analytics: a project prices and sees only its own. */
const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

const PRICE = `id model provider effectiveFrom effectiveUntil inputPerMTok outputPerMTok cachedInputPerMTok
  cacheWritePerMTok reasoningPerMTok perRequestUsd note priceVersion createdAt`;
const C = {
  customPrices: `query($p: ID) { customPrices(projectId: $p) { ${PRICE} } }`,
  setCustomPrice: `mutation($p: ID, $input: CustomPriceInput!) { setCustomPrice(projectId: $p, input: $input) { ${PRICE} } }`,
  removeCustomPrice: `mutation($p: ID, $id: ID!) { removeCustomPrice(projectId: $p, id: $id) }`,
  costEstimate: `query($p: ID, $input: CostEstimateInput!) {
    costEstimate(projectId: $p, input: $input) { model provider inputTokens inputTokensEstimated tokenizer maxOutputTokens minCost maxCost priceVersion flags }
  }`,
  costs: `query($p: ID, $by: CostDimension!) {
    costs(projectId: $p, by: $by, from: "2000-01-01T00:00:00Z", to: "2001-01-01T00:00:00Z") { key cost generations unpriced estimated inputTokens outputTokens }
  }`,
} as const;

/** A price no other row sets: a fresh model name each time, so dates never overlap. */
let priced = 0;
const price = () => ({
  model: `isolation-model-${++priced}-${Date.now()}`,
  effectiveFrom: '2026-01-01',
  inputPerMTok: 1,
  outputPerMTok: 2,
});
const estimate = { messages: '[{"role":"user","content":"hello"}]', models: ['gpt-4o'] };

interface Shown {
  id: string;
  model: string;
}

const ON_B: Record<keyof typeof C, (t: { projectId: string }) => Record<string, unknown>> = {
  customPrices: (t) => ({ p: t.projectId }),
  setCustomPrice: (t) => ({ p: t.projectId, input: price() }),
  removeCustomPrice: (t) => ({ p: t.projectId, id: 'cp_nowhere' }),
  costEstimate: (t) => ({ p: t.projectId, input: estimate }),
  costs: (t) => ({ p: t.projectId, by: 'MODEL' }),
};

export const costRows: Row[] = [
  ...(Object.keys(C) as (keyof typeof C)[]).flatMap((field) =>
    [keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's project as ${name(as)}`,
      kind: 'cross-project',
      call: { gql: C[field], as, variables: (_w, t) => ON_B[field](t) },
      expect: notFound,
    })),
  ),
  {
    name: "setCustomPrice(A) as A's owner session: listed for A",
    kind: 'positive',
    call: {
      gql: C.setCustomPrice,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, input: price() }),
    },
    expect: { ok: (o) => expect(dataOf<{ setCustomPrice: Shown }>(o).setCustomPrice.id).toMatch(/^cp_/) },
    verify: async (w, o) => {
      const set = dataOf<{ setCustomPrice: Shown }>(o).setCustomPrice;
      expect(control(w).customPrices.get(set.id)).toMatchObject({ projectId: w.alpha.projectId });
      const { customPrices } = await asAlpha<{ customPrices: Shown[] }>(w, C.customPrices, {
        p: w.alpha.projectId,
      });
      expect(customPrices.map((p) => p.id)).toContain(set.id);
    },
  },
  {
    name: "setCustomPrice(A) as A's viewer",
    kind: 'role',
    call: {
      gql: C.setCustomPrice,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, input: price() }),
    },
    expect: forbidden,
  },
  {
    name: "customPrices(A) as A's viewer",
    kind: 'positive',
    call: { gql: C.customPrices, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: {
      ok: (o) => expect(Array.isArray(dataOf<{ customPrices: Shown[] }>(o).customPrices)).toBe(true),
    },
  },
  {
    name: "removeCustomPrice(A) as A's owner session",
    kind: 'positive',
    call: {
      gql: C.removeCustomPrice,
      as: sessionA,
      variables: async (w) => {
        const { setCustomPrice } = await asAlpha<{ setCustomPrice: Shown }>(w, C.setCustomPrice, {
          p: w.alpha.projectId,
          input: price(),
        });
        return { p: w.alpha.projectId, id: setCustomPrice.id };
      },
    },
    expect: { ok: (o) => expect(dataOf<{ removeCustomPrice: boolean }>(o).removeCustomPrice).toBe(true) },
  },
  {
    name: "removeCustomPrice(A, unknown id) as A's owner session: NOT_FOUND",
    kind: 'role',
    call: {
      gql: C.removeCustomPrice,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, id: 'cp_nowhere' }),
    },
    expect: gqlError('NOT_FOUND', 'custom_price_not_found'),
  },
  {
    name: "costEstimate(A) as A's API key: tokens and a price range per model",
    kind: 'positive',
    call: { gql: C.costEstimate, as: keyA, variables: () => ({ input: estimate }) },
    expect: {
      ok: (o) =>
        expect(dataOf<{ costEstimate: unknown[] }>(o).costEstimate).toEqual([
          expect.objectContaining({ model: 'gpt-4o', provider: 'openai', tokenizer: 'o200k_base' }),
        ]),
    },
  },
  {
    name: "costEstimate(A) as A's viewer: estimates are for members",
    kind: 'role',
    call: { gql: C.costEstimate, as: viewerA, variables: (w) => ({ p: w.alpha.projectId, input: estimate }) },
    expect: forbidden,
  },
  {
    name: "costs(A) as A's viewer",
    kind: 'positive',
    call: { gql: C.costs, as: viewerA, variables: (w) => ({ p: w.alpha.projectId, by: 'PROVIDER' }) },
    expect: { ok: (o) => expect(dataOf<{ costs: unknown[] }>(o).costs).toEqual([]) },
  },
];
