import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InvalidSecretKeyError,
  loadMasterKey,
  type MasterKeyFs,
  MissingSecretKeyError,
  parseSecretKey,
} from './master-key';

const key = randomBytes(32);
let dataDir: string;

beforeEach(() => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'sightline-key-')), 'data');
});
afterEach(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected an error');
}

describe('loadMasterKey from SIGHTLINE_SECRET_KEY', () => {
  it.each([
    ['base64', key.toString('base64')],
    ['base64url', key.toString('base64url')],
    ['base64 without padding', key.toString('base64').replace(/=+$/, '')],
    ['hex', key.toString('hex')],
    ['upper-case hex', key.toString('hex').toUpperCase()],
    ['base64 with surrounding whitespace', ` ${key.toString('base64')}\n`],
  ])('accepts %s', (_name, value) => {
    for (const production of [true, false]) {
      const loaded = loadMasterKey({ env: { SIGHTLINE_SECRET_KEY: value }, production, dataDir });
      expect(loaded.key.equals(key)).toBe(true);
      expect(loaded.source).toBe('env');
    }
    expect(fs.existsSync(dataDir)).toBe(false); // nothing written when the key comes from the environment
  });

  it.each([
    ['16 bytes of base64', randomBytes(16).toString('base64')],
    ['48 bytes of base64', randomBytes(48).toString('base64')],
    ['31 bytes of hex', randomBytes(31).toString('hex')],
    ['a passphrase', 'correct horse battery staple'],
  ])('refuses %s with a message that does not quote the value', (_name, value) => {
    const error = thrown(() =>
      loadMasterKey({ env: { SIGHTLINE_SECRET_KEY: value }, production: true, dataDir }),
    );
    expect(error).toBeInstanceOf(InvalidSecretKeyError);
    expect(error.message).toContain('SIGHTLINE_SECRET_KEY');
    expect(error.message).toContain('openssl rand -base64 32');
    expect(error.message).not.toContain(value);
  });
});

describe('loadMasterKey without SIGHTLINE_SECRET_KEY', () => {
  it('fails in production, telling how to make a key', () => {
    for (const env of [{}, { SIGHTLINE_SECRET_KEY: '' }, { SIGHTLINE_SECRET_KEY: '  ' }]) {
      const error = thrown(() => loadMasterKey({ env, production: true, dataDir }));
      expect(error).toBeInstanceOf(MissingSecretKeyError);
      expect(error.message).toContain('openssl rand -base64 32');
    }
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('generates a key once in the data folder (0600) and reuses it on later starts', () => {
    const first = loadMasterKey({ env: {}, production: false, dataDir });
    const path = join(dataDir, 'secret.key');
    expect(first).toMatchObject({ source: 'generated', path });
    expect(first.key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(parseSecretKey(readFileSync(path, 'utf8'), path).equals(first.key)).toBe(true);

    const second = loadMasterKey({ env: {}, production: false, dataDir });
    expect(second).toMatchObject({ source: 'file', path });
    expect(second.key.equals(first.key)).toBe(true);
    expect(readdirSync(dataDir)).toEqual(['secret.key']); // no temp file left behind
  });

  it('generates different keys for different data folders', () => {
    const a = loadMasterKey({ env: {}, production: false, dataDir: join(dataDir, 'a') });
    const b = loadMasterKey({ env: {}, production: false, dataDir: join(dataDir, 'b') });
    expect(a.key.equals(b.key)).toBe(false);
  });

  it('prefers the environment over an existing key file', () => {
    loadMasterKey({ env: {}, production: false, dataDir });
    const loaded = loadMasterKey({
      env: { SIGHTLINE_SECRET_KEY: key.toString('hex') },
      production: false,
      dataDir,
    });
    expect(loaded.source).toBe('env');
    expect(loaded.key.equals(key)).toBe(true);
  });

  it('refuses a corrupt key file instead of replacing it (that would orphan every sealed secret)', () => {
    fs.mkdirSync(dataDir);
    const path = join(dataDir, 'secret.key');
    writeFileSync(path, 'not a key\n');
    expect(() => loadMasterKey({ env: {}, production: false, dataDir })).toThrow(InvalidSecretKeyError);
    expect(readFileSync(path, 'utf8')).toBe('not a key\n');
  });

  it('uses the key of a process that created the file first', () => {
    const winner = randomBytes(32);
    const racing: MasterKeyFs = {
      ...fs,
      linkSync: (existingPath, newPath) => {
        writeFileSync(newPath, winner.toString('base64')); // the other process lands first
        fs.linkSync(existingPath, newPath);
      },
    };
    const loaded = loadMasterKey({ env: {}, production: false, dataDir, fs: racing });
    expect(loaded.source).toBe('file');
    expect(loaded.key.equals(winner)).toBe(true);
    expect(readdirSync(dataDir)).toEqual(['secret.key']);
  });

  it('surfaces file-system errors other than a missing file', () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const failing: MasterKeyFs = {
      ...fs,
      readFileSync: (() => {
        throw denied;
      }) as MasterKeyFs['readFileSync'],
    };
    expect(thrown(() => loadMasterKey({ env: {}, production: false, dataDir, fs: failing }))).toBe(denied);
  });
});
