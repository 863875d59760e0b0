/**
 * Live-tail figure: 1,000 new generations a second for 10 s into the traces page's live tail in
 * Chromium, with a `longtask` PerformanceObserver in the page. Prints the longest task, how many
 * tasks were over 50 ms — each with what ran in its animation frame (the Long Animation Frames API:
 * the scripts by entry point, their time, forced style and layout; the frame's style/layout and
 * render time) — and what reached the page (websocket updates, rows shown, missed). A Chrome trace
 * of the run (the `toplevel` category only: little overhead) gives the CPU time of each task over
 * 50 ms: a task's duration is wall time, which on a machine with more runnable threads than cores
 * includes waiting for one (see the load average printed), its CPU time does not. The
 * Lighthouse script (`lighthouse.js`) prints it too, after its pages; this file runs it alone:
 *
 *   npm run build && npm run build -w load-tests
 *   node load-tests/dist/web/live-tail.js [--rate 1000] [--seconds 10] [--profile f] [--trace f]
 *
 * The traffic comes from a worker thread posting `/api/ingest` batches (one generation, its own
 * trace, per item) every 100 ms. The figure is valid only if the page got (about) every update:
 * the printed line says how many arrived and how many the server dropped for a slow reader.
 */
import { loadavg, cpus } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { launchChromium, startWebSightline, type Chromium, type WebSightline } from './harness';

const LONG_TASK_MS = 50;

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** Environment for the Sightline process of this figure: ingestion is not rate limited. */
export const LIVE_TAIL_ENV = { GATEWAY_RATE_LIMIT_RPS: '1000000' };

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

/** A long animation frame (Long Animation Frames API) as recorded in the page, times in ms. */
export interface LongFrame {
  readonly start: number;
  readonly duration: number;
  /** From the frame's rendering start (rAF callbacks, style, layout, paint) to its end. */
  readonly render: number;
  /** From the frame's style and layout start to its end. */
  readonly styleLayout: number;
  /** [entry point (invoker), source (file:function), ms, forced style and layout ms] */
  readonly scripts: [string, string, number, number][];
}

/** A main-thread task of the Chrome trace, in ms: its duration (wall) and its thread (CPU) time. */
export interface TracedTask {
  /** The trace's clock (its `ts`), in ms. */
  readonly at: number;
  readonly wall: number;
  readonly cpu: number;
}

/** What is read of a Chrome trace event. */
interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { name?: string };
}

/**
 * The tasks of the renderer's main thread (the busiest CrRendererMain) in a Chrome trace: `RunTask`
 * events (devtools.timeline), or with the `toplevel` category only `ThreadControllerImpl::RunTask`,
 * outermost ones only.
 */
export function mainThreadTasks(trace: string | { traceEvents: readonly unknown[] }): TracedTask[] {
  const parsed = (typeof trace === 'string' ? JSON.parse(trace) : trace) as
    { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const name = events.some((e) => e.name === 'RunTask') ? 'RunTask' : 'ThreadControllerImpl::RunTask';
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.ph !== 'X' || e.name !== name || !mains.has(thread)) continue;
    byThread.set(thread, [...(byThread.get(thread) ?? []), e]);
  }
  const busiest = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const tasks: TracedTask[] = [];
  let end = -Infinity;
  for (const e of busiest.sort((a, b) => a.ts - b.ts)) {
    if (e.ts < end) continue; // nested in the previous task
    end = e.ts + (e.dur ?? 0);
    tasks.push({ at: e.ts / 1000, wall: (e.dur ?? 0) / 1000, cpu: (e.tdur ?? 0) / 1000 });
  }
  return tasks;
}

export interface LiveTailFigure {
  readonly rate: number;
  readonly seconds: number;
  readonly sent: { accepted: number; failed: number; ms: number };
  /** The machine's load average (1, 5, 15 min) as the traffic started. */
  readonly load: readonly number[];
  /** [start ms since the traffic began, duration ms] of every task over LONG_TASK_MS. */
  readonly tasks: [number, number][];
  /** The animation frames over LONG_TASK_MS (start relative to the traffic's start, as `tasks`). */
  readonly frames: LongFrame[];
  /** The main thread's tasks in the Chrome trace of the traffic (none when tracing failed). */
  readonly traced: TracedTask[];
  readonly shown: number;
  readonly updates: number;
  readonly count: string | undefined;
}

