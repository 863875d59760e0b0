import type { RedactionSettingsState } from '@sightline/schemas';
import type { TextRedactor } from '../security/redact-free-text';
import { BUILTIN_RULES } from './builtin-rules';
import { customRedactor } from './custom-rule';

/**
 * The rewrite a project's rules make of one text: the built-in rules it turned on, then its custom
 * rules in order. Undefined when there is nothing to do. Each rule is linear in the text, and a
 * project has at most 3 + 50 of them, so a text costs at most that many passes.
 */
export function projectRedactor(
  settings: Pick<RedactionSettingsState, 'emails' | 'cardNumbers' | 'apiKeys' | 'customRules'>,
): TextRedactor | undefined {
  const rules: TextRedactor[] = [
    ...(Object.keys(BUILTIN_RULES) as (keyof typeof BUILTIN_RULES)[])
      .filter((rule) => settings[rule])
      .map((rule) => BUILTIN_RULES[rule]),
    ...settings.customRules.map(customRedactor),
  ];
  if (!rules.length) return undefined;
  return (text) => {
    let result = text;
    for (const rule of rules) result = rule(result);
    return result;
  };
}
