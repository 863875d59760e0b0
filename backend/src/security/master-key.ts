import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { MASTER_KEY_BYTES } from './secret-box';

export const SECRET_KEY_ENV = 'SIGHTLINE_SECRET_KEY';
export const SECRET_KEY_FILE = 'secret.key';
const GENERATE_HINT = 'generate one with `openssl rand -base64 32`';

/** Production needs an explicit key: a generated one would differ on every instance. */
export class MissingSecretKeyError extends Error {
  override readonly name = 'MissingSecretKeyError';
  constructor() {
    super(
      `${SECRET_KEY_ENV} is not set. In production every instance must share one 32-byte key: ` +
        `${GENERATE_HINT} and set it in the environment of every instance.`,
    );
  }
}

/** The key exists but is not 32 bytes of base64 or hex. The message never quotes the value. */
export class InvalidSecretKeyError extends Error {
  override readonly name = 'InvalidSecretKeyError';
  constructor(where: string, detail: string) {
    super(
      `${where} must be 32 bytes as base64 (44 characters) or hex (64 characters); ${detail}. ${GENERATE_HINT}.`,
    );
  }
}

/** The file-system calls used here, so tests can swap them. */
export type MasterKeyFs = Pick<
  typeof nodeFs,
  'readFileSync' | 'writeFileSync' | 'mkdirSync' | 'linkSync' | 'unlinkSync'
>;

export interface LoadMasterKeyOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly production: boolean;
  readonly dataDir: string;
  readonly fs?: MasterKeyFs;
}

export interface LoadedMasterKey {
  readonly key: Buffer;
  /** Where it came from: safe to log (the key is not). */
  readonly source: 'env' | 'file' | 'generated';
  readonly path?: string;
}

/**
 * The master key: `SIGHTLINE_SECRET_KEY` if set; else, outside production, `<dataDir>/secret.key`,
 * created (0600) with 32 random bytes on first start and reused afterwards.
 */
export function loadMasterKey(options: LoadMasterKeyOptions): LoadedMasterKey {
  const fromEnv = options.env[SECRET_KEY_ENV]?.trim();
  if (fromEnv) return { key: parseSecretKey(fromEnv, SECRET_KEY_ENV), source: 'env' };
  if (options.production) throw new MissingSecretKeyError();
  return keyFile(options.fs ?? nodeFs, join(options.dataDir, SECRET_KEY_FILE), options.dataDir);
}

/** 32 bytes from hex (64 chars) or base64 / base64url (with or without padding). */
export function parseSecretKey(value: string, where: string): Buffer {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    throw new InvalidSecretKeyError(where, `got ${text.length} characters that are neither base64 nor hex`);
  }
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== MASTER_KEY_BYTES) {
    throw new InvalidSecretKeyError(
      where,
      `got ${text.length} characters that decode to ${key.length} bytes`,
    );
  }
  return key;
}

function keyFile(fs: MasterKeyFs, path: string, dataDir: string): LoadedMasterKey {
  const existing = readIfPresent(fs, path);
  if (existing !== undefined) return { key: parseSecretKey(existing, path), source: 'file', path };

  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(MASTER_KEY_BYTES);
  // Write a private temp file, then hard-link it into place: link fails if the name exists, so a
  // concurrent first start cannot replace a key, and a crash never leaves a half-written key file.
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(temp, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temp, path);
  } catch (error) {
    if (!isCode(error, 'EEXIST')) throw error;
    // Another process won the race: use its key.
    return { key: parseSecretKey(fs.readFileSync(path, 'utf8'), path), source: 'file', path };
  } finally {
    fs.unlinkSync(temp);
  }
  return { key, source: 'generated', path };
}

function readIfPresent(fs: MasterKeyFs, path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function isCode(error: unknown, code: string): boolean {
  // Not `instanceof Error`: errors from node's fs come from another realm under jest.
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}
