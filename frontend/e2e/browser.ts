// Debian's Chromium driven by playwright-core, one fresh profile per test file.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath, resultsDir } from './paths';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Browser {
  context: BrowserContext;
  /** A new page that records console errors, exceptions, HTTP errors and websocket events into `log`. */
  newPage(): Promise<{ page: Page; log: string[] }>;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile; `cookies` (e.g. a signed-in session) are set up front. */
export async function launchBrowser(
  cookies: Parameters<BrowserContext['addCookies']>[0] = [],
): Promise<Browser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'sightline-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  if (cookies.length > 0) await context.addCookies(cookies);
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const log: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          log.push(`console.${message.type()}: ${message.text()}`);
        }
      });
      page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
      page.on('response', (response) => {
        if (response.status() >= 400)
          log.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
      });
      page.on('websocket', (socket) => {
        log.push(`websocket opened: ${socket.url()}`);
        socket.on('socketerror', (error) => log.push(`websocket error: ${socket.url()} ${error}`));
        socket.on('close', () => log.push(`websocket closed: ${socket.url()}`));
      });
      page.on('requestfailed', (request) =>
        log.push(`requestfailed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`),
      );
      return { page, log };
    },
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot and the page's HTML and browser log under frontend/test-results/. */
export async function saveFailureArtifacts(
  page: Page,
  name: string,
  log: readonly string[],
): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const base = path.join(
    resultsDir,
    name
      .replace(/[^a-z0-9-]+/gi, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase(),
  );
  await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
  const html = await page.content().catch(() => '(page closed)');
  await writeFile(`${base}.html`, html);
  await writeFile(`${base}.log`, log.join('\n') + '\n');
  return base;
}