/**
 * Opens `/traces?live=1` signed in, waits until the tail is live, then sends `rate` generations a
 * second for `seconds` s and reads what the page saw. `profile`/`trace`: files for the page's CPU
 * profile / a Chrome trace of the run.
 */
export async function measureLiveTail(
  app: WebSightline,
  chromium: Chromium,
  options: { rate?: number; seconds?: number; profile?: string; trace?: string } = {},
): Promise<LiveTailFigure> {
  const { rate = 1000, seconds = 10 } = options;
  const page = await chromium.context.newPage();
  try {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(app.pageUrl('/traces?live=1&range=1h'));
    await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor({ timeout: 30_000 });
    // In the page (a string: this package has no DOM types): every task over the threshold.
    await page.evaluate(`(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          if (entry.duration > ${LONG_TASK_MS}) window.__longTasks.push([entry.startTime, entry.duration]);
      }).observe({ type: 'longtask' });
      window.__longFrames = [];
      new PerformanceObserver((list) => {
        for (const f of list.getEntries()) {
          if (f.duration <= ${LONG_TASK_MS}) continue;
          const end = f.startTime + f.duration;
          window.__longFrames.push({
            start: f.startTime,
            duration: f.duration,
            render: f.renderStart ? end - f.renderStart : 0,
            styleLayout: f.styleAndLayoutStart ? end - f.styleAndLayoutStart : 0,
            scripts: f.scripts.map((s) => [
              s.invoker,
              (s.sourceURL || '').replace(/^.*\\//, '').replace(/\\?.*$/, '') + (s.sourceFunctionName ? ':' + s.sourceFunctionName : ''),
              s.duration,
              s.forcedStyleAndLayoutDuration,
            ]),
          });
        }
      }).observe({ type: 'long-animation-frame' });
    })()`);
    const cdp = options.profile ? await chromium.context.newCDPSession(page) : null;
    await cdp?.send('Profiler.enable');
    await cdp?.send('Profiler.start');
    const browser = chromium.context.browser();
    // --trace: playwright's default categories (JS samples, timeline) into that file; else only the tasks.
    if (options.trace) await browser?.startTracing(page, { path: options.trace, screenshots: false });
    else await browser?.startTracing(page, { categories: ['toplevel'] });
    const load = loadavg();
    const trafficStart = (await page.evaluate('performance.now()')) as number;
    const sent = await traffic(app.url, app.apiKey, rate, seconds);
    await page.waitForTimeout(2_000);
    const trace = await browser?.stopTracing();
    const traced = options.trace
      ? mainThreadTasks(readFileSync(options.trace, 'utf8'))
      : trace
        ? mainThreadTasks(trace.toString('utf8'))
        : [];
    if (cdp && options.profile) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(options.profile, JSON.stringify(profile));
    }
    const result = (await page.evaluate(`({
      tasks: window.__longTasks,
      frames: window.__longFrames,
      shown: document.querySelectorAll('[data-testid="tail-row"]').length,
      updates: Number(document.querySelector('[data-testid="live-tail"]').dataset.received),
      count: document.querySelector('[data-testid="tail-count"]')?.textContent?.replace(/\\s+/g, ' ').trim(),
    })`)) as Pick<LiveTailFigure, 'tasks' | 'frames' | 'shown' | 'updates' | 'count'>;
    return {
      rate,
      seconds,
      sent,
      ...result,
      tasks: result.tasks.map(([at, ms]) => [at - trafficStart, ms]),
      frames: result.frames.map((f) => ({ ...f, start: f.start - trafficStart })),
      traced,
      load,
    };
  } finally {
    await page.close();
  }
}

