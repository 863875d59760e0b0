// Every page of the app at a laptop width (1280 px) and a phone width (390 px), in the light and the
// dark theme: nothing overflows horizontally, and a screenshot of each goes to
// frontend/test-results/pages/ (a test artifact). Also the shell itself: navigation, settings
// sub-navigation, the theme toggle, keyboard help and the 404 page.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, type Browser } from './browser';
import { openPage } from './pages';
import { resultsDir } from './paths';
import { ingestAgentTrace } from './traces';

const baseUrl = inject('baseUrl');
const projectId = inject('projectId');
const shotsDir = path.join(resultsDir, 'pages');

let browser: Browser;
const traceId = `pages-${Date.now()}`;

beforeAll(async () => {
  browser = await launchBrowser(inject('ownerCookies'));
  await ingestAgentTrace(baseUrl, inject('apiKey'), { traceId, userId: 'u-pages', sessionId: 's-pages' });
  await mkdir(shotsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** Each page and what shows once it has loaded. */
const PAGES: { name: string; path: string; ready: string }[] = [
  { name: 'traces', path: '/traces', ready: '[data-testid="traces-page"][data-loading="false"]' },
  { name: 'trace', path: `/traces/${traceId}`, ready: '[data-testid="span-panel"]' },
  { name: 'live', path: '/', ready: '[data-testid="live-traces"][data-loading="false"]' },
  { name: 'sessions', path: '/sessions', ready: '[data-testid="group-row"]' },
  { name: 'session', path: '/sessions/s-pages', ready: '[data-testid="session-turn"]' },
  { name: 'users', path: '/users', ready: '[data-testid="group-row"]' },
  { name: 'user', path: '/users/u-pages', ready: '[data-testid="trace-row"]' },
  { name: 'dashboards', path: '/dashboards', ready: '[data-testid="dashboards-page"][data-loading="false"]' },
  { name: 'playground', path: '/playground', ready: '[data-testid="playground"]' },
  { name: 'evaluations', path: '/evaluations', ready: '[data-testid="coming-page"]' },
  { name: 'settings-project', path: '/settings/project', ready: '[data-testid="project-settings"]' },
  { name: 'settings-keys', path: '/settings/keys', ready: '[data-testid="settings-nav"]' },
  { name: 'settings-providers', path: '/settings/providers', ready: '[data-testid="settings-nav"]' },
  { name: 'settings-prices', path: '/settings/prices', ready: '[data-testid="settings-nav"]' },
  { name: 'settings-budgets', path: '/settings/budgets', ready: '[data-testid="settings-nav"]' },
  { name: 'settings-members', path: '/settings/members', ready: '[data-testid="settings-nav"]' },
  { name: 'settings-restatements', path: '/settings/restatements', ready: '[data-testid="settings-nav"]' },
  { name: 'settings-data', path: '/settings/data', ready: '[data-testid="settings-nav"]' },
  { name: 'settings-audit', path: '/settings/audit', ready: '[data-testid="settings-nav"]' },
  { name: 'account', path: '/account', ready: 'main h1' },
  { name: 'not-found', path: '/no-such-page', ready: '[data-testid="error-page"]' },
];

async function settle(page: Page, ready: string) {
  await page.locator(ready).first().waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="loading"]').length === 0, null, {
    timeout: 15_000,
  });
  expect(await page.getByTestId('load-error').count(), `${ready}: the page's data failed to load`).toBe(0);
}

