import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Random, URL-safe ids and secrets. */
export const randomId = (prefix: string, bytes = 9): string =>
  `${prefix}_${randomBytes(bytes).toString('base64url')}`;
const randomSecret = (): string => randomBytes(32).toString('base64url');

/**
 * Secrets are 256-bit random values: a plain sha256 is enough to store them (no brute force possible).
 * One-shot `crypto.hash`: a quarter of `createHash`'s cost, and it runs on every API call.
 */
export const sha256 = (value: string): string => hash('sha256', value, 'hex');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** An API key as shown once: `sl_<keyId>_<secret>`, where keyId is `pk_...` and public. */
export interface NewApiKey {
  readonly keyId: string;
  readonly secret: string;
  readonly full: string;
  readonly secretHash: string;
  readonly preview: string;
}

export function newApiKey(): NewApiKey {
  const keyId = randomId('pk');
  const secret = randomSecret();
  const full = `sl_${keyId}_${secret}`;
  return { keyId, secret, full, secretHash: sha256(secret), preview: `${full.slice(0, 16)}…` };
}

const API_KEY = /^sl_(pk_[A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

export function parseApiKey(value: string): { keyId: string; secret: string } | undefined {
  const match = API_KEY.exec(value);
  return match ? { keyId: match[1], secret: match[2] } : undefined;
}

/** One-time tokens (invites, login links): `<id>.<secret>`, stored as the secret's hash. */
export function newToken(prefix: string): { id: string; token: string; hash: string } {
  const id = randomId(prefix);
  const secret = randomSecret();
  return { id, token: `${id}.${secret}`, hash: sha256(secret) };
}

export function parseToken(value: string): { id: string; secret: string } | undefined {
  const [id, secret, ...rest] = value.split('.');
  return id && secret && !rest.length ? { id, secret } : undefined;
}
