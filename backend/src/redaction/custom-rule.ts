import type { RedactionRuleState } from '@sightline/schemas';
import { RE2JS, RE2JSException } from 're2js';
import { InvalidInputError } from '../common/errors';
import type { TextRedactor } from '../security/redact-free-text';

const MAX_NAME = 100;
const MAX_PATTERN = 500;
const MAX_REPLACEMENT = 100;

/**
 * A custom rule as it is kept: name and replacement trimmed, the pattern checked by compiling it
 * with RE2 (RE2JS), which matches in time linear in the text whatever the pattern — no catastrophic
 * backtracking — and refuses what cannot be matched so (backreferences, lookarounds).
 * @param param where the rule sits in the input (`customRules.2`), named in errors
 * @throws InvalidInputError `invalid_rule_name`, `invalid_pattern`, `invalid_replacement`
 */
export function checkCustomRule(rule: RedactionRuleState, param: string): RedactionRuleState {
  const name = rule.name.trim();
  if (!name || name.length > MAX_NAME)
    throw new InvalidInputError(
      `A rule name is 1–${MAX_NAME} characters`,
      'invalid_rule_name',
      `${param}.name`,
    );
  if (rule.replacement.length > MAX_REPLACEMENT)
    throw new InvalidInputError(
      `A replacement is at most ${MAX_REPLACEMENT} characters`,
      'invalid_replacement',
      `${param}.replacement`,
    );
  const checked = { ...rule, name };
  const invalid = (why: string) =>
    new InvalidInputError(`Rule '${name}': ${why}`, 'invalid_pattern', `${param}.pattern`);
  if (!rule.pattern || rule.pattern.length > MAX_PATTERN)
    throw invalid(`a pattern is 1–${MAX_PATTERN} characters`);
  let compiled: RE2JS;
  try {
    compiled = compile(checked);
  } catch (error) {
    if (error instanceof RE2JSException) throw invalid(`not a valid RE2 pattern (${error.message})`);
    throw error;
  }
  // One that matches nothing would put the replacement between every two characters.
  if (compiled.test('')) throw invalid('the pattern matches empty text');
  return checked;
}

/** The rewrite a checked rule makes: every match replaced by its replacement, literally. */
export function customRedactor(rule: RedactionRuleState): TextRedactor {
  const compiled = compile(rule);
  const replacement = () => rule.replacement;
  // `test` runs RE2's DFA without captures: most text has no match and is left at that.
  return (text) => (compiled.test(text) ? compiled.matcher(text).replaceAll(replacement) : text);
}

const compile = (rule: RedactionRuleState): RE2JS =>
  RE2JS.compile(rule.pattern, rule.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
