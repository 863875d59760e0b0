// The same rules as the backend's (backend/src/common/tool-definitions.ts), checked before a run so
// that a provider never receives a tool it would refuse.
import { schemaError } from './structured';

/** What providers accept as a function name (OpenAI's rule, the strictest of them). */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

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
      const error = schemaError(parameters);
      if (error) return `${at}.function.parameters ${error}`;
      const rootType = (parameters as Record<string, unknown>).type;
      if (rootType !== undefined && rootType !== 'object')
        return `${at}.function.parameters must describe an object ("type": "object")`;
    }
  }
  return null;
}
