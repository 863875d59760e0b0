import type { CustomPriceState } from '@sightline/schemas';
import { pricedName } from '../../catalog/price-names';
import { providerInfo } from '../../catalog/providers';
import { ConflictError, InvalidInputError, NotFoundError } from '../../common/errors';
import { usdToNano } from '../../costs/price-math';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import { requireRole } from './authority';
import type { Command } from './command';

/** A custom price as an admin gives it: USD per 1M tokens, UTC days (`YYYY-MM-DD`, end exclusive). */
export interface CustomPriceInput {
  readonly model: string;
  readonly provider: string | null;
  readonly effectiveFrom: string;
  readonly effectiveUntil: string | null;
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cachedInputPerMTok: number | null;
  readonly cacheWritePerMTok: number | null;
  readonly reasoningPerMTok: number | null;
  readonly perRequestUsd: number | null;
  readonly note: string;
}

export type SetCustomPrice = Command<
  'set-custom-price',
  { priceId: string; projectId: string; price: CustomPriceInput }
>;
export type RemoveCustomPrice = Command<'remove-custom-price', { projectId: string; priceId: string }>;

/** Most live custom prices a project keeps. */
export const MAX_CUSTOM_PRICES = 500;
const MODEL = /^\S{1,300}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Admins price a model for their project from a day on. Dates of two live prices for the same model
 * and provider (a null provider overlaps every provider) must not overlap: the price of a day is
 * never ambiguous. A model is kept under the name pricing looks it up by (see `pricedName`): an
 * alias or dated id of a catalog model is the same model. To change a price, end the old one (remove it, set it again with an end) first.
 * @throws InvalidInputError (`invalid_model`, `invalid_provider`, `invalid_date`, `invalid_dates`,
 *   `invalid_price`, `invalid_note`, `too_many_prices`), ConflictError `custom_price_overlap`
 *   naming the price it overlaps, ProjectNotFoundError, ForbiddenError below admin
 */
export function setCustomPrice(command: SetCustomPrice, state: ControlState): NewControlEvent[] {
  const { projectId, actor, price } = command;
  requireRole(state, actor, projectId, 'admin');
  const live = [...state.customPrices.values()].filter((p) => p.projectId === projectId && !p.removedAt);
  if (live.length >= MAX_CUSTOM_PRICES)
    throw new InvalidInputError(`A project keeps at most ${MAX_CUSTOM_PRICES} prices`, 'too_many_prices');
  // Every name of a model (alias, dated id, `<provider>/<model>`) is kept as the one pricing looks up.
  const named = pricedName(requireModel(price.model), requireProvider(price.provider));
  const data: CustomPriceState = {
    priceId: command.priceId,
    projectId,
    model: named.model,
    provider: named.provider,
    ...requireDates(price.effectiveFrom, price.effectiveUntil),
    inputPerMTok: rate(price.inputPerMTok, 'inputPerMTok'),
    outputPerMTok: rate(price.outputPerMTok, 'outputPerMTok'),
    cachedInputPerMTok: optionalRate(price.cachedInputPerMTok, 'cachedInputPerMTok'),
    cacheWritePerMTok: optionalRate(price.cacheWritePerMTok, 'cacheWritePerMTok'),
    reasoningPerMTok: optionalRate(price.reasoningPerMTok, 'reasoningPerMTok'),
    perRequestUsd: fee(price.perRequestUsd),
    note: requireNote(price.note),
    createdAt: command.now.toISOString(),
    createdBy: actor.userId,
    removedAt: null,
  };
  const clash = live.find((other) => overlaps(other, data));
  if (clash)
    throw new ConflictError(
      `'${data.model}' already has a price from ${clash.effectiveFrom} to ${clash.effectiveUntil ?? 'open end'} (${clash.priceId}); the dates overlap`,
      'custom_price_overlap',
    );
  return [{ type: 'custom-price.set', entityKey: `custom-price:${data.priceId}`, projectId, data }];
}

