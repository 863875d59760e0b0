// An interpreting validator: Ajv compiles schemas to functions (`new Function`), which the app's
// Content Security Policy forbids in the browser; @cfworker/json-schema evaluates no code.
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json';

const metaSchema = new Validator(draft07 as Schema, '7', false);

/** Errors that only say a child had errors (which are listed too). */
const SUMMARIES = new Set([
  'properties',
  'patternProperties',
  'items',
  'prefixItems',
  'additionalItems',
  'allOf',
  'anyOf',
  'oneOf',
  '$ref',
  '$recursiveRef',
  'false',
]);

/** `/path: message` of each error that is not a summary of others. */
function messages(errors: readonly OutputUnit[]): string[] {
  return errors
    .filter((e) => !SUMMARIES.has(e.keyword))
    .map((e) => `${e.instanceLocation.replace(/^#/, '') || '/'}: ${e.error}`);
}

/** Validates a value; empty when it matches. */
export type Validate = (value: unknown) => readonly string[];

/** A JSON schema the output must match, ready to validate; or why it is not one. */
export type CompiledSchema =
  | { readonly ok: true; readonly schema: Record<string, unknown>; readonly validate: Validate }
  | { readonly ok: false; readonly error: string };

/** Why `schema` is not a JSON schema (draft-07's meta-schema), or null when it is one. */
export function schemaError(schema: unknown): string | null {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    return 'must be a JSON schema (an object)';
  const meta = metaSchema.validate(schema);
  return meta.valid ? null : `is not a valid JSON schema: ${messages(meta.errors).join('; ')}`;
}

/** Parses schema text and checks it against JSON Schema draft-07's meta-schema. */
export function compileSchema(text: string): CompiledSchema {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `The schema is not JSON: ${(error as Error).message}` };
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    return { ok: false, error: 'The schema must be a JSON object' };
  const meta = metaSchema.validate(schema);
  if (!meta.valid)
    return { ok: false, error: `The schema is not a valid JSON schema: ${messages(meta.errors).join('; ')}` };
  const validator = new Validator(schema as Schema, '7', false);
  return {
    ok: true,
    schema: schema as Record<string, unknown>,
    validate: (value) => messages(validator.validate(value).errors),
  };
}

/** What came back, checked against the schema. */
export interface StructuredOutput {
  /** The parsed value; undefined when no JSON could be read from the output. */
  readonly parsed: unknown;
  /** Validation errors as `/path: message`; a parse failure is one error. Empty: valid. */
  readonly errors: readonly string[];
  /** The JSON had to be cut out of the text around it (a code fence, a sentence). */
  readonly repaired: boolean;
}

/** The JSON in `output`: the whole text, else a fenced block, else the outermost braces. */
function readJson(output: string): { value: unknown; repaired: boolean } | undefined {
  const candidates = [
    output,
    /```(?:json)?\s*([\s\S]*?)```/.exec(output)?.[1],
    output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1),
  ];
  for (const [i, text] of candidates.entries()) {
    if (!text?.trim()) continue;
    try {
      return { value: JSON.parse(text), repaired: i > 0 };
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

export function checkOutput(validate: Validate, output: string): StructuredOutput {
  const read = readJson(output);
  if (!read) return { parsed: undefined, errors: ['The output is not JSON'], repaired: false };
  return { parsed: read.value, errors: validate(read.value), repaired: read.repaired };
}
