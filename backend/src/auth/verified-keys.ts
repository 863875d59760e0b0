import { sameHash, sha256 } from '../control/credentials';

/**
 * API-key secrets already checked against their stored hash, so that the next request with the same
 * key skips the sha256: the secret it brings is compared with the remembered one in constant time.
 * An entry holds only for the hash it was checked against (a key given a new secret misses);
 * whether the key is revoked or its project deleted is the caller's to check on every request, and
 * `forget` drops a revoked key. At most `max` keys; the least recently checked goes first.
 */
export class VerifiedKeys {
  private readonly secrets = new Map<string, { readonly hash: string; readonly secret: string }>();

  constructor(private readonly max = 10_000) {}

  /** Whether `secret` is the secret of key `keyId`, whose stored hash is `secretHash`. */
  matches(keyId: string, secretHash: string, secret: string): boolean {
    const known = this.secrets.get(keyId);
    const matches =
      known?.hash === secretHash
        ? constantTimeEqual(known.secret, secret)
        : sameHash(secretHash, sha256(secret));
    if (!matches) return false;
    this.secrets.delete(keyId); // to the end: the most recently checked
    this.secrets.set(keyId, known?.hash === secretHash ? known : { hash: secretHash, secret });
    if (this.secrets.size > this.max) this.secrets.delete(this.secrets.keys().next().value!);
    return true;
  }

  forget(keyId: string): void {
    this.secrets.delete(keyId);
  }

  get size(): number {
    return this.secrets.size;
  }
}

/** Equal strings, in a time that depends on their length only (secrets have a fixed length). */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
