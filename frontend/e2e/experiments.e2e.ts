// Bulk replay in the browser: the estimate before start, a run watched live through the progress
// subscription, cancelled, resumed to its end, the comparison and a link to a replay's diff.
// Screenshots light and dark at 1280 and 390 px.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, graphqlAs, unique } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage } from './pages';
import { resultsDir } from './paths';
import { freshProject, screenshots } from './settings-support';

const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');
const owner = inject('ownerCookies');
const tag = `bulk-${Date.now()}`;
const ORIGINALS = 10;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(owner);
  // Each answer waits 1.5 s (the mock's delay hook), replayed as recorded: a run slow enough to watch.
  await Promise.all(
    Array.from({ length: ORIGINALS }, async (_, i) => {
      const res = await fetch(`${baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${apiKey}`,
          'x-sightline-tags': tag,
        },
        body: JSON.stringify({
          model: 'mock-1',
          messages: [{ role: 'user', content: `Where is parcel ${i}? [mock:delay:1500]` }],
        }),
      });
      expect(res.status).toBe(200);
      await res.text();
    }),
  );
});

afterAll(async () => {
  await browser?.close();
});

/**
 * Asks for the estimate and reads what the page says in `testId` (the estimate or the refusal), for
 * `expect.poll`: the originals reach the read model shortly after they were answered.
 */
const estimateSays = (page: Page, testId: string) => async () => {
  await page.getByTestId('estimate').click();
  return (
    await page
      .getByTestId(testId)
      .innerText()
      .catch(() => '')
  ).trim();
};

