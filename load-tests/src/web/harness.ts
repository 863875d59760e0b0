/**
 * The harness of the web figures (`lighthouse.ts`, `live-tail.ts`): Sightline with the built UI on a
 * temp data dir, signed in as its first-start admin, seeded with realistic traffic, and Debian's
 * Chromium (playwright-core) holding that session and a remote-debugging port for Lighthouse.
 *
 *   const app = await startWebSightline();
 *   await seedDashboardTraffic(app);                // a week of generations + live gateway calls
 *   const traceId = await ingestWideTrace(app, 500); // one trace of 500 spans
 *   const chromium = await launchChromium(app);
 *   const page = await chromium.context.newPage();
 *   await page.goto(app.pageUrl('/traces'));
 *   …
 *   await chromium.close();
 *   await app.stop();
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { REPO_ROOT } from '../harness/environment';
import { freePort, startSightline, type SightlineProcess } from '../harness/sightline-process';

/** Debian's Chromium (`apt-get install -y chromium`); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The built UI (`npm run build -w frontend`). */
export const UI_DIR = join(REPO_ROOT, 'frontend', 'build');

/** A cookie in the shape of playwright's `BrowserContext.addCookies`. */
export interface BrowserCookie {
  readonly name: string;
  readonly value: string;
  readonly url: string;
}

export interface WebSightline {
  readonly process: SightlineProcess;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The default project's first API key (`Authorization: Bearer …`). */
  readonly apiKey: string;
  /** The default project. */
  readonly projectId: string;
  /** The first-start admin's session (owner of the default project). */
  readonly cookies: readonly BrowserCookie[];
  /** `url` + `path` with `?project=` (or `&project=`) of the default project. */
  pageUrl(path: string): string;
  /** A GraphQL operation as the admin; throws on any error. */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/** The cookies a response sets. */
function responseCookies(response: Response, url: string): BrowserCookie[] {
  return response.headers.getSetCookie().map((header) => {
    const pair = header.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), url };
  });
}

/**
 * Starts `backend/dist/main.js` serving the built UI on a free port with a fresh DATA_DIR, follows
 * the first-start sign-in link (as the browser tests' global setup does) and finds the default project.
 */
export async function startWebSightline(env: Readonly<Record<string, string>> = {}): Promise<WebSightline> {
  if (!existsSync(join(UI_DIR, 'index.html'))) {
    throw new Error(`${UI_DIR}/index.html not found: run \`npm run build -w frontend\` first`);
  }
  const process_ = await startSightline({
    env: { SIGHTLINE_UI_DIR: UI_DIR, API_RATE_LIMIT_RPS: '100000', ...env },
    logPrefix: '[sightline] ',
  });
  try {
    const { url, apiKey, signInUrl } = process_;
    if (!apiKey || !signInUrl) throw new Error('Sightline printed no first-start API key or sign-in link');
    const response = await fetch(`${url}${new URL(signInUrl).pathname}`, { redirect: 'manual' });
    const cookies = responseCookies(response, url);
    if (response.status >= 400 || cookies.length === 0) {
      throw new Error(`the first-start sign-in link answered ${response.status}`);
    }
    const graphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const answer = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '),
          'x-csrf-token': cookies.find((c) => c.name === 'sl_csrf')?.value ?? '',
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await answer.json()) as { data?: T; errors?: unknown[] };
      if (!answer.ok || body.errors?.length || !body.data) {
        throw new Error(`GraphQL ${query.slice(0, 60)}… answered ${answer.status}: ${JSON.stringify(body)}`);
      }
      return body.data;
    };
    const { viewer } = await graphql<{ viewer: { projects: { id: string }[] } }>(
      '{ viewer { projects { id } } }',
    );
    const projectId = viewer.projects[0]?.id;
    if (!projectId) throw new Error('the first-start admin has no project');
    return {
      process: process_,
      url,
      apiKey,
      projectId,
      cookies,
      pageUrl: (path) => `${url}${path}${path.includes('?') ? '&' : '?'}project=${projectId}`,
      graphql,
      stop: () => process_.stop(),
    };
  } catch (error) {
    await process_.stop();
    throw error;
  }
}

export type IngestItem = { type: 'span' | 'generation' | 'score'; body: Record<string, unknown> };

