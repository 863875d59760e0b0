import { PROMPT_VARIABLE, variablesIn } from '$schemas/prompt-templates';

export { variablesIn };

/** Variables used in `texts` that have no value in `values` (an empty string is a value). */
export function missingVariables(
  texts: readonly string[],
  values: Readonly<Record<string, string>>,
): string[] {
  return variablesIn(texts).filter((name) => !(name in values));
}

/** `text` with every `{{name}}` replaced by its value; unknown names are left as written. */
export function fillVariables(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PROMPT_VARIABLE, (whole, name: string) => (name in values ? values[name] : whole));
}
