import { describe, expect, it } from 'vitest';
import { assignableRoles, can, canManageMember, parseRole, roleLabel } from './roles';

describe('roles (GraphQL spelling over schemas/src/roles.ts)', () => {
  it('says what each role may do', () => {
    expect(can('ADMIN', 'administer')).toBe(true);
    expect(can('MEMBER', 'administer')).toBe(false);
    expect(can('OWNER', 'own')).toBe(true);
    expect(can('ADMIN', 'own')).toBe(false);
  });

  it('lists the roles a caller may give, highest first', () => {
    expect(assignableRoles('OWNER')).toEqual(['OWNER', 'ADMIN', 'MEMBER', 'VIEWER']);
    expect(assignableRoles('ADMIN')).toEqual(['ADMIN', 'MEMBER', 'VIEWER']);
    expect(assignableRoles('VIEWER')).toEqual([]);
  });

  it('only lets owners manage owners', () => {
    expect(canManageMember('OWNER', 'OWNER')).toBe(true);
    expect(canManageMember('ADMIN', 'OWNER')).toBe(false);
    expect(canManageMember('ADMIN', 'VIEWER')).toBe(true);
    expect(canManageMember('MEMBER', 'VIEWER')).toBe(false);
  });

  it('labels roles and reads them in any case', () => {
    expect(roleLabel('VIEWER')).toBe('Viewer');
    expect(parseRole('viewer')).toBe('VIEWER');
    expect(parseRole('OWNER')).toBe('OWNER');
    expect(parseRole('guest')).toBeNull();
  });
});
