// Settings → Redaction: an owner turns on e-mail redaction and adds a pattern, previews a text, saves
// (kept across a reload), is told why a backtracking pattern is refused, and the next generation
// through the gateway is recorded redacted.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, graphqlAs } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage } from './pages';

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
  // The other browser tests record text of their own: leave the project with no rules.
  await graphqlAs(
    baseUrl,
    owner,
    'mutation($p: ID!, $s: RedactionSettingsInput!) { setRedactionSettings(projectId: $p, settings: $s) { emails } }',
    { p: projectId, s: { emails: false, cardNumbers: false, apiKeys: false, customRules: [] } },
  );
  await browser?.close();
});

const recordedMessages = async (id: string): Promise<string | null> => {
  try {
    const { generationRequest } = await graphqlAs<{ generationRequest: { messages: string } }>(
      baseUrl,
      owner,
      'query($p: ID!, $id: ID!) { generationRequest(projectId: $p, id: $id) { messages } }',
      { p: projectId, id },
    );
    return generationRequest.messages;
  } catch {
    return null; // not archived yet
  }
};

describe('redaction page', () => {
  it('previews, saves and applies a project’s rules, and refuses a pattern RE2 cannot run', async (context) => {
    const { page } = await openPage(browser, context, `/settings/redaction?project=${projectId}`);
    const form = page.getByTestId('redaction-form');
    await form.waitFor({ timeout: 15_000 });
    await form.locator('input[name="emails"]').check();
    await page.getByTestId('add-rule').click();
    const rule = page.getByTestId('redaction-rule').first();
    await rule.locator('input[name="name"]').fill('ticket');
    await rule.locator('input[name="pattern"]').fill('ACME-\\d{6}');
    await rule.locator('input[name="replacement"]').fill('[TICKET]');

    await page.locator('textarea[name="sample"]').fill('Ticket ACME-123456 from ada@example.com');
    await page.getByTestId('preview').click();
    const preview = page.getByTestId('preview-result');
    await preview.waitFor({ timeout: 10_000 });
    expect(await preview.innerText()).toBe('Ticket [TICKET] from [EMAIL]');

    await form.locator('button[type="submit"]').click();
    await page.getByTestId('saved').waitFor({ timeout: 10_000 });
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/redaction.png`, fullPage: true });

    await page.reload();
    await form.waitFor({ timeout: 15_000 });
    expect(await form.locator('input[name="emails"]').isChecked()).toBe(true);
    expect(await form.locator('input[name="cardNumbers"]').isChecked()).toBe(false);
    expect(
      await page.getByTestId('redaction-rule').first().locator('input[name="pattern"]').inputValue(),
    ).toBe('ACME-\\d{6}');

    // Backreferences need backtracking: refused, by rule name, and nothing saved.
    await page.getByTestId('redaction-rule').first().locator('input[name="pattern"]').fill('(a)\\1');
    await form.locator('button[type="submit"]').click();
    const error = page.getByTestId('action-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.innerText()).toMatch(/ticket.*not a valid RE2 pattern/);

    // The saved rules apply to what the gateway records.
    const response = await chatCompletion(baseUrl, apiKey, {
      model: 'mock-1',
      messages: [{ role: 'user', content: 'ACME-654321 belongs to grace@example.com' }],
    });
    expect(response.status).toBe(200);
    const spanId = response.headers.get('x-sightline-span-id')!;
    const deadline = Date.now() + 15_000;
    let messages = await recordedMessages(spanId);
    while (messages === null && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      messages = await recordedMessages(spanId);
    }
    expect(messages).toContain('[TICKET] belongs to [EMAIL]');
    expect(messages).not.toContain('grace@example.com');
    await page.close();
  });
});
