import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { InvalidMasterKeyLengthError, SecretBox, SecretDecryptError } from './secret-box';

const key = randomBytes(32);
const box = new SecretBox(key);

function decryptError(run: () => unknown): SecretDecryptError {
  try {
    run();
  } catch (error) {
    if (error instanceof SecretDecryptError) return error;
    throw error;
  }
  throw new Error('expected SecretDecryptError');
}

/** Flip one bit of the decoded part `index` (1 = iv, 2 = ciphertext, 3 = tag) of a token. */
function flipBit(token: string, index: number): string {
  const parts = token.split(':');
  const bytes = Buffer.from(parts[index], 'base64url');
  bytes[0] ^= 1;
  parts[index] = bytes.toString('base64url');
  return parts.join(':');
}

describe('SecretBox', () => {
  it('round-trips strings, including empty and non-ASCII ones', () => {
    for (const plain of ['sk-proj-abc123', '', 'clé secrète 🔑', 'x'.repeat(10_000)]) {
      expect(box.decrypt(box.encrypt(plain))).toBe(plain);
    }
  });

  it('writes the versioned format with a 12-byte IV and a 16-byte tag', () => {
    const token = box.encrypt('hello');
    expect(token).toMatch(/^v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]*:[A-Za-z0-9_-]+$/);
    const [, iv, ciphertext, tag] = token.split(':');
    expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    expect(Buffer.from(ciphertext, 'base64url')).toHaveLength(5);
    expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
    expect(token).not.toContain('hello');
  });

  it('uses a fresh IV every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => box.encrypt('same')));
    expect(tokens.size).toBe(50);
    expect(new Set([...tokens].map((t) => t.split(':')[1])).size).toBe(50);
  });

  it('opens tokens sealed by another instance with the same key', () => {
    expect(new SecretBox(Buffer.from(key)).decrypt(box.encrypt('shared'))).toBe('shared');
  });

  it.each([
    ['iv', 1],
    ['ciphertext', 2],
    ['tag', 3],
  ])('rejects a token whose %s was altered', (_part, index) => {
    const token = flipBit(box.encrypt('payload'), index);
    expect(decryptError(() => box.decrypt(token)).reason).toBe('authentication-failed');
  });

  it('rejects a token sealed with another key', () => {
    const other = new SecretBox(randomBytes(32));
    expect(decryptError(() => other.decrypt(box.encrypt('payload'))).reason).toBe('authentication-failed');
  });

  it('binds associated data: the same data opens, other or missing data does not', () => {
    const token = box.encrypt('provider-key', 'credential:c1');
    expect(box.decrypt(token, 'credential:c1')).toBe('provider-key');
    expect(decryptError(() => box.decrypt(token, 'credential:c2')).reason).toBe('authentication-failed');
    expect(decryptError(() => box.decrypt(token)).reason).toBe('authentication-failed');
    expect(decryptError(() => box.decrypt(box.encrypt('x'), 'credential:c1')).reason).toBe(
      'authentication-failed',
    );
  });

  it.each([
    ['empty', ''],
    ['not a token', 'hello'],
    ['too few parts', 'v1:AAAA:AAAA'],
    ['too many parts', 'v1:a:b:c:d'],
    ['not base64url', 'v1:AAAAAAAAAAAAAAAA:AA==:AAAAAAAAAAAAAAAAAAAAAA'],
    ['short iv', 'v1:AAAA:AAAA:AAAAAAAAAAAAAAAAAAAAAA'],
  ])('rejects a malformed token (%s)', (_name, token) => {
    expect(decryptError(() => box.decrypt(token)).reason).toBe('malformed');
  });

  it('rejects a truncated tag', () => {
    const token = box.encrypt('payload');
    expect(decryptError(() => box.decrypt(token.slice(0, -4))).reason).toBe('malformed');
  });

  it('names an unknown version as such', () => {
    const token = box.encrypt('payload').replace(/^v1:/, 'v2:');
    expect(decryptError(() => box.decrypt(token)).reason).toBe('unknown-version');
  });

  it('never puts the token in the error message', () => {
    const token = flipBit(box.encrypt('payload'), 2);
    expect(decryptError(() => box.decrypt(token)).message).not.toContain(token.split(':')[2]);
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(InvalidMasterKeyLengthError);
  });

  it('does not show the key when inspected or serialised', () => {
    const shown = `${inspect(box, { showHidden: true, depth: 5 })} ${JSON.stringify({ box })}`;
    for (const encoding of ['hex', 'base64', 'base64url'] as const) {
      expect(shown).not.toContain(key.toString(encoding));
    }
    expect(shown).not.toMatch(/<Buffer/);
  });

  it('keeps its own copy of the key', () => {
    const bytes = randomBytes(32);
    const own = new SecretBox(bytes);
    const token = own.encrypt('x');
    bytes.fill(0);
    expect(own.decrypt(token)).toBe('x');
  });

  describe('deriveKey', () => {
    it('is 32 bytes, stable for a purpose and key, distinct across purposes and keys', () => {
      const a = box.deriveKey('session-cookie');
      expect(a).toHaveLength(32);
      expect(box.deriveKey('session-cookie').equals(a)).toBe(true);
      expect(new SecretBox(Buffer.from(key)).deriveKey('session-cookie').equals(a)).toBe(true);
      expect(box.deriveKey('csrf').equals(a)).toBe(false);
      expect(new SecretBox(randomBytes(32)).deriveKey('session-cookie').equals(a)).toBe(false);
      expect(a.equals(key)).toBe(false);
    });

    it('is HKDF-SHA256 (RFC 5869) of the master key, so other tools can reproduce it', () => {
      // Extract then one expand block, written out with HMAC.
      const prk = createHmac('sha256', 'sightline/hkdf/v1').update(key).digest();
      const okm = createHmac('sha256', prk)
        .update('session-cookie')
        .update(Buffer.from([1]))
        .digest();
      expect(box.deriveKey('session-cookie').equals(okm)).toBe(true);
    });

    it('refuses an empty purpose', () => {
      expect(() => box.deriveKey('')).toThrow(RangeError);
    });
  });
});
