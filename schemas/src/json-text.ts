// JSON text typed into a form or sent as a GraphQL String, read the same way by the backend and the
// page (imported as source through its `$schemas` alias: no Node, no dependencies).

/** The JSON object in `text`: undefined when `text` is blank, null when it is not a JSON object. */
export function jsonObjectOf(text: string): Record<string, unknown> | null | undefined {
  if (!text.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** Prompt variables in `text`: undefined when blank, null unless it is a JSON object of texts. */
export function variablesFromJson(text: string): Record<string, string> | null | undefined {
  const value = jsonObjectOf(text);
  if (!value) return value;
  return Object.values(value).every((v) => typeof v === 'string') ? (value as Record<string, string>) : null;
}
