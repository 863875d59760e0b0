import { responseFormatError as formatError, toolDefinitionsError as toolsError } from '@sightline/schemas';
import Ajv from 'ajv';

// Only the meta-schema is checked here (draft-07, Ajv's default): whether a schema is one at all.
const ajv = new Ajv({ strict: false, validateSchema: false });

/** Why `schema` is not a JSON schema (draft-07), or null when it is one. */
export function jsonSchemaError(schema: unknown): string | null {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema))
    return 'must be a JSON schema (an object)';
  if (ajv.validateSchema(schema) === true) return null;
  return `is not a valid JSON schema: ${ajv.errorsText(ajv.errors, { dataVar: 'schema' })}`;
}

/** The shared rules (schemas/src/tool-definitions.ts) with Ajv as the JSON-schema checker. */
export const toolDefinitionsError = (tools: readonly unknown[]) => toolsError(tools, jsonSchemaError);
export const responseFormatError = (format: Record<string, unknown>) => formatError(format, jsonSchemaError);
