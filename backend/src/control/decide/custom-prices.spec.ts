import type { CustomPriceState } from '@sightline/schemas';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../../common/errors';
import { adminOnly, as, given, NOW, project, team } from '../../../test/support/control-given';
import { controlEvent, SYSTEM, type NewControlEvent } from '../control-events';
import { emptyControlState, evolve } from '../control-state';
import type { CustomPriceInput, RemoveCustomPrice, SetCustomPrice } from './custom-prices';

const input: CustomPriceInput = {
  model: ' gpt-4o ',
  provider: 'openai',
  effectiveFrom: '2026-01-01',
  effectiveUntil: '2026-07-01',
  inputPerMTok: 2,
  outputPerMTok: 8,
  cachedInputPerMTok: 1,
  cacheWritePerMTok: null,
  reasoningPerMTok: null,
  perRequestUsd: null,
  note: 'enterprise discount',
};
const state: CustomPriceState = {
  ...input,
  priceId: 'cp_1',
  projectId: 'p',
  model: 'gpt-4o',
  createdAt: NOW.toISOString(),
  createdBy: 'ada',
  removedAt: null,
};
const set: NewControlEvent = {
  type: 'custom-price.set',
  entityKey: 'custom-price:cp_1',
  projectId: 'p',
  data: state,
};
const removed: NewControlEvent = {
  type: 'custom-price.removed',
  entityKey: 'custom-price:cp_1',
  projectId: 'p',
  data: { ...state, removedAt: NOW.toISOString() },
};

const setPrice = (
  over: Partial<CustomPriceInput> = {},
  by = as('ada'),
  projectId = 'p',
  priceId = 'cp_1',
): SetCustomPrice => ({
  type: 'set-custom-price',
  actor: by,
  now: NOW,
  priceId,
  projectId,
  price: { ...input, ...over },
});
const remove = (projectId = 'p', by = as('ada')): RemoveCustomPrice => ({
  type: 'remove-custom-price',
  actor: by,
  now: NOW,
  projectId,
  priceId: 'cp_1',
});

