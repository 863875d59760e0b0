import type { RedactionRuleState, RedactionSettingsState } from '@sightline/schemas';
import { InvalidInputError } from '../../common/errors';
import { checkCustomRule } from '../../redaction/custom-rule';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import { requireRole } from './authority';
import type { Command } from './command';

/** A project's redaction rules as an admin gives them (see `RedactionSettingsState`). */
export interface RedactionInput {
  readonly emails: boolean;
  readonly cardNumbers: boolean;
  readonly apiKeys: boolean;
  readonly customRules: readonly RedactionRuleState[];
  readonly redactForwarded: boolean;
}

export type SetRedaction = Command<'set-redaction', { projectId: string; settings: RedactionInput }>;

/** Most custom rules a project keeps: each one is a pass over every recorded text. */
export const MAX_CUSTOM_RULES = 50;

/**
 * Admins replace their project's redaction rules whole. Custom patterns are RE2 (linear time on
 * any input); one that does not compile or that matches empty text is refused.
 * @throws InvalidInputError (`too_many_rules`, `invalid_rule_name`, `duplicate_rule_name`,
 *   `invalid_pattern`, `invalid_replacement`), ProjectNotFoundError, ForbiddenError below admin
 */
export function setRedaction(command: SetRedaction, state: ControlState): NewControlEvent[] {
  const { projectId, actor } = command;
  requireRole(state, actor, projectId, 'admin');
  const data: RedactionSettingsState = {
    projectId,
    ...checkRedactionInput(command.settings),
    updatedAt: command.now.toISOString(),
    updatedBy: actor.userId,
  };
  return [{ type: 'redaction.set', entityKey: `redaction:${projectId}`, projectId, data }];
}

/**
 * The rules as they are kept, or the first thing wrong with them.
 * @throws InvalidInputError (`too_many_rules`, `invalid_rule_name`, `duplicate_rule_name`,
 *   `invalid_pattern`, `invalid_replacement`)
 */
export function checkRedactionInput(
  settings: RedactionInput,
): Omit<RedactionSettingsState, 'projectId' | 'updatedAt' | 'updatedBy'> {
  if (settings.customRules.length > MAX_CUSTOM_RULES)
    throw new InvalidInputError(
      `A project keeps at most ${MAX_CUSTOM_RULES} custom rules`,
      'too_many_rules',
      'customRules',
    );
  const names = new Set<string>();
  const customRules = settings.customRules.map((input, i) => {
    const rule = checkCustomRule(input, `customRules.${i}`);
    if (names.has(rule.name))
      throw new InvalidInputError(
        `Two custom rules are named '${rule.name}'`,
        'duplicate_rule_name',
        `customRules.${i}.name`,
      );
    names.add(rule.name);
    return rule;
  });
  return {
    emails: settings.emails,
    cardNumbers: settings.cardNumbers,
    apiKeys: settings.apiKeys,
    customRules,
    redactForwarded: settings.redactForwarded,
  };
}
