// Project roles as the GraphQL API spells them (`OWNER`, …), over the one definition the backend uses
// too (schemas/src/roles.ts): the order, what each role may do, who may give which role.
import * as roles from '$schemas/roles';
import type { Role } from './graphql/generated';

const fromGraphql = (role: Role) => role.toLowerCase() as roles.Role;
const toGraphql = (role: roles.Role) => role.toUpperCase() as Role;

/** Whether `role` may do `permission` in its project (e.g. `administer`: keys, members, audit log). */
export function can(role: Role, permission: roles.Permission): boolean {
  return roles.can(fromGraphql(role), permission);
}

/** The roles `caller` may give to an invite or a member, highest first. */
export function assignableRoles(caller: Role): Role[] {
  return roles.assignableRoles(fromGraphql(caller)).map(toGraphql);
}

/** Whether `caller` may change or remove a member whose role is `member`. */
export function canManageMember(caller: Role, member: Role): boolean {
  return roles.canManageMember(fromGraphql(caller), fromGraphql(member));
}

/** `Owner`, `Admin`, … */
export function roleLabel(role: Role): string {
  return role.charAt(0) + role.slice(1).toLowerCase();
}

/** The GraphQL `Role` of a role in any case (an invite's is lower case), or null for an unknown one. */
export function parseRole(role: string): Role | null {
  const lower = role.toLowerCase();
  return roles.ROLES.find((known) => known === lower) ? toGraphql(lower as roles.Role) : null;
}
