import type { RedactionRuleState } from '@sightline/schemas';
import { checkCustomRule } from './custom-rule';
import { projectRedactor } from './project-rules';

const off = { emails: false, cardNumbers: false, apiKeys: false, customRules: [] };
const rule = (over: Partial<RedactionRuleState>): RedactionRuleState => ({
  name: 'ticket',
  pattern: 'ACME-\\d{6}',
  replacement: '[TICKET]',
  caseInsensitive: false,
  ...over,
});

describe('a project’s redaction rules', () => {
  it('do nothing when all are off', () => {
    expect(projectRedactor(off)).toBeUndefined();
  });

  it('apply the built-in rules turned on, then the custom ones in order', () => {
    const redact = projectRedactor({
      ...off,
      emails: true,
      customRules: [rule({}), rule({ name: 'after', pattern: '\\[TICKET\\]', replacement: '#' })],
    })!;
    expect(redact('ACME-123456 from bob@x.io, card 4111111111111111')).toBe(
      '# from [EMAIL], card 4111111111111111',
    );
  });

  it('replace literally, case-insensitively when asked', () => {
    const redact = projectRedactor({
      ...off,
      customRules: [rule({ pattern: 'secret (\\w+)', replacement: '$1 $& $$', caseInsensitive: true })],
    })!;
    expect(redact('A SECRET plan, a secret place')).toBe('A $1 $& $$, a $1 $& $$');
  });

  it('match in linear time a pattern that backtracking engines take exponential time on', () => {
    const redact = projectRedactor({ ...off, customRules: [rule({ pattern: '(a+)+$' })] })!;
    const text = `${'a'.repeat(100_000)}!`;
    expect(redact(text)).toBe(text);
    expect(redact('xaaaa')).toBe('x[TICKET]');
  });

  it('are checked before they are kept: the name trimmed, an invalid pattern named', () => {
    expect(checkCustomRule(rule({ name: ' ticket ' }), 'customRules.0')).toEqual(rule({}));
    expect(() => checkCustomRule(rule({ pattern: '(?<=x)y' }), 'customRules.3')).toThrow(
      expect.objectContaining({ reason: 'invalid_pattern', param: 'customRules.3.pattern' }),
    );
  });
});
