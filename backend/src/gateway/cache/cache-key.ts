import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';

/** Fields that change how an answer is delivered or attributed, not what it says. */
const NOT_IN_KEY = new Set(['stream', 'stream_options', 'user']);

/**
 * The cache key of a request: sha256 over the project, the caller's wire format and the body with
 * keys sorted and delivery-only fields removed. Two requests share an answer only when everything
 * the model sees is equal; a project never sees another project's entries.
 */
export function cacheKey(projectId: string, format: string, body: Readonly<Record<string, unknown>>): string {
  const normalized = Object.fromEntries(Object.entries(body).filter(([field]) => !NOT_IN_KEY.has(field)));
  return createHash('sha256')
    .update(stringify({ projectId, format, body: normalized }) ?? '')
    .digest('hex');
}
