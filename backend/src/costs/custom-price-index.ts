import type { CustomPriceState } from '@sightline/schemas';
import type { ModelPrice } from '../catalog/catalog-model';
import { storedName } from '../control/decide/custom-prices';
import { compilePrices, type CompiledPrice } from './price-math';

interface CustomEntry {
  readonly provider: string | null;
  readonly price: CompiledPrice;
}

/** A custom price as a catalog-shaped price, named `custom:<priceId>` in the costs it makes. */
export function customModelPrice(state: CustomPriceState): ModelPrice {
  const optional = <K extends string>(key: K, value: number | null) =>
    value === null ? {} : ({ [key]: value } as Record<K, number>);
  return {
    effectiveFrom: state.effectiveFrom,
    ...(state.effectiveUntil ? { effectiveUntil: state.effectiveUntil } : {}),
    currency: 'USD',
    inputPerMTok: state.inputPerMTok,
    outputPerMTok: state.outputPerMTok,
    cachedInputPerMTok: state.cachedInputPerMTok,
    ...optional('cacheWritePerMTok', state.cacheWritePerMTok),
    ...optional('reasoningPerMTok', state.reasoningPerMTok),
    ...optional('perRequestUsd', state.perRequestUsd),
    source: { url: `sightline:custom-price/${state.priceId}`, checkedOn: state.createdAt.slice(0, 10) },
    version: `custom:${state.priceId}`,
  };
}

/**
 * The live custom prices of every project, compiled, by project and model. Built from one control
 * state's map; rebuilt by the caller when that map changes (it is immutable: a new one per change).
 */
export class CustomPriceIndex {
  private readonly byProject = new Map<string, Map<string, CustomEntry[]>>();

  constructor(prices: Iterable<CustomPriceState>) {
    for (const state of prices) {
      if (state.removedAt) continue;
      const models = this.byProject.get(state.projectId) ?? new Map<string, CustomEntry[]>();
      this.byProject.set(state.projectId, models);
      const [price] = compilePrices([customModelPrice(state)], `custom:${state.priceId}`);
      // Under the name pricing looks up (prices kept before names were resolved, too).
      const { model, provider } = storedName(state);
      models.set(model, [...(models.get(model) ?? []), { provider, price }]);
    }
  }

  /** Whether the project has any live custom price. */
  has(projectId: string): boolean {
    return this.byProject.has(projectId);
  }

  /** The project's custom price for `provider`'s `model` in force at `atMs`, if any. */
  priceAt(projectId: string, provider: string, model: string, atMs: number): CompiledPrice | undefined {
    const entries = this.byProject.get(projectId)?.get(model);
    if (!entries) return undefined;
    for (const { provider: only, price } of entries)
      if ((only === null || only === provider) && price.fromMs <= atMs && atMs < price.untilMs) return price;
    return undefined;
  }
}

/**
 * The project's live custom price for `provider`'s model `modelId` (a catalog or own model id) in
 * force on `day` (ISO date), if any: what Settings → Prices and `models.priceInForce` show.
 */
export function customPriceOn(
  prices: Iterable<CustomPriceState>,
  projectId: string,
  provider: string,
  modelId: string,
  day: string,
): CustomPriceState | undefined {
  for (const state of prices) {
    if (state.projectId !== projectId || state.removedAt) continue;
    if (state.effectiveFrom > day || (state.effectiveUntil && state.effectiveUntil <= day)) continue;
    const named = storedName(state);
    if (named.model === modelId && (named.provider === null || named.provider === provider)) return state;
  }
  return undefined;
}
