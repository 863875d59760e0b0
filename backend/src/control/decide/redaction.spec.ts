import type { RedactionSettingsState } from '@sightline/schemas';
import { InvalidInputError } from '../../common/errors';
import { adminOnly, as, given, NOW, team } from '../../../test/support/control-given';
import { controlEvent, SYSTEM, type NewControlEvent } from '../control-events';
import { emptyControlState, evolve } from '../control-state';
import { MAX_CUSTOM_RULES, type RedactionInput, type SetRedaction } from './redaction';

const input: RedactionInput = {
  emails: true,
  cardNumbers: true,
  apiKeys: false,
  customRules: [
    { name: ' ticket ', pattern: 'ACME-\\d{6}', replacement: '[TICKET]', caseInsensitive: false },
  ],
  redactForwarded: false,
};
const state: RedactionSettingsState = {
  ...input,
  customRules: [{ name: 'ticket', pattern: 'ACME-\\d{6}', replacement: '[TICKET]', caseInsensitive: false }],
  projectId: 'p',
  updatedAt: NOW.toISOString(),
  updatedBy: 'ada',
};
const set: NewControlEvent = { type: 'redaction.set', entityKey: 'redaction:p', projectId: 'p', data: state };

const setRules = (over: Partial<RedactionInput> = {}, by = as('ada'), projectId = 'p'): SetRedaction => ({
  type: 'set-redaction',
  actor: by,
  now: NOW,
  projectId,
  settings: { ...input, ...over },
});
const rule = (pattern: string, name = 'r') => ({ name, pattern, replacement: 'x', caseInsensitive: false });

describe('redaction rules', () => {
  it('admins set them, names trimmed; members, keys and outsiders do not', () => {
    adminOnly((by, projectId) => setRules({}, by, projectId), set);
  });

  it('replaces the rules whole, forwarding choice included', () => {
    given(...team(), set)
      .when(setRules({ emails: false, customRules: [], redactForwarded: true }))
      .then({ ...set, data: { ...state, emails: false, customRules: [], redactForwarded: true } });
  });

  it('refuses a pattern RE2 cannot compile, or cannot match in linear time, by field', () => {
    for (const pattern of ['(unclosed', '(a)\\1', '(?=lookahead)', 'a{1001}']) {
      given(...team())
        .when(setRules({ customRules: [rule('ok'), rule(pattern, 'bad')] }))
        .thenFails(InvalidInputError, 'invalid_pattern');
    }
  });

  it('refuses a pattern that matches empty text, and one longer than 500 characters', () => {
    for (const pattern of ['a*', 'x|', '^', 'a'.repeat(501)]) {
      given(...team())
        .when(setRules({ customRules: [rule(pattern)] }))
        .thenFails(InvalidInputError, 'invalid_pattern');
    }
  });

  it('refuses blank or duplicate names, long replacements, and too many rules', () => {
    given(...team())
      .when(setRules({ customRules: [rule('a', '  ')] }))
      .thenFails(InvalidInputError, 'invalid_rule_name');
    given(...team())
      .when(setRules({ customRules: [rule('a', 'same'), rule('b', ' same')] }))
      .thenFails(InvalidInputError, 'duplicate_rule_name');
    given(...team())
      .when(setRules({ customRules: [{ ...rule('a'), replacement: 'x'.repeat(101) }] }))
      .thenFails(InvalidInputError, 'invalid_replacement');
    given(...team())
      .when(
        setRules({ customRules: Array.from({ length: MAX_CUSTOM_RULES + 1 }, (_, i) => rule('a', `r${i}`)) }),
      )
      .thenFails(InvalidInputError, 'too_many_rules');
  });

  it('evolves to the newest rules per project, and the same events again change nothing', () => {
    const changed: NewControlEvent = { ...set, data: { ...state, emails: false } };
    const events = [set, changed].map((e) => controlEvent(SYSTEM, NOW, e));
    const once = events.reduce(evolve, emptyControlState());
    const twice = events.reduce(evolve, once);
    expect(once.redaction.get('p')?.emails).toBe(false);
    expect(twice.redaction.toJS()).toEqual(once.redaction.toJS());
  });
});
