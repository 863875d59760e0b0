// API keys: create one on /settings/keys, use its secret (shown once) with the gateway, revoke it
// in the UI, and the gateway refuses it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, unique } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage, reloadUntil } from './pages';

const baseUrl = inject('baseUrl');
const projectId = inject('projectId');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(inject('ownerCookies'));
});

afterAll(async () => {
  await browser?.close();
});

describe('API keys page', () => {
  it('creates a key, shows its secret once, and revokes it', async (context) => {
    const { page } = await openPage(browser, context, `/settings/keys?project=${projectId}`);
    const name = unique('e2e key');
    await page.getByTestId('create-key-form').locator('input[name="name"]').fill(name);
    await page.getByTestId('create-key-form').locator('button[type="submit"]').click();

    const secretBox = page.getByTestId('new-key-secret');
    await secretBox.waitFor({ timeout: 10_000 });
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^sl_/);
    expect(await page.getByTestId('new-key-secret-box').innerText()).toContain('shown only once');

    const row = page.locator(`[data-testid="api-key-row"][data-key-name="${name}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-revoked')).toBe('false');

    const ok = await chatCompletion(baseUrl, secret);
    expect(ok.status, await ok.text()).toBe(200);

    // Never shown again: not after a reload, where the key is listed by its preview only.
    await page.reload();
    await row.waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('new-key-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    // The gateway request above shows as the key's last use.
    await reloadUntil(
      page,
      async () => {
        await row.waitFor({ timeout: 10_000 });
        return !(await row.locator('td').nth(4).innerText()).includes('never');
      },
      'the key shows when it was last used',
    );

    await row.getByTestId('revoke-key').click();
    await row.getByTestId('confirm-revoke').click();
    await page.locator(`[data-testid="api-key-row"][data-key-name="${name}"][data-revoked="true"]`).waitFor();
    expect(await row.getByTestId('api-key-status').innerText()).toContain('revoked');

    let status = 0;
    const deadline = Date.now() + 5_000;
    do {
      const response = await chatCompletion(baseUrl, secret);
      status = response.status;
      await response.body?.cancel();
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } while (Date.now() < deadline);
    expect(status).toBe(401);
  });
});
