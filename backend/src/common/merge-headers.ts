/**
 * `{ ...a, ...b }` for header records (later parts win; undefined parts are skipped), by
 * `Object.assign`: spreading an object whose names are not identifiers (`x-request-id`,
 * `anthropic-version`) takes V8's slow path, 0.4–2.4 µs a copy against under 0.1 µs, and the gateway
 * copies headers on every call. The parts hold header names, never `__proto__`.
 */
export function mergeHeaders(
  ...parts: (Readonly<Record<string, string>> | undefined)[]
): Record<string, string> {
  return Object.assign({}, ...parts) as Record<string, string>;
}
