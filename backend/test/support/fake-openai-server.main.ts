/**
 * Runs the fake OpenAI server by hand. Environment: PORT (default 0 = a free port), HOST (default
 * 127.0.0.1), TOKEN_INTERVAL_MS (or MOCK_TOKEN_INTERVAL_MS; default 20), FAKE_OPENAI_API_KEY
 * (optional: require this bearer key). Prints the base URL (with `/v1`) on stdout, alone on its line.
 * Started with an IPC channel (load tests), it answers the message `'count'` with `{ requests: n }`,
 * the requests received since the previous count, and forgets them (a long run keeps no history).
 *
 * `backend/test/support/` is not part of the backend build; run it with, e.g.:
 *   npx esbuild backend/test/support/fake-openai-server.main.ts --bundle --platform=node \
 *     --outfile=/tmp/fake-openai.js && PORT=8787 node /tmp/fake-openai.js
 */
import { startFakeOpenAiServer } from './fake-openai-server';

function intEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const server = await startFakeOpenAiServer({
    port: intEnv('PORT', 0),
    host: process.env.HOST || '127.0.0.1',
    tokenIntervalMs: intEnv('TOKEN_INTERVAL_MS', intEnv('MOCK_TOKEN_INTERVAL_MS', 20)),
    apiKey: process.env.FAKE_OPENAI_API_KEY || undefined,
  });
  process.stdout.write(`${server.url}\n`);
  process.on('message', (message) => {
    if (message !== 'count') return;
    const requests = server.requests.length;
    server.requests.length = 0;
    process.send?.({ requests });
  });
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
