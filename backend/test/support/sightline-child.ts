import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** How to start the backend: its sources through swc (tests), or a build (`backend/dist/main.js`). */
export interface BackendEntry {
  readonly execArgv: readonly string[];
  readonly main: string;
}

/** The sources, as the tests see them. */
export const SOURCES: BackendEntry = {
  execArgv: ['-r', join(__dirname, 'swc-register.js')],
  main: join(__dirname, '..', '..', 'src', 'main.ts'),
};

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SightlineChild {
  readonly url: string;
  readonly pid: number;
  /** Resolves once `/healthz` answers 200; rejects when it exits first or takes too long. */
  readonly healthy: Promise<void>;
  readonly exited: Promise<Exit>;
  /** Whether it has exited. */
  readonly gone: boolean;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<Exit>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Sightline as a child process on a free loopback port with `env` (roles, data folders, log); its
 * output is kept (last 40 lines) for the errors. Resolves once spawned: await `healthy` for `/healthz`.
 */
export async function spawnSightlineChild(
  entry: BackendEntry,
  env: Readonly<Record<string, string>>,
  timeoutMs = 60_000,
): Promise<SightlineChild> {
  const port = await freePort();
  const child = spawn(process.execPath, [...entry.execArgv, entry.main], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      SIGHTLINE_UI_DIR: '',
      PROJECTOR_THREAD: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      tail.push(...text.split('\n'));
      tail.splice(0, tail.length - 40);
    });
  }
  let gone = false;
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      gone = true;
      resolve({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const failed = (why: string) => new Error(`Sightline (${env.SIGHTLINE_ROLES}) ${why}:\n${tail.join('\n')}`);
  const healthy = (async () => {
    for (const deadline = Date.now() + timeoutMs; ; await sleep(100)) {
      if (gone) throw failed('exited before it was healthy');
      if (
        (await fetch(`${url}/healthz`).then(
          (r) => r.status,
          () => 0,
        )) === 200
      )
        return;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw failed(`was not healthy within ${timeoutMs} ms`);
      }
    }
  })();
  healthy.catch(() => undefined); // reported to whoever awaits it
  return {
    url,
    pid: child.pid ?? -1,
    healthy,
    exited,
    get gone() {
      return gone;
    },
    kill: (signal) => void (gone || child.kill(signal)),
    stop: async (graceMs = 15_000) => {
      if (!gone) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}

/** `spawnSightlineChild`, resolved once healthy. */
export async function startSightlineChild(
  entry: BackendEntry,
  env: Readonly<Record<string, string>>,
): Promise<SightlineChild> {
  const child = await spawnSightlineChild(entry, env);
  await child.healthy;
  return child;
}
