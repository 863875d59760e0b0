import { InvalidInputError } from '../common/errors';
import type { CatalogModel } from './catalog-model';
import { ModelCatalog } from './model-catalog';
import { providerInfo } from './providers';

let shipped: ModelCatalog | undefined;
const catalog = (): ModelCatalog => (shipped ??= new ModelCatalog());

/** A model a price names, as pricing looks it up. */
export interface PricedName {
  readonly model: string;
  readonly provider: string | null;
}

/**
 * The name a custom price is kept and looked up under, so that every name of one model meets in
 * one place (the overlap check, pricing): the catalog id for any name the catalog knows (alias, dated
 * id, wire name), the name after a `<provider>/` prefix (the prefix sets the provider, as the
 * gateway routes it), else the name as given (a model the catalog does not list).
 * @throws InvalidInputError `invalid_model` when a prefix names another provider than the price's
 */
export function pricedName(model: string, provider: string | null): PricedName {
  const known = catalog().get(model);
  if (known) return { model: known.id, provider };
  const slash = model.indexOf('/');
  const prefixed = slash > 0 && slash < model.length - 1 ? providerInfo(model.slice(0, slash)) : undefined;
  if (prefixed && (provider === null || provider === prefixed.id)) {
    const rest = model.slice(slash + 1);
    return {
      model: catalog().get(rest)?.id ?? byWireName(rest, prefixed.id)?.id ?? rest,
      provider: prefixed.id,
    };
  }
  const wire = byWireName(model, provider);
  if (wire) return { model: wire.id, provider };
  if (prefixed)
    throw new InvalidInputError(
      `'${model}' is served by ${prefixed.id}, but the price is for ${provider}; name the model without its prefix`,
      'invalid_model',
      'model',
    );
  return { model, provider };
}

/** The one catalog entry sent to its provider (`provider`'s, when given) as `name`. */
function byWireName(name: string, provider: string | null): CatalogModel | undefined {
  const found = catalog().models.filter(
    (m) => m.wireModel === name && (provider === null || m.provider === provider),
  );
  return found.length === 1 ? found[0] : undefined;
}
