import { newApiKey } from '../control/credentials';
import { VerifiedKeys } from './verified-keys';

describe('VerifiedKeys', () => {
  it('given a key checked once, then its secret matches again and any other secret of its length does not', () => {
    const key = newApiKey();
    const keys = new VerifiedKeys();
    expect(keys.matches(key.keyId, key.secretHash, key.secret)).toBe(true);
    expect(keys.size).toBe(1);
    expect(keys.matches(key.keyId, key.secretHash, key.secret)).toBe(true);
    const wrong = `${key.secret.slice(0, -1)}${key.secret.endsWith('A') ? 'B' : 'A'}`;
    expect(keys.matches(key.keyId, key.secretHash, wrong)).toBe(false);
    expect(keys.matches(key.keyId, key.secretHash, key.secret.slice(1))).toBe(false);
  });

  it('remembers no secret that failed, and a remembered one holds only for the hash it was checked against', () => {
    const key = newApiKey();
    const other = newApiKey();
    const keys = new VerifiedKeys();
    expect(keys.matches(key.keyId, key.secretHash, other.secret)).toBe(false);
    expect(keys.size).toBe(0);
    keys.matches(key.keyId, key.secretHash, key.secret);
    // The key now stored with another secret's hash (a new secret): the old secret no longer opens it.
    expect(keys.matches(key.keyId, other.secretHash, key.secret)).toBe(false);
    expect(keys.matches(key.keyId, other.secretHash, other.secret)).toBe(true);
  });

  it('keeps at most max keys, dropping the least recently checked, and forgets a revoked one', () => {
    const [a, b, c] = [newApiKey(), newApiKey(), newApiKey()];
    const keys = new VerifiedKeys(2);
    keys.matches(a.keyId, a.secretHash, a.secret);
    keys.matches(b.keyId, b.secretHash, b.secret);
    keys.matches(a.keyId, a.secretHash, a.secret);
    keys.matches(c.keyId, c.secretHash, c.secret);
    expect(keys.size).toBe(2);
    keys.forget(a.keyId);
    keys.forget(c.keyId);
    expect(keys.size).toBe(0);
    expect(keys.matches(b.keyId, b.secretHash, b.secret)).toBe(true); // checked against the hash again
  });
});
