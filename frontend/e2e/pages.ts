// Browser-side helpers of the tests: open a page that leaves artifacts when its test fails, wait for
// the live view, sign in through the login form.
import type { Page } from 'playwright-core';
import { expect, inject, type TestContext } from 'vitest';
import { saveFailureArtifacts, type Browser } from './browser';

/**
 * A new page of `browser` at `path`; if the test fails, its screenshot, HTML and browser log go to
 * frontend/test-results/<test name>[-<label>].*.
 */
export async function openPage(
  browser: Browser,
  context: TestContext,
  path: string,
  label = '',
): Promise<{ page: Page; log: string[] }> {
  const { page, log } = await browser.newPage();
  context.onTestFailed(async () => {
    const base = await saveFailureArtifacts(page, `${context.task.name}${label ? `-${label}` : ''}`, log);
    console.error(`browser artifacts: ${base}.{png,html,log}\n${log.join('\n')}`);
  });
  await page.goto(`${inject('baseUrl')}${path}`);
  return { page, log };
}

/** Waits until the live-traces page is subscribed and its first page is loaded. */
export async function waitForLive(page: Page): Promise<void> {
  await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor({ timeout: 15_000 });
  await page.locator('[data-testid="live-traces"][data-loading="false"]').waitFor({ timeout: 15_000 });
}

/** The path and query of the page's URL, e.g. `/login?next=%2F`. */
export function pathOf(page: Page): string {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
}

export async function waitForPath(page: Page, pathname: string, timeout = 15_000): Promise<URL> {
  await page.waitForURL((url) => url.pathname === pathname, { timeout });
  return new URL(page.url());
}

/** Fills and submits the login form of the page (which must be /login). */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  const form = page.getByTestId('login-form');
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  await form.locator('button[type="submit"]').click();
}

/**
 * Reloads `page` until `ready` holds (read models trail the live path a little). Each check waits
 * for the page's requests to settle first: the load event comes before a page's data does, and on
 * a busy machine a check made at once, then another reload, would never see the answer.
 */
export async function reloadUntil(
  page: Page,
  ready: () => Promise<boolean>,
  message: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
    if (await ready()) return;
    if (Date.now() > deadline) break;
    await page.reload();
  }
  expect.fail(`${message} (still not after ${timeoutMs / 1000} s of reloading)`);
}
