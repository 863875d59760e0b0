/** A text of a request that holds what redaction wrote in place of a masked value. */
export interface MaskedValue {
  /** Dotted path in the request, e.g. `messages.1.content`. */
  readonly path: string;
  /** The mask tokens found there, e.g. `[EMAIL]`. */
  readonly masks: readonly string[];
}

/** Every text of `value` (any JSON) that holds one of `tokens`, by path, in document order. */
export function maskedValues(value: unknown, tokens: readonly string[], path = ''): MaskedValue[] {
  if (typeof value === 'string') {
    const masks = tokens.filter((t) => value.includes(t));
    return masks.length ? [{ path, masks }] : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([key, v]) => maskedValues(v, tokens, path ? `${path}.${key}` : key));
}
