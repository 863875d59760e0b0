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
 * `value` with `fn` applied to every string, object keys included; other values are kept. Only
 * what changes is copied: an object or array in which `fn` changed nothing is returned as it is
 * (shared, not copied), so the common case allocates nothing. The input is never mutated.
 * Throws TooDeepError past `maxDepth` levels of objects and arrays.
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
    return Array.isArray(v) ? walkArray(v, depth) : walkObject(v as Record<string, unknown>, depth);
  };
  const walkArray = (v: readonly unknown[], depth: number): unknown => {
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const item = walk(v[i], depth + 1);
      if (copy) copy[i] = item;
      else if (item !== v[i]) {
        copy = v.slice(0, i);
        copy[i] = item;
      }
    }
    return copy ?? v;
  };
  const walkObject = (v: Record<string, unknown>, depth: number): unknown => {
    const keys = Object.keys(v);
    let copy: Record<string, unknown> | undefined;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      const name = fn(key);
      const item = walk(v[key], depth + 1);
      if (!copy && name === key && item === v[key]) continue;
      if (!copy) {
        copy = {};
        for (let j = 0; j < k; j++) set(copy, keys[j], v[keys[j]]);
      }
      set(copy, name, item);
    }
    return copy ?? v;
  };
  return walk(value, 0);
}

// Assigning `__proto__` would set the prototype: define it, so it stays a key.
function set(copy: Record<string, unknown>, name: string, item: unknown): void {
  if (name === '__proto__') Object.defineProperty(copy, name, { ...OWN, value: item });
  else copy[name] = item;
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
