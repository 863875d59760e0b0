// Prompt templates as both the backend and the page read them (the page imports this file as
// source through its `$schemas` alias, so it must stay free of Node and of dependencies).

/** `{{name}}` in a prompt's text; names are letters, digits, `_`, `.` and `-`. Global: use it with `replace`, `matchAll` or `split`. */
export const PROMPT_VARIABLE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/** The variables used in `texts`, each once, in order of first use. */
export function variablesIn(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) for (const match of text.matchAll(PROMPT_VARIABLE)) seen.add(match[1]);
  return [...seen];
}

/**
 * The values of a template's variables in `text`, or undefined when it does not fit. Each variable
 * takes the text up to the first place the literal after it appears (linear: `indexOf`, no regex).
 */
export function matchTemplate(template: string, text: string): Record<string, string> | undefined {
  // With a capturing group, split alternates literal, name, literal, ..., literal.
  const parts = template.split(PROMPT_VARIABLE);
  const literals = parts.filter((_, i) => i % 2 === 0);
  const names = parts.filter((_, i) => i % 2 === 1);
  const last = literals[literals.length - 1];
  if (!names.length) return text === template ? {} : undefined;
  if (!text.startsWith(literals[0]) || !text.endsWith(last)) return undefined;
  const end = text.length - last.length;
  const values: Record<string, string> = {};
  let at = literals[0].length;
  for (let i = 0; i < names.length; i++) {
    const isLast = i === names.length - 1;
    const stop = isLast ? end : text.indexOf(literals[i + 1], at);
    if (stop < at || stop > end) return undefined;
    values[names[i]] ??= text.slice(at, stop);
    at = stop + (isLast ? 0 : literals[i + 1].length);
  }
  return values;
}
