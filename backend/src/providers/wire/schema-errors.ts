import { Kind, type TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';

/**
 * A TypeBox error as a caller can act on it: what the field must be, read from the schema it broke
 * (`must be a number between 0 and 2, or null (got -3)`), instead of TypeBox's own words (`Expected
 * union value`), which say nothing about a union's members or a number's bounds.
 */
export function schemaProblem(error: ValueError): string {
  const expected = `must be ${expectation(error.schema)}`;
  if (error.type === ValueErrorType.ObjectRequiredProperty) return `is required and ${expected}`;
  return `${expected} (got ${shownValue(error.value)})`;
}

/** `a number between 0 and 2`, `an integer >= 1`, `one of 'user', 'tool'`, `a string or an array, or null`. */
export function expectation(schema: TSchema): string {
  if (schema.anyOf) return union(schema.anyOf as TSchema[]);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  switch (schema[Kind]) {
    case 'Number':
      return `a number${bounds(schema)}`;
    case 'Integer':
      return schema.minimum === 1 && schema.maximum === undefined
        ? 'a positive integer'
        : `an integer${bounds(schema)}`;
    case 'String':
      return schema.minLength ? `a non-empty string${lengthLimit(schema.maxLength)}` : 'a string';
    case 'Array':
      return schema.minItems ? `an array of at least ${schema.minItems} item(s)` : 'an array';
    case 'Boolean':
      return 'a boolean';
    case 'Null':
      return 'null';
    case 'Object':
      return 'an object';
    default:
      return 'valid';
  }
}

function union(members: readonly TSchema[]): string {
  const nullable = members.some((member) => member[Kind] === 'Null');
  const rest = members.filter((member) => member[Kind] !== 'Null');
  const literals = rest.every((member) => member.const !== undefined);
  const told = literals
    ? `one of ${rest.map((member) => `'${String(member.const)}'`).join(', ')}`
    : rest.map(expectation).join(' or ');
  return nullable ? `${told}, or null` : told;
}

function bounds(schema: TSchema): string {
  const { minimum, maximum } = schema as { minimum?: number; maximum?: number };
  if (minimum !== undefined && maximum !== undefined) return ` between ${minimum} and ${maximum}`;
  if (minimum !== undefined) return ` >= ${minimum}`;
  if (maximum !== undefined) return ` <= ${maximum}`;
  return '';
}

const lengthLimit = (max: number | undefined) => (max === undefined ? '' : ` of at most ${max} characters`);

/** The offending value, short: a long string or a big object is cut. */
export function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
