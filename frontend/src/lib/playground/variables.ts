/** `{{name}}` placeholders in prompts; names are letters, digits, `_`, `.` and `-`. */
const VARIABLE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/** The variables used in `texts`, each once, in order of first use. */
export function variablesIn(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(VARIABLE)) seen.add(match[1]);
  return [...seen];
}

/** Variables used in `texts` that have no value in `values` (an empty string is a value). */
export function missingVariables(
  texts: readonly string[],
  values: Readonly<Record<string, string>>,
): string[] {
  return variablesIn(texts).filter((name) => !(name in values));
}

/** `text` with every `{{name}}` replaced by its value; unknown names are left as written. */
export function fillVariables(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE, (whole, name: string) => (name in values ? values[name] : whole));
}