describe('custom prices', () => {
  it('admins set a price; members, keys and outsiders do not', () => {
    adminOnly((by, projectId) => setPrice({}, by, projectId), set);
  });

  it('refuses overlapping dates for the same model, with a stable code', () => {
    const second = (over: Partial<CustomPriceInput>) => setPrice(over, as('ada'), 'p', 'cp_2');
    given(...team(), set)
      .when(second({ effectiveFrom: '2026-06-30', effectiveUntil: null }))
      .thenFails(ConflictError, 'custom_price_overlap');
    given(...team(), set)
      .when(second({ effectiveFrom: '2025-01-01', effectiveUntil: '2026-01-02' }))
      .thenFails(ConflictError, 'custom_price_overlap');
    // A price for any provider overlaps one for OpenAI.
    given(...team(), set)
      .when(second({ provider: null }))
      .thenFails(ConflictError, 'custom_price_overlap');
  });

  it('resolves a model’s names to the catalog’s before the overlap check: alias, dated id, provider/model', () => {
    const second = (over: Partial<CustomPriceInput>) => setPrice(over, as('ada'), 'p', 'cp_2');
    const haiku = setPrice({ model: 'claude-haiku-4-5', provider: null });
    const kept = {
      ...set,
      data: { ...state, model: 'claude-haiku-4-5-20251001', provider: null },
    };
    given(...team())
      .when(haiku)
      .then(kept);
    given(...team(), kept)
      .when(second({ model: 'claude-haiku-4-5-20251001', provider: null }))
      .thenFails(ConflictError, 'custom_price_overlap');
    given(...team(), kept)
      .when(second({ model: 'anthropic/claude-haiku-4-5', provider: null }))
      .thenFails(ConflictError, 'custom_price_overlap');
    // Kept by an older build under the alias: still the same model.
    given(...team(), { ...kept, data: { ...kept.data, model: 'claude-haiku-4-5' } })
      .when(second({ model: 'claude-haiku-4-5-20251001', provider: null }))
      .thenFails(ConflictError, 'custom_price_overlap');
    // `openai/gpt-4o-mini` is what pricing sees as OpenAI's `gpt-4o-mini`.
    given(...team())
      .when(setPrice({ model: 'openai/gpt-4o-mini', provider: null }))
      .then({ ...set, data: { ...state, model: 'gpt-4o-mini', provider: 'openai' } });
    given(...team(), set)
      .when(second({ model: 'openai/gpt-4o', provider: null }))
      .thenFails(ConflictError, 'custom_price_overlap');
    // A prefix naming another provider than the price's can never match: refused.
    given(...team())
      .when(setPrice({ model: 'openai/gpt-4o-mini', provider: 'anthropic' }))
      .thenFails(InvalidInputError, 'invalid_model');
    // A model the catalog does not list is kept as named.
    given(...team())
      .when(setPrice({ model: 'my-finetune', provider: null }))
      .then({ ...set, data: { ...state, model: 'my-finetune', provider: null } });
  });

  it('accepts adjoining dates, other models and other providers, and a removed price’s dates', () => {
    const second = (over: Partial<CustomPriceInput>) => setPrice(over, as('ada'), 'p', 'cp_2');
    const next = { effectiveFrom: '2026-07-01', effectiveUntil: null };
    given(...team(), set)
      .when(second(next))
      .then({ ...set, entityKey: 'custom-price:cp_2', data: { ...state, ...next, priceId: 'cp_2' } });
    given(...team(), set)
      .when(second({ model: 'gpt-4o-mini' }))
      .then(expect.objectContaining({ type: 'custom-price.set' }));
    given(...team(), set)
      .when(second({ provider: 'azure' }))
      .then(expect.objectContaining({ type: 'custom-price.set' }));
    given(...team(), set, removed)
      .when(second({}))
      .then(expect.objectContaining({ type: 'custom-price.set' }));
  });

  it('refuses bad input, by field', () => {
    given(...team())
      .when(setPrice({ model: 'has space' }))
      .thenFails(InvalidInputError, 'invalid_model');
    given(...team())
      .when(setPrice({ provider: 'acme' }))
      .thenFails(InvalidInputError, 'invalid_provider');
    given(...team())
      .when(setPrice({ effectiveFrom: '2026-02-30' }))
      .thenFails(InvalidInputError, 'invalid_date');
    given(...team())
      .when(setPrice({ effectiveUntil: '2026-01-01' }))
      .thenFails(InvalidInputError, 'invalid_dates');
    given(...team())
      .when(setPrice({ inputPerMTok: -1 }))
      .thenFails(InvalidInputError, 'invalid_price');
    given(...team())
      .when(setPrice({ outputPerMTok: 0.0000000001 }))
      .thenFails(InvalidInputError, 'invalid_price');
    given(...team())
      .when(setPrice({ perRequestUsd: Number.NaN }))
      .thenFails(InvalidInputError, 'invalid_price');
  });

  it('removes once; another project’s price looks unknown', () => {
    given(...team(), set)
      .when(remove())
      .then(removed);
    given(...team(), set, removed)
      .when(remove())
      .then();
    given(...team(), project('q'))
      .when(remove())
      .thenFails(NotFoundError, 'custom_price_not_found');
    given(...team(), set)
      .when(remove('p', as('max')))
      .thenFails(ForbiddenError);
  });

  it('evolves to the newest state per price, and the same events again change nothing', () => {
    const events = [set, removed].map((e) => controlEvent(SYSTEM, NOW, e));
    const once = events.reduce(evolve, emptyControlState());
    const twice = events.reduce(evolve, once);
    expect(once.customPrices.get('cp_1')?.removedAt).toBe(NOW.toISOString());
    expect(twice.customPrices.toJS()).toEqual(once.customPrices.toJS());
  });
});
