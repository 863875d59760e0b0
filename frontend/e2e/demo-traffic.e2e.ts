// The first-run page's "Send demo traffic": pressed in an empty project, its progress shows, traces
// appear in the list while it runs (with a banner that keeps the progress), pressing again does not
// start a second run, and cancel stops it. Screenshots light and dark at 1280 and 390 px.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graphqlAs } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage } from './pages';
import { freshProject, screenshots } from './settings-support';

const baseUrl = inject('baseUrl');
const owner = inject('ownerCookies');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(owner);
});

afterAll(async () => {
  await browser?.close();
});

describe('demo traffic', () => {
  it('fills an empty project with traces while showing its progress, once, and cancels', async (context) => {
    const project = await freshProject(baseUrl, owner, inject('projectId'), 'demo project');
    const { page } = await openPage(browser, context, `/traces?project=${project.id}`);
    const firstRun = page.getByTestId('first-run');
    await firstRun.waitFor({ timeout: 15_000 });
    await screenshots(page, 'demo', 'first-run');

    await firstRun.getByTestId('demo-start').click();
    const progress = page.locator('[data-testid="demo-progress"][data-status="RUNNING"]').first();
    await progress.waitFor({ timeout: 10_000 });
    expect(await progress.getByTestId('demo-progress-text').innerText()).toMatch(/of 30 steps/);

    // With the first traces the page turns to the live tail: they appear as they are sent, the banner
    // above keeps counting.
    await page.waitForURL((url) => url.searchParams.get('live') === '1', { timeout: 30_000 });
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="live-tail"]')?.getAttribute('data-received')) >= 3,
      null,
      { timeout: 30_000 },
    );
    const banner = page.locator('[data-testid="demo-progress"][data-status="RUNNING"]');
    await banner.waitFor({ timeout: 10_000 });
    await screenshots(page, 'demo', 'running');

    // Pressing again (another tab, say) returns the same run.
    const runs = await Promise.all(
      [0, 1].map(() =>
        graphqlAs<{ startDemoTraffic: { id: string } }>(
          baseUrl,
          owner,
          'mutation($p: ID!) { startDemoTraffic(projectId: $p) { id } }',
          { p: project.id },
        ),
      ),
    );
    expect(runs[0].startDemoTraffic.id).toBe(runs[1].startDemoTraffic.id);

    await banner.getByTestId('demo-cancel').click();
    const { demoTraffic } = await graphqlAs<{ demoTraffic: { status: string; traces: number } }>(
      baseUrl,
      owner,
      'query($p: ID!) { demoTraffic(projectId: $p) { status traces } }',
      { p: project.id },
    );
    expect(demoTraffic.status).toBe('CANCELLED');
    expect(demoTraffic.traces).toBeGreaterThan(0);
    await page.getByTestId('demo-progress').waitFor({ state: 'detached', timeout: 10_000 });
  }, 120_000);
});
