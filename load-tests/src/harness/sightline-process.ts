import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getStatus } from './http';

/** Settings a bench must not inherit from the caller's shell: they would change what is measured. */
const INHERITED_OUT = [
  'PORT',
  'HOST',
  'DATA_DIR',
  'KAFKA_BROKERS',
  'CLICKHOUSE_URL',
  'CLICKHOUSE_DATABASE',
  'CLICKHOUSE_USER',
  'CLICKHOUSE_PASSWORD',
  'SIGHTLINE_ROLES',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'NODE_OPTIONS',
];

export interface SightlineProcess {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly dataDir: string;
  /**
   * The API key a first start of an empty instance prints once (when this Sightline version has
   * API keys), for `Authorization: Bearer <apiKey>`; undefined when none was printed.
   */
  readonly apiKey: string | undefined;
  /** The admin's one-time sign-in link a first start prints (`…/auth/link/…`); undefined when none was printed. */
  readonly signInUrl: string | undefined;
  /** SIGTERM (SIGKILL after a grace period), wait for the exit, delete the temp data folder (not a caller's). */
  stop(): Promise<void>;
}

export interface StartSightlineOptions {
  /** Extra environment, e.g. OPENAI_BASE_URL; wins over the defaults. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for `/healthz`. Default 60 s. */
  readonly startTimeoutMs?: number;
  /** Prefix for the child's output, forwarded to this process's stderr. Default `[sightline] `. */
  readonly logPrefix?: string;
  /** A DATA_DIR the caller owns (kept after `stop`, e.g. to read the log); default a temp folder. */
  readonly dataDir?: string;
  /** Node options for the child, e.g. `['--cpu-prof', '--cpu-prof-dir=/tmp/prof']`. */
  readonly nodeArgs?: readonly string[];
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The built backend entry point (`backend/dist/main.js`, or `BENCH_SIGHTLINE_MAIN`: another build to compare). */
export function backendMain(): string {
  const main =
    process.env.BENCH_SIGHTLINE_MAIN || join(__dirname, '..', '..', '..', 'backend', 'dist', 'main.js');
  if (!existsSync(main)) {
    throw new Error(`${main} not found: run \`npm run build -w schemas && npm run build -w backend\` first`);
  }
  return main;
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A Sightline left running would outlive the bench: kill what is left when this process exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
}

/** What a first start prints once: the API key and the sign-in link. */
const API_KEY_LINE = /API key for "[^"]*": (\S+)/;
const SIGN_IN_LINE = /sign in as \S+ .*?: (\S+\/auth\/link\/\S+)/;

/** The child's output is forwarded into the bench's: never with credentials in it. */
function redact(line: string): string {
  return line
    .replace(/(API key for "[^"]*": )\S+/g, '$1***')
    .replace(/(Bearer )[^\s'"]+/gi, '$1***')
    .replace(/(\/auth\/link\/)\S+/g, '$1***');
}

function forward(child: ChildProcess, prefix: string, tail: string[], onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        onLine(line);
        const safe = redact(line);
        tail.push(safe);
        if (tail.length > 50) tail.shift();
        process.stderr.write(`${prefix}${safe}\n`);
      }
    });
  }
}

/**
 * Start Sightline (`backend/dist/main.js`) as a separate process on a free loopback port with a
 * fresh temporary DATA_DIR (embedded log + chDB), no UI, LOG_LEVEL=warn, and wait for `/healthz`.
 * Its output goes to this process's stderr, credentials redacted.
 */
export async function startSightline(options: StartSightlineOptions = {}): Promise<SightlineProcess> {
  installExitHook();
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sightline-bench-'));
  const removeData = (): void => {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INHERITED_OUT) delete env[name];
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    SIGHTLINE_UI_DIR: '',
    // A load generator is not abuse: lift the gateway's per-key rate limit (ignored where none exists).
    GATEWAY_RATE_LIMIT_RPS: '1000000',
    ...options.env,
  });
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), backendMain()], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const tail: string[] = [];
  let apiKey: string | undefined;
  let signInUrl: string | undefined;
  let firstStartBanner = false;
  forward(child, options.logPrefix ?? '[sightline] ', tail, (line) => {
    if (/first start/i.test(line)) firstStartBanner = true;
    apiKey ??= API_KEY_LINE.exec(line)?.[1];
    signInUrl ??= SIGN_IN_LINE.exec(line)?.[1];
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exitCode !== undefined) {
      removeData();
      throw new Error(`Sightline exited with code ${exitCode} before it was healthy:\n${tail.join('\n')}`);
    }
    const status = await getStatus(`${url}/healthz`).catch(() => 0);
    // The first-start banner is printed before the server listens; let its key line arrive too.
    if (status === 200 && (!firstStartBanner || apiKey !== undefined || Date.now() > deadline)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      removeData();
      throw new Error(`Sightline was not healthy within the timeout:\n${tail.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    port,
    pid: child.pid ?? -1,
    dataDir,
    apiKey,
    signInUrl,
    stop: async () => {
      if (exitCode === undefined) {
        child.kill('SIGTERM');
        const grace = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(grace);
      }
      removeData();
    },
  };
}
