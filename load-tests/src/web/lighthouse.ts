/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (page.evaluate callbacks run in the browser)
/**
 * Web figures of issue 13: the Lighthouse performance score of the trace list, a trace's detail and
 * the dashboard (target ≥ 95), how long the detail of a 500-span trace takes to render (target
 * under a second), and the live tail taking 1,000 new rows/s for 10 s (target: no long task over
 * 50 ms; see `live-tail.ts`). Sightline runs from `backend/dist/main.js` with the built UI on a temp data dir,
 * seeded with a week of generations, streamed gateway calls to the mock model and one 500-span trace.
 *
 *   npm run build && npm run web-figures -w load-tests
 *
 * Lighthouse 12 (Node API) drives Debian's Chromium through its remote-debugging port, signed in
 * (the session cookie is the profile's; Lighthouse's storage reset is off so it is kept, and the
 * HTTP cache is cleared before each run instead: every run is a cold load). Each page is measured
 * WEB_RUNS times (default 3) with the desktop and the mobile (default) settings; the median is
 * printed. WEB_VERBOSE=1 also prints each page's network requests (the waterfall); WEB_LHR_DIR=<dir>
 * writes each run's Lighthouse report (JSON: diagnostics, LCP element, request chains) there.
 * "TBT from CPU" estimates the Total Blocking Time from each main-thread task's CPU time (Lighthouse's
 * trace) instead of its duration: Σ max(0, CPU × slowdown − 50 ms) over the tasks after the first
 * contentful paint. Lighthouse's TBT uses durations, which on a machine with more runnable threads
 * than cores include waiting for one (see the load average printed): the gap between the two is the load.
 * To measure a part only: WEB_PAGES=list,detail,dashboard (default all), WEB_FORM_FACTORS=desktop,mobile
 * (default both), WEB_SPAN_TREE=0 skips the span tree's render times, WEB_LIVE_TAIL=0 the live tail.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envInt, commit, machine } from '../harness/environment';
import { formatTable } from '../harness/table';
import {
  ingestWideTrace,
  launchChromium,
  seedDashboardTraffic,
  startWebSightline,
  waitFor,
  waitForTrace,
  type Chromium,
  type WebSightline,
} from './harness';
import { formatLiveTail, LIVE_TAIL_ENV, mainThreadTasks, measureLiveTail } from './live-tail';

type Lighthouse = typeof import('lighthouse').default;
type Flags = NonNullable<Parameters<Lighthouse>[1]>;
type Config = NonNullable<Parameters<Lighthouse>[2]>;

interface Audit {
  numericValue?: number;
  details?: {
    items?: { url: string; networkRequestTime?: number; networkEndTime?: number; transferSize?: number }[];
  };
}

interface PageFigures {
  score: number;
  fcp: number;
  lcp: number;
  tbt: number;
  /** TBT estimated from the tasks' CPU time (see the header). */
  cpuTbt: number;
  cls: number;
  si: number;
  requests: number;
}

const SPANS = 500;

/** A comma-separated knob (WEB_PAGES, WEB_FORM_FACTORS): the chosen names, or all when unset. */
function chosen(name: string, all: readonly string[]): Set<string> {
  const value = process.env[name]?.trim();
  const names = value ? value.split(',').map((n) => n.trim()) : all;
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length) throw new Error(`${name}: unknown ${unknown.join(', ')} (one of ${all.join(', ')})`);
  return new Set(names);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function clearCache(chromium: Chromium): Promise<void> {
  const page = await chromium.context.newPage();
  const cdp = await chromium.context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await cdp.detach();
  await page.close();
}