/**
 * Removing a removed price changes nothing; another project's price looks unknown.
 * @throws NotFoundError `custom_price_not_found`, ProjectNotFoundError, ForbiddenError below admin
 */
export function removeCustomPrice(command: RemoveCustomPrice, state: ControlState): NewControlEvent[] {
  const { projectId, priceId } = command;
  requireRole(state, command.actor, projectId, 'admin');
  const price = state.customPrices.get(priceId);
  if (!price || price.projectId !== projectId)
    throw new NotFoundError('Custom price not found', 'custom_price_not_found');
  if (price.removedAt) return [];
  const data = { ...price, removedAt: command.now.toISOString() };
  return [{ type: 'custom-price.removed', entityKey: `custom-price:${priceId}`, projectId, data }];
}

/**
 * Same model (by any name: prices kept before names were resolved are resolved here), providers that
 * can meet, and date ranges `[from, until)` that share a day.
 */
function overlaps(a: CustomPriceState, b: CustomPriceState): boolean {
  const an = storedName(a);
  const bn = storedName(b);
  if (an.model !== bn.model) return false;
  if (an.provider !== null && bn.provider !== null && an.provider !== bn.provider) return false;
  const aEnds = a.effectiveUntil ?? '9999-12-31';
  const bEnds = b.effectiveUntil ?? '9999-12-31';
  return a.effectiveFrom < bEnds && b.effectiveFrom < aEnds;
}

/** A kept price's name as pricing looks it up; a name that cannot be resolved stays as it is. */
export function storedName(price: Pick<CustomPriceState, 'model' | 'provider'>): {
  model: string;
  provider: string | null;
} {
  try {
    return pricedName(price.model, price.provider);
  } catch {
    return { model: price.model, provider: price.provider };
  }
}

function requireModel(model: string): string {
  const name = model.trim();
  if (!MODEL.test(name))
    throw new InvalidInputError('A model is 1–300 characters without spaces', 'invalid_model', 'model');
  return name;
}

function requireProvider(provider: string | null): string | null {
  if (provider === null || provider.trim() === '') return null;
  const info = providerInfo(provider.trim());
  if (!info) throw new InvalidInputError(`Unknown provider '${provider}'`, 'invalid_provider', 'provider');
  return info.id;
}

function day(value: string, param: string): string {
  const text = value.trim();
  const parsed = Date.parse(`${text}T00:00:00Z`);
  if (!DAY.test(text) || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== text)
    throw new InvalidInputError(`${param} must be a day, YYYY-MM-DD`, 'invalid_date', param);
  return text;
}

function requireDates(from: string, until: string | null) {
  const effectiveFrom = day(from, 'effectiveFrom');
  const effectiveUntil = until === null || until.trim() === '' ? null : day(until, 'effectiveUntil');
  if (effectiveUntil !== null && effectiveUntil <= effectiveFrom)
    throw new InvalidInputError(
      'effectiveUntil must be after effectiveFrom',
      'invalid_dates',
      'effectiveUntil',
    );
  return { effectiveFrom, effectiveUntil };
}

/** USD per 1M tokens with at most 9 decimals, so nano-dollar math stays exact. */
function rate(value: number, param: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 100_000 || !nanoExact(value))
    throw new InvalidInputError(
      `${param} must be USD per 1M tokens, 0 to 100000, at most 9 decimals`,
      'invalid_price',
      param,
    );
  return value;
}

const optionalRate = (value: number | null, param: string): number | null =>
  value === null ? null : rate(value, param);

function fee(value: number | null): number | null {
  if (value === null) return null;
  if (!Number.isFinite(value) || value < 0 || value > 1_000 || !nanoExact(value))
    throw new InvalidInputError('perRequestUsd must be USD, 0 to 1000', 'invalid_price', 'perRequestUsd');
  return value;
}

function nanoExact(value: number): boolean {
  try {
    usdToNano(value);
    return true;
  } catch {
    return false;
  }
}

function requireNote(note: string): string {
  if (note.length > 500)
    throw new InvalidInputError('A note is at most 500 characters', 'invalid_note', 'note');
  return note.trim();
}
