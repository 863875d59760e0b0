// Project roles and what each may do: the one definition the backend's access checks and the UI's
// menus share. Plain TypeScript without imports, so the frontend can import it as source.

/** A user's role in a project, highest first (the order menus list them in). */
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` may do what `needed` may: each role may do all that the roles below it may. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) <= ROLES.indexOf(needed);
}

/** The least role each kind of action in a project needs. */
export const PERMISSIONS = {
  /** See the project: its traces, its members. */
  read: 'viewer',
  /** Send traffic through the gateway (an API key acts as a member). */
  record: 'member',
  /** Keys, members, invites, the audit log, deleting traces or end users' data, new projects. */
  administer: 'admin',
  /** Delete the whole project; give, change or take away the owner role. */
  own: 'owner',
} as const satisfies Record<string, Role>;
export type Permission = keyof typeof PERMISSIONS;

/** Whether `role` may do `permission` in its project. */
export function can(role: Role, permission: Permission): boolean {
  return roleAtLeast(role, PERMISSIONS[permission]);
}

/** The roles `caller` may give to an invite or a member: administrators up to their own role. */
export function assignableRoles(caller: Role): Role[] {
  return can(caller, 'administer') ? ROLES.filter((role) => roleAtLeast(caller, role)) : [];
}

/** Whether `caller` may change or remove a member whose role is `member` (only owners touch owners). */
export function canManageMember(caller: Role, member: Role): boolean {
  return can(caller, 'administer') && roleAtLeast(caller, member);
}