async function shots(page: Page, name: string): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(500); // the shell's drawer settles after a width change
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: path.join(resultsDir, `${name}-${width}.png`), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(resultsDir, `${name}-${width}-dark.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
}

const done = async (page: Page) =>
  Number(/· (\d+) \/ \d+ replays/.exec(await page.getByTestId('experiment-progress').innerText())?.[1] ?? 0);

describe('experiments', () => {
  it('starts a bulk replay after its estimate, watches it live, cancels it and resumes it to the comparison', async (context) => {
    const { page } = await openPage(browser, context, `/experiments?project=${projectId}`);
    const form = page.getByTestId('start-experiment');
    await form.waitFor({ timeout: 15_000 });
    // Which requests: the trace list's filter bar, a tag chip.
    await page.getByTestId('trace-filter-field').selectOption('tags');
    await page.getByTestId('trace-filter-value').fill(tag);
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.locator(`[data-testid="filter-chip"][data-field="tags"][data-value="${tag}"]`).waitFor();
    expect(await page.getByTestId('trace-sort').count()).toBe(0); // no order: a run replays them all
    await page.getByTestId('configuration-model').fill('mock-1');
    await form.getByLabel('Concurrency').fill('1');
    await page.getByTestId('experiment-budget').fill('1');
    // The originals reach the read model shortly after they were answered.
    await expect
      .poll(estimateSays(page, 'estimate-result'), { timeout: 20_000, interval: 500 })
      .toMatch(new RegExp(`^${ORIGINALS} generations · ${ORIGINALS} replays`));
    await shots(page, 'experiments-start');

    await page.getByRole('button', { name: 'Start bulk replay' }).click();
    await page.waitForURL((url) => /^\/experiments\/exp_/.test(url.pathname));
    const status = page.getByTestId('experiment-status');
    await expect.poll(() => status.innerText(), { timeout: 15_000 }).toBe('running');
    // Live: the progress moves without a reload.
    await expect.poll(() => done(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    await shots(page, 'experiment-running');

    await page.getByTestId('cancel-experiment').click();
    await expect.poll(() => status.innerText(), { timeout: 30_000 }).toBe('cancelled');
    const atCancel = await done(page);
    expect(atCancel).toBeLessThan(ORIGINALS);

    await page.getByTestId('resume-experiment').click();
    await expect.poll(() => status.innerText(), { timeout: 90_000 }).toBe('finished');
    expect(await done(page)).toBe(ORIGINALS);
    const rows = page.getByTestId('comparison').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expect
      .poll(async () => (await rows.nth(1).innerText()).includes(String(ORIGINALS)), { timeout: 15_000 })
      .toBe(true);
    expect(await page.getByTestId('replay-diff').count()).toBeGreaterThan(0);
    await shots(page, 'experiment-finished');
    await page.getByTestId('replay-diff').first().click();
    await page.waitForURL((url) => url.pathname.startsWith('/replays/') && url.search.includes('replays='));
  });

  it('marks the estimate and the spend of replays on a model without a price, never an unmarked $0', async (context) => {
    const { page } = await openPage(browser, context, `/experiments?project=${projectId}`);
    const form = page.getByTestId('start-experiment');
    await form.waitFor({ timeout: 15_000 });
    await page.getByTestId('trace-filter-field').selectOption('tags');
    await page.getByTestId('trace-filter-value').fill(tag);
    await page.getByRole('button', { name: 'Add filter' }).click();
    // Served by the mock provider, priced nowhere.
    await page.getByTestId('configuration-model').fill('mock-unpriced');
    await form.getByLabel('Concurrency').fill(String(ORIGINALS));
    await page.getByTestId('experiment-budget').fill('1');
    // The originals reach the read model shortly after they were answered.
    await expect
      .poll(estimateSays(page, 'estimate-result'), { timeout: 20_000, interval: 500 })
      .toBe(`${ORIGINALS} generations · ${ORIGINALS} replays · unpriced`);

    await page.getByRole('button', { name: 'Start bulk replay' }).click();
    await page.waitForURL((url) => /^\/experiments\/exp_/.test(url.pathname));
    const shown = page.getByTestId('experiment-estimate');
    expect((await shown.innerText()).trim()).toBe('unpriced');
    expect(await shown.getAttribute('title')).toBe(`${ORIGINALS} replays without a price, counted as $0`);
    await expect
      .poll(() => page.getByTestId('experiment-status').innerText(), { timeout: 60_000 })
      .toBe('finished');
    await expect
      .poll(() => page.getByTestId('experiment-progress').innerText(), { timeout: 15_000 })
      .toBe(`100% · ${ORIGINALS} / ${ORIGINALS} replays · spend unpriced (${ORIGINALS} replays)`);
    await expect.poll(() => page.getByTestId('replay-cost').count()).toBe(ORIGINALS);
    expect(new Set(await page.getByTestId('replay-cost').allInnerTexts())).toEqual(new Set(['unpriced']));
    await shots(page, 'experiment-unpriced');
    await page.close();
  });

  it('compares configurations with their own parameters; a raised budget enables Start without a new estimate; the detail page fits 390 px', async (context) => {
    // Its own project, where mock-1 and mock-large are priced (the estimate is above a tiny budget).
    const project = await freshProject(baseUrl, owner, projectId, 'Experiment configurations');
    const gql = <T>(query: string, variables: Record<string, unknown> = {}) =>
      graphqlAs<T>(baseUrl, owner, query, { p: project.id, ...variables });
    for (const model of ['mock-1', 'mock-large'])
      await gql(
        'mutation($p: ID, $i: CustomPriceInput!) { setCustomPrice(projectId: $p, input: $i) { id } }',
        {
          i: { model, effectiveFrom: '2020-01-01', inputPerMTok: 1000, outputPerMTok: 1000 },
        },
      );
    const { createApiKey } = await gql<{ createApiKey: { secret: string } }>(
      'mutation($p: ID!, $n: String!) { createApiKey(projectId: $p, name: $n) { secret } }',
      { n: unique('experiments key') },
    );
    for (const i of [1, 2]) {
      const res = await chatCompletion(baseUrl, createApiKey.secret, {
        model: 'mock-1',
        messages: [{ role: 'user', content: `Is parcel ${i} insured?` }],
      });
      expect(res.status).toBe(200);
      await res.text();
    }

    const { page } = await openPage(browser, context, `/experiments?project=${project.id}`);
    await page.getByTestId('start-experiment').waitFor({ timeout: 15_000 });
    await page.getByTestId('configuration-model').fill('mock-1');
    await page.getByTestId('add-configuration').click();
    const second = page.getByTestId('experiment-configuration').nth(1);
    await second.getByTestId('configuration-model').fill('mock-large');
    await second.getByTestId('configuration-temperature').fill('0.2');
    await second.getByTestId('configuration-max-tokens').fill('50');
    await page.getByTestId('experiment-budget').fill('0.000000001');
    await expect
      .poll(estimateSays(page, 'estimate-result'), { timeout: 20_000, interval: 500 })
      .toMatch(/^2 generations · 4 replays .*over the budget/);
    const startButton = page.getByTestId('start-bulk-replay');
    expect(await startButton.isDisabled()).toBe(true);

    await page.getByTestId('experiment-budget').fill('100');

    await expect.poll(() => startButton.isDisabled()).toBe(false);
    expect(await page.getByTestId('estimate-result').innerText()).not.toContain('over the budget');
    await screenshots(page, 'experiments', 'start-configurations');
    await startButton.click();
    await page.waitForURL((url) => /^\/experiments\/exp_/.test(url.pathname));
    await expect
      .poll(() => page.getByTestId('experiment-status').innerText(), { timeout: 60_000 })
      .toBe('finished');
    const rows = page.getByTestId('comparison').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    // At FINISHED the comparison counts every replay, without a reload.
    expect(await rows.nth(2).innerText()).toMatch(/^mock-large · temperature 0\.2 · max_tokens 50\s+2\s/);
    expect(await rows.nth(1).innerText()).toMatch(/^mock-1\s+2\s/);
    await screenshots(page, 'experiments', 'detail-finished');
  });

  it('gives a prompt version’s variables per configuration: refused without them, saying where; run with them', async (context) => {
    const project = await freshProject(baseUrl, owner, projectId, 'Experiment variables');
    const gql = <T>(query: string, variables: Record<string, unknown> = {}) =>
      graphqlAs<T>(baseUrl, owner, query, { p: project.id, ...variables });
    const { createPromptVersion } = await gql<{ createPromptVersion: { version: number } }>(
      'mutation($p: ID, $i: PromptVersionInput!) { createPromptVersion(projectId: $p, input: $i) { version } }',
      {
        i: {
          name: 'greeting',
          messages: JSON.stringify([{ role: 'system', content: 'You help {{customer}}.' }]),
          labels: ['production'],
        },
      },
    );
    expect(createPromptVersion.version).toBe(1);
    const { createApiKey } = await gql<{ createApiKey: { secret: string } }>(
      'mutation($p: ID!, $n: String!) { createApiKey(projectId: $p, name: $n) { secret } }',
      { n: unique('variables key') },
    );
    const res = await chatCompletion(baseUrl, createApiKey.secret, {
      model: 'mock-1',
      messages: [{ role: 'user', content: 'Is parcel 7 insured?' }],
    });
    expect(res.status).toBe(200);
    await res.text();

    const { page } = await openPage(browser, context, `/experiments?project=${project.id}`);
    await page.getByTestId('start-experiment').waitFor({ timeout: 15_000 });
    await page.getByTestId('configuration-model').fill('mock-1');
    expect(await page.getByTestId('configuration-variables').count()).toBe(0); // no prompt version yet
    await page.getByTestId('configuration-prompt').fill('greeting@production');
    const variables = page.getByTestId('configuration-variables');
    await variables.waitFor();
    await page.getByTestId('experiment-budget').fill('1');
    // The original reaches the read model shortly after it was answered.
    await expect
      .poll(estimateSays(page, 'action-error'), { timeout: 20_000, interval: 500 })
      .toContain(
        "needs {{customer}}, which the recorded request has no value for: give them in the configuration's variables",
      );

    await variables.fill('customer: Ada');
    await page.getByTestId('estimate').click();
    await expect
      .poll(() => page.getByTestId('action-error').innerText())
      .toBe('Configuration 1: variables is a JSON object of texts, e.g. {"customer": "Ada"}.');

    await variables.fill('{"customer": "Ada"}');
    await page.getByTestId('estimate').click();
    await expect
      .poll(() => page.getByTestId('estimate-result').innerText(), { timeout: 15_000 })
      .toMatch(/^1 generations? · 1 replays?/);
    await screenshots(page, 'experiments', 'start-variables');
    await page.getByTestId('start-bulk-replay').click();
    await page.waitForURL((url) => /^\/experiments\/exp_/.test(url.pathname));
    await expect
      .poll(() => page.getByTestId('experiment-status').innerText(), { timeout: 60_000 })
      .toBe('finished');
    const rows = page.getByTestId('comparison').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(1).innerText()).toMatch(
      /^mock-1 · prompt greeting@production · variables customer\s+1\s/,
    );
  });

  it('takes the trace list filters from "Replay in bulk" on the traces page', async (context) => {
    const { page } = await openPage(browser, context, `/traces?project=${projectId}&tag=${tag}`);
    await page.getByTestId('bulk-replay-link').click();
    await page.waitForURL((url) => url.pathname === '/experiments' && url.searchParams.get('tag') === tag);
    await page.locator(`[data-testid="filter-chip"][data-field="tags"][data-value="${tag}"]`).waitFor();
    await page.getByTestId('configuration-model').fill('mock-1');
    await page.getByTestId('estimate').click();
    await expect
      .poll(() => page.getByTestId('estimate-result').innerText(), { timeout: 15_000 })
      .toMatch(new RegExp(`^${ORIGINALS} generations`));
  });
});