/** What ran in the long animation frame holding a task that started `at`, as printed under it. */
function frameOf(frames: readonly LongFrame[], at: number): string {
  const frame = frames.find((f) => f.start <= at + 1 && at < f.start + f.duration);
  if (!frame) return '';
  const scripts = [...frame.scripts]
    .sort((a, b) => b[2] - a[2])
    .slice(0, 4)
    .map(
      ([invoker, source, ms, forced]) =>
        `\n        ${ms.toFixed(0)} ms ${invoker} (${source})${forced >= 1 ? `, forced style/layout ${forced.toFixed(0)} ms` : ''}`,
    );
  return (
    `\n      in a ${frame.duration.toFixed(0)} ms frame: style/layout ${frame.styleLayout.toFixed(0)} ms, ` +
    `render ${frame.render.toFixed(0)} ms; scripts:${scripts.join('') || ' none'}`
  );
}

/** The trace's view: each task over LONG_TASK_MS of wall time with its CPU time, and the most CPU any task took. */
function tracedLine(tasks: readonly TracedTask[]): string {
  if (tasks.length === 0) return '  Chrome trace: none recorded';
  const long = tasks.filter((t) => t.wall > LONG_TASK_MS);
  const cpuLong = tasks.filter((t) => t.cpu > LONG_TASK_MS).length;
  const mostCpu = Math.max(...tasks.map((t) => t.cpu));
  return (
    `  Chrome trace: ${tasks.length} main-thread tasks; ${long.length} over ${LONG_TASK_MS} ms of wall time` +
    (long.length
      ? ` (wall/CPU ms: ${long
          .sort((a, b) => b.wall - a.wall)
          .map((t) => `${t.wall.toFixed(0)}/${t.cpu.toFixed(0)}`)
          .join(' ')})`
      : '') +
    `; ${cpuLong} over ${LONG_TASK_MS} ms of CPU time; the most CPU in one task: ${mostCpu.toFixed(0)} ms`
  );
}

/** The figure as printed: what was sent, what the page got, the long tasks, whether it is valid. */
export function formatLiveTail(f: LiveTailFigure): string {
  const longest = f.tasks.length ? Math.max(...f.tasks.map(([, ms]) => ms)) : 0;
  const got = f.sent.accepted ? f.updates / f.sent.accepted : 0;
  return [
    `live tail: ${f.rate} new rows/s for ${f.seconds} s into /traces?live=1 ` +
      `(${cpus().length} CPUs, load average before the traffic ${f.load.map((l) => l.toFixed(1)).join(' ')})`,
    `  sent ${f.sent.accepted} generations (${f.sent.failed} refused) in ${(f.sent.ms / 1000).toFixed(1)} s; ` +
      `the page got ${f.updates} live updates (${(f.updates / f.seconds).toFixed(0)}/s); tail: ${f.count}; ` +
      `${f.shown} rows in the DOM`,
    `  long tasks (> ${LONG_TASK_MS} ms): ${f.tasks.length}; longest task: ` +
      `${longest ? `${longest.toFixed(0)} ms` : `none over ${LONG_TASK_MS} ms`}` +
      f.tasks
        .map(([at, ms]) => `\n    ${ms.toFixed(0)} ms at ${(at / 1000).toFixed(2)} s${frameOf(f.frames, at)}`)
        .join(''),
    tracedLine(f.traced),
    // A page that got a share of the rows did a share of the work. (Task durations are wall time: on a
    // machine with more runnable work than CPUs — see the load average — they include waiting for one.)
    `  valid: ${got >= 0.95 ? 'yes' : 'no'}: the page got ${(got * 100).toFixed(0)} % of the rows sent (needs 95 %)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const path = (name: string) => {
    const at = process.argv.indexOf(`--${name}`);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const app = await startWebSightline(LIVE_TAIL_ENV);
  let chromium: Chromium | undefined;
  try {
    chromium = await launchChromium(app);
    const figure = await measureLiveTail(app, chromium, {
      rate: arg('rate', 1000),
      seconds: arg('seconds', 10),
      profile: path('profile'),
      trace: path('trace'),
    });
    console.log(formatLiveTail(figure));
    if (figure.tasks.length > 0) process.exitCode = 1;
  } finally {
    await chromium?.close();
    await app.stop();
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
