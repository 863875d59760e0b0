/**
 * Live-tail figure: 1,000 new generations a second for 10 s into the traces page's live tail in
 * Chromium, with a `longtask` PerformanceObserver in the page. Prints the longest task, how many
 * tasks were over 50 ms, and what reached the page (websocket updates, rows shown, missed).
 *
 *   npm run build -w schemas && npm run build -w backend && npm run build -w frontend
 *   npm run build -w load-tests && node load-tests/dist/web/live-tail.js [--rate 1000] [--seconds 10]
 *
 * Sightline runs as its own process with the built UI (a minimal harness of this file: it needs the
 * first start's sign-in link); the traffic comes from a worker thread posting `/api/ingest` batches
 * (one generation, its own trace, per item) every 100 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { chromium } from 'playwright-core';
import { getStatus } from '../harness/http';
import { backendMain, freePort } from '../harness/sightline-process';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const UI_DIR = join(__dirname, '..', '..', '..', 'frontend', 'build');
const LONG_TASK_MS = 50;

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

interface Server {
  url: string;
  apiKey: string;
  loginUrl: string;
  stop(): Promise<void>;
}

/** Sightline with the built UI on a fresh data folder; its first start prints a sign-in link and an API key. */
async function startServer(): Promise<Server> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-live-tail-'));
  const child = spawn(process.execPath, [backendMain()], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SIGHTLINE_UI_DIR: UI_DIR,
      GATEWAY_RATE_LIMIT_RPS: '1000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => (output += text));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    const link = /sign in as \S+ .*?: (\S+\/auth\/link\/\S+)/.exec(output)?.[1];
    const apiKey = /API key for ".*?": (\S+)/.exec(output)?.[1];
    if (link && apiKey && (await getStatus(`${url}/healthz`).catch(() => 0)) === 200) {
      const loginUrl = `${url}${new URL(link).pathname}`;
      return {
        url,
        apiKey,
        loginUrl,
        stop: async () => {
          child.kill('SIGTERM');
          await new Promise((resolve) => child.once('exit', resolve));
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Sightline did not start with a sign-in link:\n${output.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The traffic: every 100 ms a batch of rate/10 generations, each its own trace; resolves to what was accepted. */
const TRAFFIC = `
const { parentPort, workerData } = require('node:worker_threads');
const { randomUUID } = require('node:crypto');
const { url, apiKey, rate, seconds } = workerData;
const perTick = Math.round(rate / 10);
let accepted = 0, failed = 0, n = 0;
async function tick() {
  const now = Date.now();
  const batch = [];
  for (let i = 0; i < perTick; i++, n++) {
    const traceId = 'tail-' + randomUUID();
    batch.push({ id: randomUUID(), type: 'generation', body: {
      traceId, spanId: traceId + '-gen', name: 'answer', model: n % 3 ? 'gpt-4o-mini' : 'claude-sonnet-4',
      startedAt: new Date(now - 400 - (n % 700)).toISOString(), endedAt: new Date(now).toISOString(),
      input: { messages: [{ role: 'user', content: 'question ' + n }] },
      output: 'Answer number ' + n + ': the live tail keeps up with this.',
      usage: { inputTokens: 10 + (n % 50), outputTokens: 20 + (n % 80) }, userId: 'user-' + (n % 40) } });
  }
  const res = await fetch(url + '/api/ingest', { method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + apiKey },
    body: JSON.stringify({ batch }) });
  const body = await res.json();
  failed += body.errors ? body.errors.length : perTick;
  accepted += perTick - (body.errors ? body.errors.length : perTick);
}
(async () => {
  const start = Date.now();
  const pending = [];
  for (let t = 0; t < seconds * 10; t++) {
    const due = start + t * 100;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
    pending.push(tick().catch(() => { failed += perTick; }));
  }
  await Promise.all(pending);
  parentPort.postMessage({ accepted, failed, ms: Date.now() - start });
})();
`;

function traffic(url: string, apiKey: string, rate: number, seconds: number) {
  const worker = new Worker(TRAFFIC, { eval: true, workerData: { url, apiKey, rate, seconds } });
  return new Promise<{ accepted: number; failed: number; ms: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

async function main(): Promise<void> {
  const rate = arg('rate', 1000);
  const seconds = arg('seconds', 10);
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.loginUrl);
    await page.goto(`${server.url}/traces?live=1&range=1h`);
    await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor({ timeout: 30_000 });
    // In the page (a string: this package has no DOM types): every task over the threshold.
    await page.evaluate(`(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          if (entry.duration > ${LONG_TASK_MS}) window.__longTasks.push([entry.startTime, entry.duration]);
      }).observe({ type: 'longtask' });
    })()`);

    // --profile <file>: the page's CPU profile of the run (read it with dist/profile-top.js).
    const profileAt = process.argv.indexOf('--profile');
    const cdp = profileAt >= 0 ? await page.context().newCDPSession(page) : null;
    await cdp?.send('Profiler.enable');
    await cdp?.send('Profiler.start');
    // --trace <file>: a Chrome trace of the run (open it in chrome://tracing or DevTools Performance).
    const traceAt = process.argv.indexOf('--trace');
    if (traceAt >= 0)
      await browser.startTracing(page, { path: process.argv[traceAt + 1]!, screenshots: false });
    const trafficStart = (await page.evaluate('performance.now()')) as number;
    const sent = await traffic(server.url, server.apiKey, rate, seconds);
    await page.waitForTimeout(2_000);
    if (traceAt >= 0) await browser.stopTracing();
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(process.argv[profileAt + 1]!, JSON.stringify(profile));
    }
    const result = (await page.evaluate(`({
      tasks: window.__longTasks,
      shown: document.querySelectorAll('[data-testid="tail-row"]').length,
      updates: Number(document.querySelector('[data-testid="live-tail"]').dataset.received),
      count: document.querySelector('[data-testid="tail-count"]')?.textContent?.replace(/\\s+/g, ' ').trim(),
    })`)) as { tasks: [number, number][]; shown: number; updates: number; count: string | undefined };
    const longest = result.tasks.length ? Math.max(...result.tasks.map(([, ms]) => ms)) : 0;
    const load = loadavg().map((l) => l.toFixed(1));
    console.log(
      `live tail: ${rate} new rows/s for ${seconds} s into /traces?live=1 (Chromium ${CHROMIUM}; ` +
        `${cpus().length} CPUs, load average ${load.join(' ')})`,
    );
    console.log(
      `  sent ${sent.accepted} generations (${sent.failed} refused) in ${(sent.ms / 1000).toFixed(1)} s; ` +
        `the page got ${result.updates} live updates (${(result.updates / seconds).toFixed(0)}/s); tail: ${result.count}; ` +
        `${result.shown} rows in the DOM`,
    );
    console.log(
      `  long tasks (> ${LONG_TASK_MS} ms): ${result.tasks.length}; longest task: ` +
        `${longest ? `${longest.toFixed(0)} ms` : `none over ${LONG_TASK_MS} ms`}` +
        result.tasks
          .map(([at, ms]) => `\n    ${ms.toFixed(0)} ms at ${((at - trafficStart) / 1000).toFixed(2)} s`)
          .join(''),
    );
    if (result.tasks.length > 0) process.exitCode = 1;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
