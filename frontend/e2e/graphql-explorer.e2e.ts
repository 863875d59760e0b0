// /graphql opened in a browser: a signed-in member gets GraphiQL (served by the backend, offline),
// runs a query as themself and sees the answer, runs a subscription over graphql-ws and sees a
// generation made meanwhile; screenshots in the light and dark themes.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage } from './pages';
import { resultsDir } from './paths';

const owner = inject('owner');
const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');
const shotsDir = path.join(resultsDir, 'pages');

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(inject('ownerCookies'));
});
afterAll(() => browser?.close());

describe('the GraphQL explorer', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`runs a query as the signed-in member (${theme})`, async (context) => {
      const { page, log } = await openPage(browser, context, '/graphql', theme);
      // Reload only once the first load's schema fetch is over: a reload would abort it (requestfailed).
      await page.waitForLoadState('networkidle');
      await page.emulateMedia({ colorScheme: theme });
      await page.reload();
      await page.locator('.graphiql-execute-button').waitFor({ timeout: 20_000 });
      await page.locator('.graphiql-execute-button').click();
      await expect
        .poll(() => page.locator('.graphiql-response').innerText(), { timeout: 15_000 })
        .toContain(owner.email);
      // No script error and nothing the CSP blocked (GraphiQL's embedded fonts included).
      expect(log.filter((line) => /^(pageerror|console\.error|requestfailed)/.test(line))).toEqual([]);
      await page.screenshot({ path: path.join(shotsDir, `graphql-explorer-${theme}.png`) });
      await page.close();
    });
  }

  it('runs a subscription over graphql-ws on the same origin: a generation made meanwhile shows', async (context) => {
    const { page, log } = await openPage(browser, context, '/graphql', 'subscription');
    const editor = page.locator('.graphiql-query-editor .CodeMirror');
    await editor.waitFor({ timeout: 20_000 });
    const subscription = `subscription { generationRecorded(projectId: "${projectId}") { model source } }`;
    // Through the editor's own API: typed, its auto-closed brackets would double.
    await editor.evaluate((element, text) => {
      (element as unknown as { CodeMirror: { setValue(value: string): void } }).CodeMirror.setValue(text);
    }, subscription);
    await page.locator('.graphiql-execute-button').click();
    // A generation ended after the subscription started shows in the response (until then, none does).
    await expect
      .poll(
        async () => {
          expect((await chatCompletion(baseUrl, apiKey)).status).toBe(200);
          return page.locator('.graphiql-response').innerText();
        },
        { timeout: 30_000 },
      )
      .toContain('"model": "mock-1"');
    expect(log.filter((line) => /^(pageerror|console\.error|requestfailed)/.test(line))).toEqual([]);
    await page.screenshot({ path: path.join(shotsDir, 'graphql-explorer-subscription.png') });
    await page.close();
  });
});
