// Settings → Restatement: start a restatement, follow it to the end, and the live traces page shows
// the restated cost beside the cost a generation was recorded with.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage, reloadUntil, waitForLive } from './pages';

const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');
const owner = inject('ownerCookies');
const SCREENSHOTS = process.env.SIGHTLINE_SCREENSHOTS_DIR;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(owner);
});

afterAll(async () => {
  await browser?.close();
});

describe('restatement page', () => {
  it('starts a restatement, shows its progress to the end, and the traces page shows the restated cost', async (context) => {
    const response = await chatCompletion(baseUrl, apiKey, {
      model: 'mock-1',
      messages: [{ role: 'user', content: 'restate me' }],
    });
    expect(response.status).toBe(200);
    const spanId = response.headers.get('x-sightline-span-id');

    const { page } = await openPage(browser, context, `/settings/restatements?project=${projectId}`);
    await page.getByTestId('start-restatement').click();
    const done = page.locator('[data-testid="restatement"][data-status="FINISHED"]').first();
    await done.waitFor({ timeout: 30_000 });
    expect(await done.getByTestId('restatement-progress').innerText()).toMatch(
      /^100% · [\d,]+ \/ [\d,]+ events · [1-9][\d,]* generations$/,
    );
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/restatements.png`, fullPage: true });

    const live = await openPage(browser, context, `/?project=${projectId}`, 'live');
    await waitForLive(live.page);
    const cell = live.page.locator(
      `[data-testid="generation-row"][data-generation-id="${spanId}"] [data-testid="generation-restated-cost"]`,
    );
    await reloadUntil(
      live.page,
      async () => (await cell.count()) > 0 && (await cell.innerText()).trim().startsWith('$'),
      'the restated cost of the generation sent before the restatement',
    );
    expect(await cell.getAttribute('title')).toMatch(/USD · .+ · restated /);
    // The listing's queries stay within the GraphQL cost limit.
    expect(await live.page.getByText(/cost limit/i).count()).toBe(0);
    await page.close();
    await live.page.close();
  });
});
