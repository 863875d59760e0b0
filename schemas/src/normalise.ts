/**
 * How deep an event may nest (objects and arrays, counting the envelope). Request bodies are refused
 * well before this (`MAX_BODY_DEPTH` in the backend), so only a bug reaches it; the bound keeps every
 * walk over user data off the stack limit.
 */
export const MAX_EVENT_DEPTH = 100;

/** A value nests deeper than a walk allows. */
export class TooDeepError extends Error {
  override readonly name = 'TooDeepError';
  constructor(readonly maxDepth: number) {
    super(`nested deeper than ${maxDepth} levels`);
  }
}

/**
 * A copy of a JSON value with `fn` applied to every string, object keys included; other values are
 * kept. Throws TooDeepError past `maxDepth` levels of objects and arrays.
 */
export function mapJsonStrings(
  value: unknown,
  fn: (text: string) => string,
  maxDepth = MAX_EVENT_DEPTH,
): unknown {
  // Plain loops: this walk runs over every recorded event, twice (redaction, then normalisation).
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return fn(v);
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) throw new TooDeepError(maxDepth);
    if (Array.isArray(v)) {
      const items = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) items[i] = walk(v[i], depth + 1);
      return items;
    }
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      const name = fn(key);
      const item = walk((v as Record<string, unknown>)[key], depth + 1);
      // Assigning `__proto__` would set the prototype: define it, so it stays a key.
      if (name === '__proto__') Object.defineProperty(copy, name, { ...OWN, value: item });
      else copy[name] = item;
    }
    return copy;
  };
  return walk(value, 0);
}

const OWN = { enumerable: true, writable: true, configurable: true } as const;

const SURROGATE = /[\uD800-\uDFFF]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as it can be stored: lone UTF-16 surrogates (valid in a JS string and in JSON's `\ud800`,
 * but not Unicode, so ClickHouse refuses them) become U+FFFD, as a UTF-8 encoder would make them.
 * NUL and other control characters are valid text and are kept.
 */
export function wellFormedText(text: string): string {
  // Most text holds no surrogate at all: one plain scan, no lookarounds.
  return SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

/** The copy of an event that is recorded: every string (keys too) well-formed; throws TooDeepError. */
export function normaliseForLog<E>(event: E): E {
  return mapJsonStrings(event, wellFormedText) as E;
}
