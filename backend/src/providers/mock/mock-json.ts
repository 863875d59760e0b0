/**
 * A deterministic JSON value that is valid against a JSON Schema: what the mock model answers when
 * a JSON schema is asked for (`response_format`), and its tool calls' arguments. Covers the
 * keywords structured output uses: type (or a list of types), properties/required, items with
 * min/maxItems, enum, const, anyOf/oneOf/allOf (the first branch), local `$ref`s, string
 * min/maxLength and formats (date-time, date, email, uri, uuid), number minimum/maximum.
 */
import { pick, type Random } from './mock-prose';

type Schema = Readonly<Record<string, unknown>>;

const WORDS = [
  'alpha',
  'summary',
  'pending',
  'ready',
  'draft',
  'review',
  'north',
  'amber',
  'quick',
  'steady',
];
const MAX_DEPTH = 8;

const isSchema = (value: unknown): value is Schema =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `#/$defs/x` or `#/definitions/x` in the root schema. */
function resolve(root: Schema, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  let target: unknown = root;
  for (const part of ref.slice(2).split('/')) target = isSchema(target) ? target[part] : undefined;
  return isSchema(target) ? target : {};
}

/**
 * @param hints strings for string properties, by property name (e.g. `{ location: 'Lisbon' }`);
 *   `*` is used for any string property that has no hint of its own
 */
export function jsonFromSchema(
  schema: unknown,
  random: Random,
  hints: Readonly<Record<string, string>> = {},
): unknown {
  const root = isSchema(schema) ? schema : {};
  const value = (raw: Schema, name: string, depth: number): unknown => {
    const s = resolve(root, raw);
    if ('const' in s) return s.const;
    if (Array.isArray(s.enum) && s.enum.length) return pick(random, s.enum);
    for (const key of ['anyOf', 'oneOf', 'allOf']) {
      const branches = s[key];
      if (Array.isArray(branches) && isSchema(branches[0])) return value(branches[0], name, depth);
    }
    const types = Array.isArray(s.type) ? s.type.filter((t) => t !== 'null') : [s.type];
    const type = types[0] ?? (isSchema(s.properties) ? 'object' : 'string');
    switch (type) {
      case 'object': {
        if (depth >= MAX_DEPTH) return {};
        const properties = isSchema(s.properties) ? s.properties : {};
        return Object.fromEntries(
          Object.entries(properties)
            .filter(([, p]) => isSchema(p))
            .map(([key, p]) => [key, value(p as Schema, key, depth + 1)]),
        );
      }
      case 'array': {
        const min = typeof s.minItems === 'number' ? s.minItems : 1;
        const max = typeof s.maxItems === 'number' ? s.maxItems : min + 2;
        const length = depth >= MAX_DEPTH ? 0 : min + (random() % (Math.max(min, max) - min + 1));
        const items = isSchema(s.items) ? s.items : {};
        return Array.from({ length }, () => value(items, name, depth + 1));
      }
      case 'integer':
      case 'number': {
        const min = typeof s.minimum === 'number' ? Math.ceil(s.minimum) : 0;
        const max = typeof s.maximum === 'number' ? Math.floor(s.maximum) : min + 100;
        const n = min + (random() % (Math.max(min, max) - min + 1));
        return type === 'number' && n < max ? n + 0.5 : n;
      }
      case 'boolean':
        return random() % 2 === 0;
      case 'null':
        return null;
      default:
        return text(s, hints[name] ?? hints['*'] ?? `${pick(random, WORDS)} ${pick(random, WORDS)}`, random);
    }
  };
  return value(root, '', 0);
}

function text(s: Schema, base: string, random: Random): string {
  const n = random();
  switch (s.format) {
    case 'date-time':
      return new Date(Date.UTC(2026, n % 12, 1 + (n % 28), n % 24)).toISOString();
    case 'date':
      return new Date(Date.UTC(2026, n % 12, 1 + (n % 28))).toISOString().slice(0, 10);
    case 'email':
      return `user${n % 1000}@example.com`;
    case 'uri':
      return `https://example.com/${n % 1000}`;
    case 'uuid':
      return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0').slice(-12)}`;
  }
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Infinity;
  return base.padEnd(min, '.').slice(0, max);
}
