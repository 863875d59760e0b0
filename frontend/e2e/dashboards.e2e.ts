// The dashboards page in Chromium against the real backend: seeded traffic shows in the cards,
// legends and breakdown (read from the DOM, not pixels), group-by and range live in the URL, a new
// gateway call appears without a reload, and screenshots light/dark at 1280 and 390 px.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, type Browser } from './browser';
import { openPage } from './pages';
import { resultsDir } from './paths';

const baseUrl = inject('baseUrl');
const projectId = inject('projectId');
const apiKey = inject('apiKey');
const shotsDir = path.join(resultsDir, 'dashboards');
const tag = `dash-${Date.now()}`;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(inject('ownerCookies'));
  await mkdir(shotsDir, { recursive: true });
  // 7 gateway calls of our tag: 4 to dash mock-1 (one failed), 3 to mock-large.
  for (let i = 0; i < 7; i++) {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${apiKey}`,
        'x-sightline-tags': tag,
      },
      body: JSON.stringify({
        model: i < 4 ? 'mock-1' : 'mock-large',
        messages: [{ role: 'user', content: i === 0 ? 'fail [mock:error:500]' : `dashboard call ${i}` }],
      }),
    });
    await response.arrayBuffer();
  }
});

afterAll(async () => {
  await browser?.close();
});

async function ready(page: Page, key?: string) {
  await page.waitForFunction(
    (k) => {
      const section = document.querySelector<HTMLElement>('[data-testid="dashboards-page"]');
      return section?.dataset.loading === 'false' && (k === undefined || section.dataset.key === k);
    },
    key,
    { timeout: 20_000 },
  );
}

const stat = (page: Page, id: string) => page.getByTestId(`stat-${id}`).getAttribute('data-value');

describe('dashboards', () => {
  it('shows the seeded counts, groups and ranges from the URL, and a new request live', async (context) => {
    const { page } = await openPage(browser, context, `/dashboards?project=${projectId}&tag=${tag}`);
    // The projector may still be writing the seeded rows: reload until the cards show all 7.
    await expect
      .poll(
        async () => {
          await page.reload();
          await ready(page);
          return stat(page, 'requests');
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe('7');
    expect(Number(await stat(page, 'errorRate'))).toBeCloseTo((100 * 1) / 7, 5);
    const requests = page.getByTestId('panel-requests').getByTestId('legend-item');
    expect(await requests.first().getAttribute('data-value')).toBe('7');
    // Without grouping, the breakdown is by model.
    const rows = page.getByTestId('breakdown-row');
    expect(
      await rows.evaluateAll((r) =>
        r.map((e) => [e.getAttribute('data-key'), e.getAttribute('data-requests')]),
      ),
    ).toEqual([
      ['mock-1', '4'],
      ['mock-large', '3'],
    ]);

    // Group by model: one line per model, in the URL.
    await page.getByTestId('group-by').selectOption('model');
    await page.waitForURL((url) => url.searchParams.get('group') === 'model');
    await ready(page, `group=model&tag=${tag}`);
    const grouped = page.getByTestId('panel-requests').getByTestId('legend-item');
    expect(
      await grouped.evaluateAll((items) =>
        items.map((e) => [e.getAttribute('data-series'), e.getAttribute('data-value')]),
      ),
    ).toEqual([
      ['mock-1', '4'],
      ['mock-large', '3'],
    ]);

    await page.getByTestId('range-7d').click();
    await page.waitForURL((url) => url.searchParams.get('range') === '7d');
    await ready(page, `range=7d&group=model&tag=${tag}`);
    expect(await stat(page, 'requests')).toBe('7');

    // Live: a gateway call with our tag shows up without a reload.
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${apiKey}`,
        'x-sightline-tags': tag,
      },
      body: JSON.stringify({
        model: 'mock-1',
        messages: [{ role: 'user', content: 'live on the dashboard' }],
      }),
    });
    expect(response.status).toBe(200);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="stat-requests"]')?.getAttribute('data-value') === '8',
      null,
      { timeout: 20_000 },
    );
    expect(await page.getByTestId('breakdown-row').locator(':scope[data-key="mock-1"]').count()).toBe(1);
  });

  for (const width of [1280, 390]) {
    for (const theme of ['light', 'dark'] as const) {
      it(`fits ${width} px in the ${theme} theme, with a screenshot`, async (context) => {
        const { page } = await openPage(
          browser,
          context,
          `/dashboards?project=${projectId}&range=7d`,
          `${width}-${theme}`,
        );
        await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
        await page.emulateMedia({ colorScheme: theme });
        await ready(page);
        await page.locator('[data-testid="chart"] canvas').first().waitFor();
        // Charts are drawn as they come near the viewport: scrolled to each in turn, each has one.
        const charts = page.getByTestId('chart');
        for (let i = 0; i < (await charts.count()); i++) {
          await charts.nth(i).scrollIntoViewIfNeeded();
          await charts.nth(i).locator('canvas').waitFor();
        }
        await page.evaluate(() => window.scrollTo(0, 0));
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
        await page.screenshot({
          path: path.join(shotsDir, `dashboards-${width}-${theme}.png`),
          fullPage: true,
        });
        await page.close();
      });
    }
  }
});
