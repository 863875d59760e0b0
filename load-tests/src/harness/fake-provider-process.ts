import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeProviderProcess {
  /** Base URL including `/v1`. */
  readonly url: string;
  readonly pid: number;
  /** Requests the fake received since the previous call (it forgets them). */
  takeCount(): Promise<number>;
  stop(): Promise<void>;
}

export interface FakeProviderOptions {
  /** Pause before each streamed token, ms. Default 0. */
  readonly tokenIntervalMs?: number;
  /** Bearer key the fake requires. */
  readonly apiKey: string;
}

/** The fake OpenAI server's runner, compiled by `backend/tsconfig.support.json`. */
function fakeMain(): string {
  const main = join(
    __dirname,
    '..',
    '..',
    '..',
    'backend',
    'dist-support',
    'test',
    'support',
    'fake-openai-server.main.js',
  );
  if (!existsSync(main)) throw new Error(`${main} not found: run \`npm run build -w load-tests\` first`);
  return main;
}

/**
 * The fake OpenAI server (`backend/test/support/fake-openai-server.main.ts`) in a process of its
 * own, so that its CPU is neither the load generator's nor Sightline's. Counts come over IPC.
 */
export async function startFakeProvider(options: FakeProviderOptions): Promise<FakeProviderProcess> {
  const child = spawn(process.execPath, [fakeMain()], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      PORT: '0',
      HOST: '127.0.0.1',
      TOKEN_INTERVAL_MS: String(options.tokenIntervalMs ?? 0),
      FAKE_OPENAI_API_KEY: options.apiKey,
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      out += text;
      const line = out.split('\n').find((l) => l.startsWith('http'));
      if (line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`the fake OpenAI server exited with code ${code}`)));
  });

  return {
    url,
    pid: child.pid ?? -1,
    takeCount: () =>
      new Promise<number>((resolve) => {
        child.once('message', (message) => resolve((message as { requests: number }).requests));
        child.send('count');
      }),
    stop: async () => {
      process.off('exit', killOnExit);
      child.kill('SIGTERM');
      await exited;
    },
  };
}
