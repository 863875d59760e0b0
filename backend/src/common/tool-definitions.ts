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

/** What providers accept as a function name (OpenAI's rule, the strictest of them). */
export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Why a Chat Completions `tools` array would be refused by a provider, or null: each tool is
 * `{type: "function", function: {name, description?, parameters?}}` with a valid name and, when
 * given, parameters that are a JSON schema of an object.
 */
export function toolDefinitionsError(tools: readonly unknown[]): string | null {
  for (const [i, tool] of tools.entries()) {
    const at = `tools[${i}]`;
    if (typeof tool !== 'object' || tool === null || Array.isArray(tool)) return `${at} must be an object`;
    const { type, function: fn } = tool as Record<string, unknown>;
    if (type !== 'function') return `${at}.type must be "function"`;
    if (typeof fn !== 'object' || fn === null || Array.isArray(fn))
      return `${at}.function must be an object with the tool's name`;
    const { name, description, parameters } = fn as Record<string, unknown>;
    if (typeof name !== 'string' || !TOOL_NAME.test(name))
      return `${at}.function.name must be 1–64 letters, digits, _ or -`;
    if (description !== undefined && typeof description !== 'string')
      return `${at}.function.description must be a text`;
    if (parameters !== undefined) {
      const error = jsonSchemaError(parameters);
      if (error) return `${at}.function.parameters ${error}`;
      const rootType = (parameters as Record<string, unknown>).type;
      if (rootType !== undefined && rootType !== 'object')
        return `${at}.function.parameters must describe an object ("type": "object")`;
    }
  }
  return null;
}

/**
 * Why a Chat Completions `response_format` would be refused, or null: `text`, `json_object`, or
 * `json_schema` with a name and a valid JSON schema.
 */
export function responseFormatError(format: Record<string, unknown>): string | null {
  switch (format.type) {
    case 'text':
    case 'json_object':
      return null;
    case 'json_schema': {
      const spec = format.json_schema as Record<string, unknown> | undefined;
      if (typeof spec !== 'object' || spec === null)
        return 'json_schema must be an object with name and schema';
      if (typeof spec.name !== 'string' || !TOOL_NAME.test(spec.name))
        return 'json_schema.name must be 1–64 letters, digits, _ or -';
      const error = jsonSchemaError(spec.schema);
      return error ? `json_schema.schema ${error}` : null;
    }
    default:
      return 'type must be "text", "json_object" or "json_schema"';
  }
}
