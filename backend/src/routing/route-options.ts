import { InvalidInputError } from '../common/errors';
import type { RouteOptions } from './router';

const MAX_FALLBACKS = 5;
const MAX_NAME = 256;

/**
 * A call's routing options from its headers: `x-sightline-fallbacks: claude-sonnet-4-5, gpt-4o`
 * (up to 5 model names, in order; an empty value turns the configured fallbacks off).
 * @throws InvalidInputError (`invalid_fallbacks`) on a malformed value.
 */
export function routeOptionsFromHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): RouteOptions {
  const raw = headers['x-sightline-fallbacks'];
  if (raw === undefined) return {};
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  const fallbacks = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (fallbacks.length > MAX_FALLBACKS || fallbacks.some((name) => name.length > MAX_NAME || /\s/.test(name)))
    throw new InvalidInputError(
      `x-sightline-fallbacks takes up to ${MAX_FALLBACKS} comma-separated model names`,
      'invalid_fallbacks',
      'x-sightline-fallbacks',
    );
  return { fallbacks };
}
