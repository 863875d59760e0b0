import { describe, expect, it } from 'vitest';
import { confirmationFor, confirmed } from './deletion';

describe('deletion confirmation', () => {
  it('asks for the word delete once a trace or end user is named', () => {
    expect(confirmationFor('TRACE', '', 'Default')).toBeNull();
    expect(confirmationFor('TRACE', ' tr_1 ', 'Default')).toBe('delete');
    expect(confirmationFor('END_USER', 'user-42', 'Default')).toBe('delete');
  });

  it("asks for the project's name to delete the project", () => {
    expect(confirmationFor('PROJECT', '', 'Default project')).toBe('Default project');
    expect(confirmationFor('PROJECT', '', '  ')).toBeNull();
  });

  it('compares exactly, ignoring surrounding whitespace', () => {
    expect(confirmed('delete', ' delete ')).toBe(true);
    expect(confirmed('delete', 'Delete')).toBe(false);
    expect(confirmed('Default project', 'Default')).toBe(false);
    expect(confirmed(null, '')).toBe(false);
  });
});
