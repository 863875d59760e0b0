import type { CatalogModel } from '../catalog/catalog-model';
import { PRICE_TABLE_VERSION } from '../catalog/models.data';
import { compilePrices, type CompiledPrice } from './price-math';

/** What costs name when they used the shipped price table. */
export const CATALOG_PRICE_VERSION = `catalog:${PRICE_TABLE_VERSION}`;

/**
 * Compiled prices of catalog-shaped models, looked up by provider and any name the model goes by
 * (id, alias, wire name). Built once; a lookup allocates nothing. Restatement builds its own from
 * another table.
 */
export class PriceBook {
  private readonly byProvider = new Map<string, Map<string, readonly CompiledPrice[]>>();
  private readonly ids = new Map<string, Map<string, string>>();
  private readonly compiled = new WeakMap<CatalogModel, readonly CompiledPrice[]>();

  constructor(
    models: readonly CatalogModel[],
    private readonly version: string = CATALOG_PRICE_VERSION,
  ) {
    for (const model of models) {
      const names = this.byProvider.get(model.provider) ?? new Map<string, readonly CompiledPrice[]>();
      this.byProvider.set(model.provider, names);
      const ids = this.ids.get(model.provider) ?? new Map<string, string>();
      this.ids.set(model.provider, ids);
      const prices = this.pricesOfModel(model);
      for (const name of [model.id, model.wireModel, ...(model.aliases ?? [])]) {
        if (name === undefined || names.has(name)) continue;
        names.set(name, prices);
        ids.set(name, model.id);
      }
    }
  }

  /** The prices of `provider`'s `model` (a wire name, id or alias), oldest first; undefined when unknown. */
  prices(provider: string, model: string): readonly CompiledPrice[] | undefined {
    return this.byProvider.get(provider)?.get(model);
  }

  /** The catalog id of `provider`'s `model` (a wire name, id or alias). */
  idOf(provider: string, model: string): string | undefined {
    return this.ids.get(provider)?.get(model);
  }

  /** A model entry's prices, compiled once per entry (project models' entries come and go). */
  pricesOfModel(model: CatalogModel): readonly CompiledPrice[] {
    let prices = this.compiled.get(model);
    if (!prices) {
      prices = compilePrices(model.prices, this.version);
      this.compiled.set(model, prices);
    }
    return prices;
  }
}
