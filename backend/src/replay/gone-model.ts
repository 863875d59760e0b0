import type { ProjectModelState } from '@sightline/schemas';
import { distance } from 'fastest-levenshtein';
import type { CatalogModel } from '../catalog/catalog-model';
import { closeMatches } from '../catalog/model-catalog';
import { UnknownModelError } from '../common/errors';

const MAX_SUGGESTIONS = 3;

/** What is known of a model a replay asks for that no rule routes any more. */
export interface GoneModel {
  readonly requested: string;
  /** The provider that served it when it was recorded (absent for a model the caller chose). */
  readonly provider?: string;
  /** The project's own model of that name, removed since. */
  readonly removed?: ProjectModelState;
}

/**
 * The refusal of a replay whose model no longer routes, offering the catalog's closest models, best
 * first: for a project model removed since, its base model and the catalog models its provider's
 * name holds (`ft:gpt-4o-mini:acme::x` → `gpt-4o-mini`); then the names closest to the one asked
 * for; failing those, the models of the provider that served it, closest first. Pure.
 */
export function goneModelError(gone: GoneModel, catalog: readonly CatalogModel[]): UnknownModelError {
  const { requested, removed } = gone;
  const provider = removed?.provider ?? gone.provider;
  const names = catalog.flatMap((m) => [m.id, ...(m.aliases ?? [])]);
  const suggestions = new Set<string>();
  const add = (list: readonly string[]) => list.forEach((n) => suggestions.add(n));
  if (removed) {
    if (removed.baseModel && names.includes(removed.baseModel)) add([removed.baseModel]);
    add(heldIn(removed.wireModel, catalog));
    add(closeMatches(removed.wireModel, names));
  }
  add(closeMatches(requested, names));
  if (suggestions.size < MAX_SUGGESTIONS && provider)
    add(ofProvider(provider, removed?.wireModel ?? requested, catalog));
  const offered = [...suggestions].slice(0, MAX_SUGGESTIONS);
  const why = removed
    ? `'${requested}' was a model of this project (${removed.provider} '${removed.wireModel}'), removed on ${removed.removedAt!.slice(0, 10)}: no provider serves it now.`
    : `No provider serves the model '${requested}' any more.`;
  const closest = offered.length
    ? ` Closest models in the catalog: ${offered.map((n) => `'${n}'`).join(', ')}.`
    : '';
  return new UnknownModelError(requested, offered, `${why}${closest}`);
}

/** Catalog ids a provider's model name contains (a fine-tune names its base), longest first. */
function heldIn(wireModel: string, catalog: readonly CatalogModel[]): string[] {
  const lower = wireModel.toLowerCase();
  return catalog
    .filter((m) => m.id.length >= 3 && lower.includes(m.id.toLowerCase()))
    .map((m) => m.id)
    .sort((a, b) => b.length - a.length || a.localeCompare(b));
}

/** The provider's catalog models, closest to `name` first. */
function ofProvider(provider: string, name: string, catalog: readonly CatalogModel[]): string[] {
  return catalog
    .filter((m) => m.provider === provider)
    .map((m) => ({ id: m.id, d: distance(name.toLowerCase(), m.id.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, MAX_SUGGESTIONS)
    .map((m) => m.id);
}