/** Elements wider than the viewport, for the failure message. */
function overflowing(page: Page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    return [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && getComputedStyle(e).position !== 'fixed')
      .slice(0, 5)
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} → ${Math.round(e.getBoundingClientRect().right)}px`,
      );
  });
}

describe('every page', () => {
  for (const width of [1280, 390]) {
    for (const theme of ['light', 'dark'] as const) {
      it(`fits ${width} px in the ${theme} theme, with a screenshot`, async (context) => {
        const { page } = await openPage(browser, context, '/traces', `${width}-${theme}`);
        await page.setViewportSize({ width, height: width > 500 ? 800 : 844 });
        await page.emulateMedia({ colorScheme: theme });
        for (const { name, path: pagePath, ready } of PAGES) {
          const sep = pagePath.includes('?') ? '&' : '?';
          await page.goto(`${baseUrl}${pagePath}${sep}project=${projectId}`);
          await settle(page, ready);
          expect(await page.evaluate(() => document.documentElement.dataset.theme ?? null)).toBeNull();
          const { scrollWidth, innerWidth } = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
          }));
          expect(
            scrollWidth,
            `${name} overflows at ${width} px: ${(await overflowing(page)).join('; ')}`,
          ).toBeLessThanOrEqual(innerWidth);
          await page.screenshot({
            path: path.join(shotsDir, `${name}-${width}-${theme}.png`),
            fullPage: true,
          });
        }
        await page.close();
      });
    }
  }
});

describe('the shell', () => {
  it('lists the product sections, marks the current one and gives Settings its own navigation', async (context) => {
    const { page } = await openPage(browser, context, `/traces?project=${projectId}`);
    const nav = page.getByTestId('main-nav');
    await nav.waitFor();
    expect(await nav.locator('a > span:not(.soon)').allTextContents()).toEqual([
      'Traces',
      'Sessions',
      'Users',
      'Dashboards',
      'Playground',
      'Experiments',
      'Evaluations',
      'Settings',
    ]);
    expect(await nav.locator('a:not(:has(svg))').count(), 'every section has its icon').toBe(0);
    // The sections not built yet say so.
    expect(await nav.locator('a:has(.soon) > span:not(.soon)').allTextContents()).toEqual(['Evaluations']);
    expect(await page.getByTestId('nav-traces').getAttribute('aria-current')).toBe('page');
    await page.getByTestId('nav-settings').click();
    await page.waitForURL((url) => url.pathname === '/settings/keys');
    const settings = page.getByTestId('settings-nav');
    expect(await settings.locator('a[aria-current="page"]').innerText()).toBe('API keys');
    await settings.getByRole('link', { name: 'Members' }).click();
    await page.waitForURL((url) => url.pathname === '/settings/members');
    expect(await page.getByTestId('nav-settings').getAttribute('aria-current')).toBe('page');
  });

  it('opens the navigation from the menu button at phone width', async (context) => {
    const { page } = await openPage(browser, context, `/traces?project=${projectId}`);
    await page.setViewportSize({ width: 390, height: 844 });
    const sessions = page.getByTestId('nav-sessions');
    expect(await sessions.isVisible()).toBe(false);
    await page.getByTestId('nav-open').click();
    await sessions.click();
    await page.waitForURL((url) => url.pathname === '/sessions');
    // The drawer closes after navigating.
    await page.waitForFunction(() => !document.querySelector('#sidebar.open'));
  });

  it('closes the drawer when the window widens past 960 px', async (context) => {
    const { page } = await openPage(browser, context, `/traces?project=${projectId}`);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('nav-open').click();
    await page.locator('#sidebar.open').waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForFunction(() => !document.querySelector('#sidebar.open'));
    // Narrow again: the drawer stays closed (hidden once it has slid out), its scrim gone.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.locator('.scrim').count()).toBe(0);
    await page.getByTestId('nav-sessions').waitFor({ state: 'hidden' });
    expect(await page.locator('#sidebar.open').count()).toBe(0);
  });

  it('switches to the dark theme and keeps it after a reload', async (context) => {
    const { page } = await openPage(browser, context, `/traces?project=${projectId}`);
    await page.emulateMedia({ colorScheme: 'light' });
    const toggle = page.locator('[data-testid="theme-toggle"]:visible');
    await toggle.waitFor();
    expect(await toggle.getAttribute('data-theme')).toBe('light');
    const light = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await toggle.click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const dark = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(dark).not.toBe(light);
    await page.reload();
    await toggle.waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await toggle.getAttribute('data-theme')).toBe('dark');
    await toggle.click();
    expect(await page.evaluate(() => localStorage.getItem('sightline.theme'))).toBe('light');
  });

  it('shows the keyboard shortcuts on ? and focuses the search on /', async (context) => {
    const { page } = await openPage(browser, context, `/dashboards?project=${projectId}`);
    await page.getByTestId('dashboards-page').waitFor();
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcuts-help');
    await help.waitFor({ state: 'visible' });
    expect(await help.innerText()).toContain('Search traces');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    // No search box here: `/` opens the traces list and focuses its search.
    await page.keyboard.press('/');
    await page.waitForURL((url) => url.pathname === '/traces');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'trace-search');
  });

  it('answers an unknown path with a 404 page inside the app', async (context) => {
    const { page } = await openPage(browser, context, `/no/such/page?project=${projectId}`);
    const error = page.getByTestId('error-page');
    await error.waitFor();
    expect(await error.getAttribute('data-status')).toBe('404');
    expect(await error.innerText()).toContain('Page not found');
    expect(await page.getByTestId('main-nav').isVisible()).toBe(true);
    await error.getByRole('link', { name: 'Go to traces' }).click();
    await page.waitForURL((url) => url.pathname === '/traces');
  });
});
