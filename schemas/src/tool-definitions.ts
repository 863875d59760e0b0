// What providers accept as tools and structured output, checked by both the backend (before an
// event is written) and the page (before a run), so a provider never receives what it would refuse.
// The page imports this file as source through its `$schemas` alias: no Node, no dependencies; each
// side passes its own JSON-schema checker (Ajv in the backend, @cfworker/json-schema in the page).

/** Why `schema` is not a JSON schema (draft-07), or null when it is one. */
export type SchemaCheck = (schema: unknown) => string | null;

/** What providers accept as a function name (OpenAI's rule, the strictest of them). */
export const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Why a Chat Completions `tools` array would be refused by a provider, or null: each tool is
 * `{type: "function", function: {name, description?, parameters?}}` with a valid name and, when
 * given, parameters that are a JSON schema of an object.
 */
export function toolDefinitionsError(tools: readonly unknown[], schemaError: SchemaCheck): string | null {
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
      const error = schemaError(parameters);
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
export function responseFormatError(
  format: Record<string, unknown>,
  schemaError: SchemaCheck,
): string | null {
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
      const error = schemaError(spec.schema);
      return error ? `json_schema.schema ${error}` : null;
    }
    default:
      return 'type must be "text", "json_object" or "json_schema"';
  }
}