async function runLighthouse(
  lighthouse: Lighthouse,
  chromium: Chromium,
  url: string,
  config: Config | undefined,
  verbose: string | null,
): Promise<PageFigures> {
  await clearCache(chromium);
  const flags: Flags = {
    port: chromium.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance'],
    disableStorageReset: true,
  };
  const result = await lighthouse(url, flags, config);
  if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`Lighthouse failed on ${url}: ${lhr.runtimeError.message}`);
  const audit = (id: string) => lhr.audits[id] as Audit | undefined;
  const value = (id: string) => audit(id)?.numericValue ?? Number.NaN;
  const requests = audit('network-requests')?.details?.items ?? [];
  const observed = (
    audit('metrics') as { details?: { items?: { observedFirstContentfulPaintTs?: number }[] } }
  )?.details?.items?.[0];
  const fcpAt = (observed?.observedFirstContentfulPaintTs ?? 0) / 1000;
  const slowdown = lhr.configSettings.throttling?.cpuSlowdownMultiplier ?? 1;
  const cpuTbt = mainThreadTasks(result.artifacts.Trace)
    .filter((t) => t.at >= fcpAt)
    .reduce((sum, t) => sum + Math.max(0, t.cpu * slowdown - 50), 0);
  const lhrDir = process.env.WEB_LHR_DIR;
  if (lhrDir) {
    mkdirSync(lhrDir, { recursive: true });
    const name = `${new URL(url).pathname.replace(/[^a-z0-9]+/gi, '_')}-${config ? 'desktop' : 'mobile'}-${Date.now()}.json`;
    writeFileSync(join(lhrDir, name), JSON.stringify(lhr));
  }
  if (verbose) {
    console.log(`\n  network requests of ${verbose} (ms from navigation start):`);
    for (const r of requests) {
      const path = new URL(r.url).pathname;
      console.log(
        `    ${String(Math.round(r.networkRequestTime ?? 0)).padStart(6)} → ${String(Math.round(r.networkEndTime ?? 0)).padStart(6)}  ${Math.round((r.transferSize ?? 0) / 1024)} kB  ${path}`,
      );
    }
  }
  return {
    score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    fcp: value('first-contentful-paint'),
    lcp: value('largest-contentful-paint'),
    tbt: value('total-blocking-time'),
    cpuTbt,
    cls: value('cumulative-layout-shift'),
    si: value('speed-index'),
    requests: requests.length,
  };
}

/**
 * Opens the trace's detail on a cold cache and times, from the navigation's start (the page's
 * `performance.timeOrigin`): the span tree showing its first rows with all spans loaded, then — after
 * scrolling the tree to its end — its last row visible.
 */
