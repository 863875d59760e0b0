// The "Refused requests" panel of the live page against the real backend: requests the gateway
// refused (unknown model, malformed JSON) are counted by code and listed with their endpoint and model.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, graphqlAs } from './api';
import { launchBrowser, saveFailureArtifacts, type Browser } from './browser';
import { resultsDir } from './paths';

const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');
const ownerCookies = inject('ownerCookies');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(ownerCookies);
});

afterAll(async () => {
  await browser?.close();
});

const TOTAL = `query($p: ID, $since: String!) { refusedRequests(projectId: $p, since: $since) { total } }`;

/** Waits until the project's refusals since `since` reach `count` (they are recorded every 200 ms here). */
async function refusalsReach(since: string, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { refusedRequests } = await graphqlAs<{ refusedRequests: { total: number } }>(
      baseUrl,
      ownerCookies,
      TOTAL,
      { p: projectId, since },
    );
    if (refusedRequests.total >= count) return;
    if (Date.now() > deadline)
      throw new Error(`refusals stayed at ${refusedRequests.total}, expected ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('refused requests panel', () => {
  it('counts refused gateway requests by code and lists the latest kinds', async (context) => {
    const since = new Date(Date.now() - 1000).toISOString();
    const unknown = await chatCompletion(baseUrl, apiKey, {
      model: 'e2e-no-such-model',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: '{"model": ',
    });
    expect(malformed.status).toBe(400);
    await refusalsReach(since, 2);

    const { page, log } = await browser.newPage();
    context.onTestFailed(async () => {
      const base = await saveFailureArtifacts(page, context.task.name, log);
      console.error(`browser artifacts: ${base}.{png,html,log}\n${log.join('\n')}`);
    });
    await page.goto(`${baseUrl}/?project=${projectId}`);
    const panel = page.locator('[data-testid="refused-requests"]');
    await panel
      .locator('[data-testid="refused-code"][data-code="model_not_found"]')
      .waitFor({ timeout: 15_000 });

    expect(Number(await panel.getAttribute('data-total'))).toBeGreaterThanOrEqual(2);
    expect(
      await panel.locator('[data-testid="refused-code"][data-code="invalid_json"]').innerText(),
    ).toContain('Malformed JSON');
    const row = panel.locator('[data-testid="refused-row"][data-code="model_not_found"]').first();
    expect(await row.innerText()).toContain('e2e-no-such-model');
    expect(await row.innerText()).toContain('POST /v1/chat/completions');

    await panel.getByRole('button', { name: '1 h' }).click();
    expect(await panel.getByRole('button', { name: '1 h' }).getAttribute('aria-pressed')).toBe('true');
    await panel.locator('[data-testid="refused-code"]').first().waitFor();
    await page.screenshot({ path: path.join(resultsDir, 'refused-requests.png'), fullPage: true });
    await page.close();
  });
});
