import { describe, expect, it } from 'vitest';
import { fillVariables, missingVariables, variablesIn } from './variables';

describe('prompt variables', () => {
  it('lists each {{name}} once, in order of first use, spaces allowed inside the braces', () => {
    expect(variablesIn(['Hi {{ name }}, from {{city}}', 'bye {{name}} {{user.id}}'])).toEqual([
      'name',
      'city',
      'user.id',
    ]);
  });

  it('names the variables without a value; an empty string is a value', () => {
    expect(missingVariables(['{{a}} {{b}} {{c}}'], { a: '', c: 'x' })).toEqual(['b']);
  });

  it('fills known variables and leaves unknown ones as written', () => {
    expect(fillVariables('{{a}} and {{ b }}', { a: 'one' })).toBe('one and {{ b }}');
  });
});