async function spanTreeRender(app: WebSightline, chromium: Chromium, traceId: string, lastSpanId: string) {
  await clearCache(chromium);
  const page = await chromium.context.newPage();
  try {
    await page.goto(app.pageUrl(`/traces/${encodeURIComponent(traceId)}`), { waitUntil: 'commit' });
    await page.waitForFunction(
      (spans) => {
        const tree = document.querySelector<HTMLElement>('[data-testid="span-tree"]');
        return (
          Number(tree?.dataset.spanCount) >= spans && tree?.querySelector('[data-testid="span-row"]') !== null
        );
      },
      SPANS,
      { polling: 'raf', timeout: 30_000 },
    );
    const shown = await page.evaluate(() => performance.now());
    const last = await page.evaluate(async (id) => {
      const tree = document.querySelector('[data-testid="span-tree"]')!;
      const scroller = [...tree.querySelectorAll<HTMLElement>('*')].find(
        (e) => e.scrollHeight > e.clientHeight + 1,
      );
      if (!scroller) throw new Error('the span tree does not scroll');
      scroller.scrollTop = scroller.scrollHeight;
      for (;;) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const row = tree.querySelector(`[data-span-id="${CSS.escape(id)}"]`);
        const box = row?.getBoundingClientRect();
        const view = scroller.getBoundingClientRect();
        if (box && box.height > 0 && box.bottom <= view.bottom + 1 && box.top >= view.top - 1)
          return performance.now();
      }
    }, lastSpanId);
    return { shown, last };
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  const runs = envInt('WEB_RUNS', 3);
  const verbose = process.env.WEB_VERBOSE === '1';
  const { default: lighthouse } = await import('lighthouse');
  const { default: desktop } = await import('lighthouse/core/config/desktop-config.js');

  const app = await startWebSightline(LIVE_TAIL_ENV);
  let chromium: Chromium | undefined;
  try {
    console.log('seeding: 3,000 generations over 7 days, 40 streamed gateway calls, one 500-span trace…');
    await seedDashboardTraffic(app);
    const traceId = await ingestWideTrace(app, SPANS);
    await waitForTrace(app, traceId, SPANS);
    await waitFor('the seeded generations in the read side', async () => {
      const { traces } = await app.graphql<{ traces: { edges: unknown[] } }>(
        'query($p: ID) { traces(projectId: $p, first: 50) { edges { cursor } } }',
        { p: app.projectId },
      );
      return traces.edges.length >= 50;
    });
    const { trace } = await app.graphql<{ trace: { spans: { id: string }[] } }>(
      'query($p: ID, $id: ID!) { trace(projectId: $p, id: $id) { spans { id } } }',
      { p: app.projectId, id: traceId },
    );
    const lastSpanId = trace.spans[trace.spans.length - 1]!.id;

    chromium = await launchChromium(app);
    const pageNames = chosen('WEB_PAGES', ['list', 'detail', 'dashboard']);
    const formFactors = chosen('WEB_FORM_FACTORS', ['desktop', 'mobile']);
    const pages = [
      { id: 'list', name: 'trace list', path: '/traces' },
      { id: 'detail', name: `trace detail (${SPANS} spans)`, path: `/traces/${encodeURIComponent(traceId)}` },
      { id: 'dashboard', name: 'dashboard', path: '/dashboards' },
    ].filter((p) => pageNames.has(p.id));
    const rows: string[][] = [];
    for (const [formFactor, config] of [
      ['desktop', desktop],
      ['mobile', undefined],
    ] as const) {
      if (!formFactors.has(formFactor)) continue;
      for (const { name, path } of pages) {
        const figures: PageFigures[] = [];
        const failures: string[] = [];
        for (let run = 0; run < runs; run++) {
          const label = verbose && run === 0 ? `${name} (${formFactor})` : null;
          // A failed run (e.g. Lighthouse's NO_FCP) is printed, not fatal: the other pages still get figures.
          await runLighthouse(lighthouse, chromium, app.pageUrl(path), config, label).then(
            (f) => figures.push(f),
            (error: unknown) =>
              failures.push(error instanceof Error ? error.message.slice(0, 160) : String(error)),
          );
        }
        for (const failure of failures) console.log(`  ${name} (${formFactor}): ${failure}`);
        if (figures.length === 0) {
          rows.push([
            name,
            formFactor,
            'failed',
            failures.length ? 'see above' : '',
            '',
            '',
            '',
            '',
            '',
            '',
            '',
          ]);
          continue;
        }
        const m = (key: keyof PageFigures) => median(figures.map((f) => f[key]));
        rows.push([
          name,
          formFactor,
          String(m('score')),
          figures.map((f) => f.score).join(' '),
          `${Math.round(m('fcp'))}`,
          `${Math.round(m('lcp'))}`,
          `${Math.round(m('tbt'))}`,
          `${Math.round(m('cpuTbt'))}`,
          m('cls').toFixed(3),
          `${Math.round(m('si'))}`,
          String(m('requests')),
        ]);
      }
    }

    const renders: { shown: number; last: number }[] = [];
    if (process.env.WEB_SPAN_TREE !== '0')
      for (let run = 0; run < 5; run++)
        renders.push(await spanTreeRender(app, chromium, traceId, lastSpanId));

    console.log('\nSUMMARY web figures (issue 13)');
    console.log(
      formatTable(
        [
          'page',
          'settings',
          'score (median)',
          `scores (${runs} runs)`,
          'FCP ms',
          'LCP ms',
          'TBT ms',
          'TBT from CPU ms',
          'CLS',
          'SI ms',
          'requests',
        ],
        rows,
      ),
    );
    const shown = renders.map((r) => r.shown);
    const last = renders.map((r) => r.last);
    if (renders.length)
      console.log(
        `\ntrace detail of a ${SPANS}-span trace, cold cache, from navigation start (5 runs):\n` +
          `  span tree shown with all ${SPANS} spans: median ${Math.round(median(shown))} ms, max ${Math.round(Math.max(...shown))} ms\n` +
          `  last row visible after scrolling to the end: median ${Math.round(median(last))} ms, max ${Math.round(Math.max(...last))} ms`,
      );
    // Last: its traffic adds 10,000 traces, which the pages above are measured without.
    if (process.env.WEB_LIVE_TAIL !== '0')
      console.log(`\n${formatLiveTail(await measureLiveTail(app, chromium))}`);
    console.log(`\ncommand: npm run web-figures -w load-tests\nmachine: ${machine()}\ncommit:  ${commit()}`);
  } finally {
    await chromium?.close();
    await app.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