/** POST /api/ingest in batches of 1000; throws on any refused item. */
export async function ingest(app: WebSightline, items: readonly IngestItem[]): Promise<void> {
  for (let i = 0; i < items.length; i += 1000) {
    const response = await fetch(`${app.url}/api/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.apiKey}` },
      body: JSON.stringify({
        batch: items.slice(i, i + 1000).map((item) => ({ id: randomUUID(), ...item })),
      }),
    });
    const answer = (await response.json()) as { errors?: unknown[] };
    if (!response.ok && response.status !== 207) throw new Error(`/api/ingest answered ${response.status}`);
    if (answer.errors?.length) throw new Error(`/api/ingest refused items: ${JSON.stringify(answer.errors)}`);
  }
}

/** A gateway call to the offline mock model (`mock-*`), as an app's user; returns the HTTP status. */
export async function gatewayCall(
  app: WebSightline,
  options: {
    model?: string;
    user?: string;
    tags?: readonly string[];
    prompt?: string;
    stream?: boolean;
  } = {},
): Promise<number> {
  const response = await fetch(`${app.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${app.apiKey}`,
      ...(options.user ? { 'x-sightline-user-id': options.user } : {}),
      ...(options.tags?.length ? { 'x-sightline-tags': options.tags.join(',') } : {}),
    },
    body: JSON.stringify({
      model: options.model ?? 'mock-1',
      stream: options.stream ?? false,
      messages: [{ role: 'user', content: options.prompt ?? 'Summarise the release notes in two lines.' }],
    }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** A deterministic pseudo-random generator (mulberry32): the same seed, the same traffic. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = [
  { model: 'gpt-4o-mini', provider: 'openai', weight: 5, latency: 900, tokens: 300 },
  { model: 'gpt-4o', provider: 'openai', weight: 3, latency: 2_200, tokens: 500 },
  { model: 'claude-3-5-sonnet-20241022', provider: 'anthropic', weight: 2, latency: 2_800, tokens: 650 },
  { model: 'gemini-1.5-flash', provider: 'google', weight: 2, latency: 700, tokens: 250 },
] as const;
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
const TAGS = ['checkout', 'support', 'search', 'onboarding'];

function weighted<T extends { weight: number }>(items: readonly T[], random: () => number): T {
  let r = random() * items.reduce((sum, item) => sum + item.weight, 0);
  for (const item of items) if ((r -= item.weight) < 0) return item;
  return items[items.length - 1]!;
}

/**
 * `count` generations over the last `days` days (busier in daytime hours), ingested as one-span
 * traces: four models of three providers, eight users, four tags, about 3 % errors. Returns how many.
 */
export function pastGenerations(count: number, days: number, now = Date.now(), seed = 42): IngestItem[] {
  const random = seeded(seed);
  const items: IngestItem[] = [];
  while (items.length < count) {
    const ago = random() * days * 86_400_000;
    const startedAt = now - ago;
    const hour = new Date(startedAt).getUTCHours();
    if (random() > 0.35 + 0.65 * Math.sin((Math.PI * hour) / 24)) continue; // a daily rhythm
    const m = weighted(MODELS, random);
    const latency = Math.round(m.latency * (0.4 + random() * random() * 3));
    const failed = random() < 0.03;
    const output = Math.round(m.tokens * (0.3 + random()));
    items.push({
      type: 'generation',
      body: {
        traceId: `seed-${items.length}-${Math.floor(startedAt)}`,
        spanId: `gen-${items.length}`,
        name: 'chat',
        model: m.model,
        provider: m.provider,
        startedAt: new Date(startedAt).toISOString(),
        endedAt: new Date(startedAt + latency).toISOString(),
        userId: USERS[Math.floor(random() * random() * USERS.length)],
        tags: [TAGS[Math.floor(random() * TAGS.length)]!],
        input: [{ role: 'user', content: 'Where is my order #4411?' }],
        output: failed
          ? undefined
          : { role: 'assistant', content: 'It shipped yesterday and arrives Friday.' },
        ...(failed ? { status: 'error', statusMessage: 'upstream timeout after 30 s' } : { status: 'ok' }),
        usage: { inputTokens: Math.round(200 + random() * 1200), outputTokens: failed ? 0 : output },
      },
    });
  }
  return items;
}

/**
 * Realistic dashboard traffic: `past` ingested generations over the last `days` days and `live`
 * streamed gateway calls to the mock model now (they carry time to first token), by user and tag.
 */
export async function seedDashboardTraffic(
  app: WebSightline,
  options: { past?: number; days?: number; live?: number } = {},
): Promise<void> {
  await ingest(app, pastGenerations(options.past ?? 3_000, options.days ?? 7));
  const live = options.live ?? 40;
  for (let i = 0; i < live; i += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, live - i) }, (_, j) =>
        gatewayCall(app, {
          model: (i + j) % 3 === 0 ? 'mock-large' : 'mock-1',
          user: USERS[(i + j) % USERS.length],
          tags: [TAGS[(i + j) % TAGS.length]!],
          stream: true,
        }),
      ),
    );
  }
}

