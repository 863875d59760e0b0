import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';

/** The monorepo root (this file is `load-tests/{src,dist}/harness/environment`). */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A positive integer from the environment, else `fallback`. */
export function envInt(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

/** `node v20.19.0 · linux x64 · 2 × Intel(R) Xeon(R) … · 23 GiB`. */
/** Extra environment for the Sightline under test from `BENCH_SIGHTLINE_ENV` (`K=V,K=V`). */
export function benchSightlineEnv(): Record<string, string> {
  return Object.fromEntries(
    (process.env.BENCH_SIGHTLINE_ENV ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

export function machine(): string {
  const cpu = cpus();
  const model = cpu[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const gib = Math.round(totalmem() / 2 ** 30);
  return `node ${process.version} · ${process.platform} ${process.arch} · ${cpu.length} × ${model} · ${gib} GiB`;
}

/** The checked-out commit, with `+dirty` when the tree has changes; `unknown` outside git. */
export function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    const dirty = execFileSync('git', ['status', '--porcelain'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return `${sha.trim()}${dirty.trim() ? '+dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

/**
 * How this run was started, to print beside the figures: `npm run bench` when npm ran it, else the
 * node command; with the BENCH_* variables that were set (credentials masked).
 */
export function command(script: string): string {
  const overrides = Object.entries(process.env)
    .filter(([name]) => name.startsWith('BENCH_'))
    .map(([name, value]) => `${name}=${/KEY|SECRET|TOKEN|PASSWORD/.test(name) ? '***' : value} `)
    .join('');
  const direct = `node ${relative(REPO_ROOT, script)}`;
  const viaNpm = process.env.npm_lifecycle_event === 'bench' ? 'npm run bench' : undefined;
  return viaNpm ? `${overrides}${viaNpm}  (scenario: ${direct})` : `${overrides}${direct}`;
}
