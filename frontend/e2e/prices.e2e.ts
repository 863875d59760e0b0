// Settings → Prices: a project's own price for a model, refused when its dates overlap, and the
// cost it gives a generation shown on the live traces page.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage, waitForLive } from './pages';
import { resultsDir } from './paths';

const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');
const owner = inject('ownerCookies');
const SCREENSHOTS = process.env.SIGHTLINE_SCREENSHOTS_DIR;
const SHOTS = SCREENSHOTS ?? resultsDir;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(owner);
});

afterAll(async () => {
  await browser?.close();
});

describe('prices page', () => {
  it('lists every catalog model with its source, and a custom price as in force over the catalog one', async (context) => {
    const { page } = await openPage(browser, context, `/settings/prices?project=${projectId}`);
    const table = page.getByTestId('model-prices-table');
    await table.waitFor({ timeout: 15_000 });
    const sonnet = table.locator('[data-testid="model-price-row"][data-model="claude-sonnet-4-5-20250929"]');
    expect(await sonnet.innerText()).toMatch(/\$3[\s\S]*\$15[\s\S]*above 200k input: \$6 in/);
    const source = sonnet.getByTestId('price-source');
    expect(await source.getAttribute('href')).toBe('https://docs.anthropic.com/en/docs/about-claude/pricing');
    expect(await sonnet.innerText()).toMatch(/checked \d{4}-\d\d-\d\d/);
    expect(await sonnet.getByTestId('custom-badge').count()).toBe(0);

    const form = page.getByTestId('custom-price-form');
    await form.locator('input[name="model"]').fill('gpt-4.1-nano');
    await form.locator('input[name="provider"]').fill('openai');
    await form.locator('input[name="effectiveFrom"]').fill('2020-01-01');
    await form.locator('input[name="inputPerMTok"]').fill('0.05');
    await form.locator('input[name="outputPerMTok"]').fill('0.2');
    await form.locator('button[type="submit"]').click();
    const nano = table.locator('[data-testid="model-price-row"][data-model="gpt-4.1-nano"]');
    await nano.getByTestId('custom-badge').waitFor({ timeout: 10_000 });
    // In force: the custom $0.05, the catalog's $0.1 struck through beside it.
    expect(await nano.locator('td').nth(1).innerText()).toMatch(/^\$0\.05\s+\$0\.1$/);
    expect(await nano.locator('td').nth(1).locator('s').innerText()).toBe('$0.1');

    await page.getByTestId('model-price-filter').fill('nano openai');
    await page.waitForFunction(() => {
      const n = document.querySelectorAll('[data-testid="model-price-row"]').length;
      return n >= 1 && n < 10;
    });
    expect(await table.getByTestId('model-price-row').first().getAttribute('data-model')).toBe(
      'gpt-4.1-nano',
    );

    await page.getByTestId('model-price-filter').fill('');
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
      await page.reload();
      await nano.waitFor({ timeout: 10_000 });
      await page.screenshot({ path: `${SHOTS}/model-prices-${width}.png`, fullPage: true });
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    }
  });

  it('sets a price for the mock model, refuses an overlapping one, and the next generation costs it', async (context) => {
    const { page } = await openPage(browser, context, `/settings/prices?project=${projectId}`);
    const form = page.getByTestId('custom-price-form');
    await form.waitFor({ timeout: 15_000 });
    const fill = async (from: string) => {
      await form.locator('input[name="model"]').fill('mock-1');
      await form.locator('input[name="provider"]').fill('mock');
      await form.locator('input[name="effectiveFrom"]').fill(from);
      await form.locator('input[name="inputPerMTok"]').fill('1000');
      await form.locator('input[name="outputPerMTok"]').fill('2000');
      await form.locator('button[type="submit"]').click();
    };
    await fill('2020-01-01');
    // The other test of this file may have set a price of another model on the same project first.
    await page
      .getByTestId('custom-price-row')
      .filter({ hasText: 'mock-1' })
      .first()
      .waitFor({ timeout: 10_000 });

    await fill('2021-01-01');
    const error = page.getByTestId('action-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.innerText()).toMatch(/overlap/);
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/prices.png`, fullPage: true });

    // With a price listed, the page fits a phone and a laptop, nothing wider.
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
      await page.reload();
      await page.getByTestId('custom-price-row').first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: `${SHOTS}/prices-${width}.png`, fullPage: true });
      const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        wide: [...document.querySelectorAll('main *')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 8)
          .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`),
      }));
      // `wide` names what reaches past the window (inside a scroller too), should it not fit.
      expect(scrollWidth, `wider than ${width} px: ${wide.join('; ')}`).toBeLessThanOrEqual(innerWidth);
    }

    // $1,000 per 1M in and $2,000 per 1M out: 1 and 2 milli-dollars a token.
    const live = await openPage(browser, context, `/?project=${projectId}`, 'live');
    await waitForLive(live.page);
    const response = await chatCompletion(baseUrl, apiKey, {
      model: 'mock-1',
      messages: [{ role: 'user', content: 'what does this cost?' }],
    });
    expect(response.status).toBe(200);
    const { usage } = (await response.json()) as {
      usage: { prompt_tokens: number; completion_tokens: number };
    };
    const spanId = response.headers.get('x-sightline-span-id');
    const cost = live.page.locator(
      `[data-testid="generation-row"][data-generation-id="${spanId}"][data-status="COMPLETED"] [data-testid="generation-cost"]`,
    );
    await cost.waitFor({ timeout: 20_000 });
    const milli = usage.prompt_tokens + 2 * usage.completion_tokens;
    expect((await cost.innerText()).trim()).toBe(`$${(milli / 1000).toFixed(6)}`);
    expect(await cost.getAttribute('title')).toMatch(/^\$\d+\.\d{9}$/);
    // The listing's query stays within the GraphQL cost limit.
    expect(await live.page.getByText(/cost limit/i).count()).toBe(0);
    if (SCREENSHOTS) await live.page.screenshot({ path: `${SCREENSHOTS}/live-costs.png`, fullPage: true });
    await page.close();
    await live.page.close();
  });
});