/**
 * One trace of `spans` spans, ingested: an agent root, steps under it, each with a retrieval, a
 * generation and a tool call, nested three levels deep. Returns its id.
 */
export async function ingestWideTrace(app: WebSightline, spans = 500, traceId = `wide-${Date.now()}`) {
  const start = Date.now() - 120_000;
  const at = (ms: number) => new Date(start + ms).toISOString();
  const items: IngestItem[] = [
    {
      type: 'span',
      body: {
        traceId,
        spanId: 'root',
        kind: 'agent',
        name: 'research agent',
        startedAt: at(0),
        endedAt: at(spans * 100 + 100),
        userId: 'alice',
        input: { goal: 'compare three vendors' },
        output: 'Vendor B, for the price and the SLA.',
      },
    },
  ];
  for (let i = 1; items.length < spans; i++) {
    const step = `step-${i}`;
    const t = i * 300;
    items.push({
      type: 'span',
      body: {
        traceId,
        spanId: step,
        parentSpanId: 'root',
        kind: 'chain',
        name: `step ${i}`,
        startedAt: at(t),
        endedAt: at(t + 290),
      },
    });
    if (items.length < spans)
      items.push({
        type: 'span',
        body: {
          traceId,
          spanId: `${step}-search`,
          parentSpanId: step,
          kind: 'retrieval',
          name: 'search docs',
          startedAt: at(t + 5),
          endedAt: at(t + 60),
          input: { q: `vendor ${i}` },
          output: { hits: 3 },
        },
      });
    if (items.length < spans)
      items.push({
        type: 'generation',
        body: {
          traceId,
          spanId: `${step}-llm`,
          parentSpanId: step,
          name: 'reason',
          model: 'gpt-4o-mini',
          startedAt: at(t + 65),
          endedAt: at(t + 250),
          input: [{ role: 'user', content: `What does vendor ${i} charge?` }],
          output: { role: 'assistant', content: `Vendor ${i} charges ${i * 3} USD a seat.` },
          usage: { inputTokens: 150, outputTokens: 20 },
        },
      });
    if (items.length < spans)
      items.push({
        type: 'span',
        body: {
          traceId,
          spanId: `${step}-tool`,
          parentSpanId: `${step}-llm`,
          kind: 'tool',
          name: 'price_lookup',
          startedAt: at(t + 255),
          endedAt: at(t + 285),
          input: { vendor: i },
          output: { usd: i * 3 },
        },
      });
  }
  await ingest(app, items);
  return traceId;
}

/** Waits until `check` is true (polled every 250 ms) or throws after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits until the read side holds `spans` spans of trace `traceId`. */
export function waitForTrace(app: WebSightline, traceId: string, spans: number): Promise<void> {
  return waitFor(`trace ${traceId} with ${spans} spans`, async () => {
    const { trace } = await app.graphql<{ trace: { trace: { spanCount: number } } | null }>(
      'query($p: ID, $id: ID!) { trace(projectId: $p, id: $id) { trace { spanCount } } }',
      { p: app.projectId, id: traceId },
    );
    return (trace?.trace.spanCount ?? 0) >= spans;
  });
}

export interface Chromium {
  /** The browser's one context, signed in as the app's admin (Lighthouse opens its tabs here too). */
  readonly context: BrowserContext;
  /** The remote-debugging port (for `lighthouse(url, { port })`). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, started as its own process with a fresh profile and a
 * remote-debugging port (Lighthouse needs a browser it can drive there: one launched by playwright
 * over a pipe gives it no navigation start), and playwright-core connected to it over CDP; the app's
 * session cookies are set in its default context, so pages and Lighthouse runs share the session.
 */
export async function launchChromium(
  app: WebSightline,
  viewport = { width: 1350, height: 940 },
): Promise<Chromium> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} not found: apt-get install -y chromium`);
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), 'sightline-web-chromium-'));
  const child = spawn(
    CHROMIUM_PATH,
    [
      '--headless=new',
      `--remote-debugging-port=${port}`,
      `--user-data-dir=${profile}`,
      `--window-size=${viewport.width},${viewport.height}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      'about:blank',
    ],
    { stdio: 'ignore' },
  );
  await waitFor("Chromium's debugging port", async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/json/version`).catch(() => null);
    return answer?.ok ?? false;
  });
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  const context = browser.contexts()[0]!;
  await context.addCookies(app.cookies.map((c) => ({ ...c })));
  return {
    context,
    port,
    close: async () => {
      await browser.close().catch(() => undefined);
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
