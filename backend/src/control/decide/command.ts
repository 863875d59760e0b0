import type { Actor } from '@sightline/schemas';

/**
 * A control-plane command: what to do, who asks (`actor`) and when (`now`). Everything random
 * (ids, secrets) and slow (password hashes) is made before, so deciding is pure.
 */
export type Command<T extends string, D extends object> = Readonly<D> & {
  readonly type: T;
  readonly actor: Actor;
  readonly now: Date;
};

export const addMs = (at: Date, ms: number): string => new Date(at.getTime() + ms).toISOString();
