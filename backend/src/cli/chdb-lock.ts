import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The process holding the chDB folder under `dataDir` (a running server), from the kernel's lock
 * table: ClickHouse takes an exclusive `flock` on `<folder>/status` while it runs. Undefined when
 * no process holds it, or where there is no `/proc/locks` to ask (not Linux).
 */
export function chdbHolder(dataDir: string, locks = readLocks()): number | undefined {
  if (locks === undefined) return undefined;
  let file: { dev: number; ino: number };
  try {
    file = statSync(join(dataDir, 'chdb', 'status'));
  } catch {
    return undefined; // never opened: nobody holds it
  }
  // Linux's dev_t: major in bits 8–19 (and 32+), minor in bits 0–7 and 20–31; /proc/locks prints them in hex.
  const major = (file.dev >> 8) & 0xfff;
  const minor = (file.dev & 0xff) | ((file.dev >> 12) & 0xfff00);
  const id = `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${file.ino}`;
  for (const line of locks.split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 23801 fe:00:10617719 0 EOF"
    const fields = line.trim().split(/\s+/);
    if (fields[1] === 'FLOCK' && fields[5] === id && Number(fields[4]) !== process.pid)
      return Number(fields[4]);
  }
  return undefined;
}

function readLocks(): string | undefined {
  try {
    return readFileSync('/proc/locks', 'utf8');
  } catch {
    return undefined;
  }
}
