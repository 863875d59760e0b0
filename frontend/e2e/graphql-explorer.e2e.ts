// /graphql opened in a browser: a signed-in member gets GraphiQL (served by the backend, offline),
// runs a query as themself and sees the answer; screenshots in the light and dark themes.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, type Browser } from './browser';
import { openPage } from './pages';
import { resultsDir } from './paths';

const owner = inject('owner');
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
});
