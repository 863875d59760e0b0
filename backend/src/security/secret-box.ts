import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const MASTER_KEY_BYTES = 32;
// A fixed, public salt: the master key is already uniformly random, HKDF only separates purposes.
const HKDF_SALT = Buffer.from('sightline/hkdf/v1');
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Why a token could not be opened; the message never carries the token or the key. */
export type SecretDecryptReason = 'malformed' | 'unknown-version' | 'authentication-failed';

/** A token was tampered with, truncated, bound to other associated data, or sealed with another key. */
export class SecretDecryptError extends Error {
  override readonly name = 'SecretDecryptError';
  constructor(readonly reason: SecretDecryptReason) {
    super(`cannot decrypt secret: ${reason}`);
  }
}

/** The master key is not 32 bytes. */
export class InvalidMasterKeyLengthError extends Error {
  override readonly name = 'InvalidMasterKeyLengthError';
  constructor(length: number) {
    super(`the master key must be ${MASTER_KEY_BYTES} bytes, got ${length}`);
  }
}

/**
 * AES-256-GCM sealing of short strings (provider credentials, tokens) under the master key.
 * Tokens are self-describing — `v1:<iv>:<ciphertext>:<tag>`, base64url parts — so the format can
 * change later without guessing. `associatedData` binds a token to its context (e.g. a credential id):
 * a token copied onto another record then fails to open.
 */
export class SecretBox {
  // Private fields stay out of console.log / util.inspect / JSON: the key must never be logged.
  readonly #master: Buffer;
  readonly #encryptionKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== MASTER_KEY_BYTES) throw new InvalidMasterKeyLengthError(masterKey.length);
    this.#master = Buffer.from(masterKey);
    // The AES key is itself derived, so the master key is never used directly by two algorithms.
    this.#encryptionKey = this.deriveKey('secret-box/aes-256-gcm');
  }

  encrypt(plain: string, associatedData?: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#encryptionKey, iv, { authTagLength: TAG_BYTES });
    if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, ciphertext, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join(':');
  }

  /** @throws SecretDecryptError */
  decrypt(token: string, associatedData?: string): string {
    const { iv, ciphertext, tag } = parseToken(token);
    const decipher = createDecipheriv('aes-256-gcm', this.#encryptionKey, iv, { authTagLength: TAG_BYTES });
    if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptError('authentication-failed');
    }
  }

  /** A 32-byte key for one purpose (e.g. `session-cookie`), independent of every other purpose's key. */
  deriveKey(purpose: string): Buffer {
    if (!purpose) throw new RangeError('deriveKey needs a non-empty purpose');
    return Buffer.from(hkdfSync('sha256', this.#master, HKDF_SALT, purpose, MASTER_KEY_BYTES));
  }

  [inspect.custom](): string {
    return 'SecretBox { <key hidden> }';
  }

  toJSON(): string {
    return 'SecretBox';
  }
}

function parseToken(token: string): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const parts = token.split(':');
  if (parts[0] !== VERSION) {
    throw new SecretDecryptError(parts.length === 4 ? 'unknown-version' : 'malformed');
  }
  if (parts.length !== 4 || !parts.every((part) => BASE64URL.test(part))) {
    throw new SecretDecryptError('malformed');
  }
  const [iv, ciphertext, tag] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretDecryptError('malformed');
  return { iv, ciphertext, tag };
}
