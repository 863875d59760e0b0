import { assignableRoles, can, canManageMember, roleAtLeast, ROLES, type Role } from './roles';

describe('roles', () => {
  it('ranks owner over admin over member over viewer', () => {
    expect(ROLES).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(roleAtLeast('owner', 'admin')).toBe(true);
    expect(roleAtLeast('admin', 'admin')).toBe(true);
    expect(roleAtLeast('member', 'admin')).toBe(false);
    expect(roleAtLeast('viewer', 'member')).toBe(false);
  });

  it('says what each role may do', () => {
    const may = (role: Role) =>
      (['read', 'record', 'administer', 'own'] as const).filter((p) => can(role, p));
    expect(may('viewer')).toEqual(['read']);
    expect(may('member')).toEqual(['read', 'record']);
    expect(may('admin')).toEqual(['read', 'record', 'administer']);
    expect(may('owner')).toEqual(['read', 'record', 'administer', 'own']);
  });

  it('lets owners give any role, admins up to admin, others none', () => {
    expect(assignableRoles('owner')).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(assignableRoles('admin')).toEqual(['admin', 'member', 'viewer']);
    expect(assignableRoles('member')).toEqual([]);
    expect(assignableRoles('viewer')).toEqual([]);
  });

  it('lets only owners manage owners', () => {
    expect(canManageMember('owner', 'owner')).toBe(true);
    expect(canManageMember('admin', 'owner')).toBe(false);
    expect(canManageMember('admin', 'admin')).toBe(true);
    expect(canManageMember('admin', 'viewer')).toBe(true);
    expect(canManageMember('member', 'viewer')).toBe(false);
  });
});
