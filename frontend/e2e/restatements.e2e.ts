// Settings → Restatement: start a restatement, follow it to the end, and the live traces page shows
// the restated cost beside the cost a generation was recorded with; cancel one while it runs and
// resume it from its checkpoint.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, graphqlAs, unique } from './api';
import { launchBrowser, type Browser } from './browser';
import { resultsDir } from './paths';
import { openPage, reloadUntil, waitForLive } from './pages';
import { ingest } from './traces';

const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');
const owner = inject('ownerCookies');
const SCREENSHOTS = process.env.SIGHTLINE_SCREENSHOTS_DIR;
const GENERATIONS = 3_000;

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
    const traceId = response.headers.get('x-sightline-trace-id');

    const { page } = await openPage(browser, context, `/settings/restatements?project=${projectId}`);
    await page.getByTestId('start-restatement').click();
    const done = page.locator('[data-testid="restatement"][data-status="FINISHED"]').first();
    await done.waitFor({ timeout: 30_000 });
    expect(await done.getByTestId('restatement-progress').innerText()).toMatch(
      /^100% · [\d,]+ \/ [\d,]+ events · [1-9][\d,]* generations$/,
    );
    // Its totals before and after: exact amounts and their difference (0 when the model has no price).
    expect(await done.getByTestId('restatement-costs').innerText()).toMatch(
      /^\$[\d,.]+ at ingestion → \$[\d,.]+ restated \([+-]\$[\d,.]+(, [+-][\d.]+%)?\)$/,
    );
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/restatements.png`, fullPage: true });
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
      await page.reload();
      await done.waitFor({ timeout: 10_000 });
      await page.screenshot({ path: `${resultsDir}/restatements-${width}.png`, fullPage: true });
    }

    const live = await openPage(browser, context, `/?project=${projectId}`, 'live');
    await waitForLive(live.page);
    const cell = live.page.locator(
      `[data-testid="generation-row"][data-generation-id="${spanId}"] [data-testid="generation-restated-cost"]`,
    );
    await reloadUntil(
      live.page,
      async () => (await cell.count()) > 0 && (await cell.innerText()).trim() !== '—',
      'the restated cost of the generation sent before the restatement',
    );
    // mock-1 has no price: restated, it is unpriced, not $0.
    expect((await cell.innerText()).trim()).toBe('unpriced');
    expect(await cell.getAttribute('title')).toMatch(/^unpriced: no price in force · restated /);
    if (SCREENSHOTS)
      await live.page.screenshot({ path: `${SCREENSHOTS}/restated-unpriced.png`, fullPage: true });
    // The trace page's header too: its only generation is unpriced, so is the restated total.
    const trace = await openPage(browser, context, `/traces/${traceId}?project=${projectId}`);
    const restated = trace.page.getByTestId('trace-restated-cost');
    await restated.waitFor();
    expect((await restated.innerText()).trim()).toBe('unpriced');
    if (SCREENSHOTS)
      await trace.page.screenshot({ path: `${SCREENSHOTS}/trace-restated-unpriced.png`, fullPage: true });
    await trace.page.close();
    // The listing's queries stay within the GraphQL cost limit.
    expect(await live.page.getByText(/cost limit/i).count()).toBe(0);
    await page.close();
    await live.page.close();
  });

  it('cancels a running restatement and resumes it from its checkpoint to the end', async (context) => {
    // A project of its own with 3,000 generations: at the suite's 500 generations/s, its restatement
    // runs about 6 s, long enough to press Cancel while it runs.
    const { viewer } = await graphqlAs<{
      viewer: { projects: { id: string; organization: { id: string } }[] };
    }>(baseUrl, owner, '{ viewer { projects { id organization { id } } } }');
    const organizationId = viewer.projects.find((p) => p.id === projectId)!.organization.id;
    const { createProject } = await graphqlAs<{ createProject: { id: string } }>(
      baseUrl,
      owner,
      'mutation($o: ID!, $n: String!) { createProject(organizationId: $o, name: $n) { id } }',
      { o: organizationId, n: unique('restated project') },
    );
    const { createApiKey } = await graphqlAs<{ createApiKey: { secret: string } }>(
      baseUrl,
      owner,
      'mutation($p: ID!, $n: String!) { createApiKey(projectId: $p, name: $n) { secret } }',
      { p: createProject.id, n: 'restatement' },
    );
    const start = Date.now() - 60_000;
    await ingest(
      baseUrl,
      createApiKey.secret,
      Array.from({ length: GENERATIONS }, (_, i) => ({
        type: 'generation' as const,
        body: {
          traceId: `restate-${i}-${randomUUID()}`,
          spanId: `restate-${i}`,
          name: 'restate',
          provider: 'openai',
          model: 'gpt-4o-mini',
          startedAt: new Date(start + i).toISOString(),
          endedAt: new Date(start + i + 10).toISOString(),
          usage: { inputTokens: 100, outputTokens: 10 },
        },
      })),
    );

    const { page } = await openPage(browser, context, `/settings/restatements?project=${createProject.id}`);
    await page.getByTestId('start-restatement').click();
    const job = page.getByTestId('restatement').first();
    await job.locator('xpath=self::*[@data-status="RUNNING"]').waitFor({ timeout: 15_000 });
    await job.getByRole('button', { name: 'Cancel' }).click();

    await job.locator('xpath=self::*[@data-status="CANCELLED"]').waitFor({ timeout: 15_000 });
    const cancelledAt = await job.getByTestId('restatement-progress').innerText();
    const [, done] = /· ([\d,]+) generations$/.exec(cancelledAt) ?? [];
    expect(Number(done?.replaceAll(',', ''))).toBeLessThan(GENERATIONS);
    expect(await job.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    if (SCREENSHOTS)
      await page.screenshot({ path: `${SCREENSHOTS}/restatement-cancelled.png`, fullPage: true });

    // Resumed: it goes on from the checkpoint and restates every generation once, across both runs.
    await job.getByRole('button', { name: 'Resume' }).click();
    await job.locator('xpath=self::*[@data-status="FINISHED"]').waitFor({ timeout: 30_000 });
    expect(await job.getByTestId('restatement-progress').innerText()).toMatch(
      new RegExp(`^100% · [\\d,]+ / [\\d,]+ events · ${GENERATIONS.toLocaleString('en-US')} generations$`),
    );
    expect(await page.getByTestId('restatement').count()).toBe(1);
    expect(await job.getByRole('button', { name: /Cancel|Resume/ }).count()).toBe(0);
    await page.close();
  });
});
