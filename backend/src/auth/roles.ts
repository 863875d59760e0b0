import type { Role } from '@sightline/schemas';

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** Whether `role` may do what `needed` may. */
export const roleAtLeast = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];
