import Ajv, { type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false });

/** A JSON schema the output must match, compiled; or why it is not one. */
export type CompiledSchema =
  | { readonly ok: true; readonly schema: Record<string, unknown>; readonly validate: ValidateFunction }
  | { readonly ok: false; readonly error: string };

/** Parses and compiles schema text (JSON Schema draft-07 as Ajv reads it). */
export function compileSchema(text: string): CompiledSchema {
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `The schema is not JSON: ${(error as Error).message}` };
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    return { ok: false, error: 'The schema must be a JSON object' };
  try {
    return { ok: true, schema: schema as Record<string, unknown>, validate: ajv.compile(schema) };
  } catch (error) {
    return { ok: false, error: `The schema is not a valid JSON schema: ${(error as Error).message}` };
  }
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

export function checkOutput(validate: ValidateFunction, output: string): StructuredOutput {
  const read = readJson(output);
  if (!read) return { parsed: undefined, errors: ['The output is not JSON'], repaired: false };
  const valid = validate(read.value);
  const errors = valid ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`);
  return { parsed: read.value, errors, repaired: read.repaired };
}
