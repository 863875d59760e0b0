// Settings → Budgets: an owner adds a budget (listed with whose spend, window and limits), edits its
// limits, is told why a contradictory one is refused, and removes it; a viewer reads, changes nothing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, graphqlAs, invitedMember, unique } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage } from './pages';
import { freshProject } from './settings-support';

const SCREENSHOTS = process.env.SIGHTLINE_SCREENSHOTS_DIR;

const baseUrl = inject('baseUrl');
const projectId = inject('projectId');
const owner = inject('ownerCookies');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(owner);
});

afterAll(async () => {
  await browser?.close();
});

const budgetNames = async (project: string) =>
  (
    await graphqlAs<{ budgets: { name: string }[] }>(
      baseUrl,
      owner,
      'query($p: ID!) { budgets(projectId: $p) { name } }',
      { p: project },
    )
  ).budgets.map((b) => b.name);

describe('budgets page', () => {
  it('adds a budget, edits its limits, refuses a soft limit above the hard one, and removes it', async (context) => {
    // A project of its own: the shared one has end users with spend today (from other tests' traces),
    // and a hard limit left there by a failure would refuse their later calls.
    const project = await freshProject(baseUrl, owner, projectId, 'Budgets');
    const { page } = await openPage(browser, context, `/settings/budgets?project=${project.id}`);
    const name = unique('Per user daily');
    const form = page.getByTestId('budget-form').first();
    await form.locator('input[name="name"]').fill(name);
    await form.locator('select[name="scope"]').selectOption('END_USER');
    await form.locator('select[name="window"]').selectOption('DAY');
    await form.locator('input[name="softLimitUsd"]').fill('4');
    await form.locator('input[name="hardLimitUsd"]').fill('5');
    await form.locator('button[type="submit"]').click();

    const row = page.locator(`[data-testid="budget-row"][data-name="${name}"]`);
    await row.waitFor({ timeout: 10_000 });
    const text = await row.innerText();
    expect(text).toContain('Each end user · per day');
    expect(text).toContain('Soft $4.00');
    expect(text).toContain('Hard $5.00');
    expect(await row.getByTestId('budget-spend-empty').count()).toBe(1);
    expect(await budgetNames(project.id)).toContain(name);

    await row.getByTestId('edit-budget').click();
    const edit = row.getByTestId('budget-form');
    await edit.locator('input[name="softLimitUsd"]').fill('9');
    await edit.locator('button[type="submit"]').click();
    const error = page.getByTestId('action-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.innerText()).toContain('soft limit must not be above the hard limit');

    await edit.locator('input[name="softLimitUsd"]').fill('6');
    await edit.locator('input[name="hardLimitUsd"]').fill('7.5');
    await edit.locator('button[type="submit"]').click();
    await row.getByText('Hard $7.50').waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain('Soft $6.00');

    await row.getByTestId('remove-budget').click();
    await row.getByTestId('confirm-remove-budget').click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await budgetNames(project.id)).not.toContain(name);
  });

  it('shows a viewer the budgets and alerts, and nothing to change', async (context) => {
    const name = unique('Monthly cap');
    await graphqlAs(
      baseUrl,
      owner,
      'mutation($p: ID!, $i: BudgetInput!) { createBudget(projectId: $p, input: $i) { id } }',
      { p: projectId, i: { name, scope: 'PROJECT', window: 'MONTH', hardLimitUsd: '250' } },
    );
    const viewer = await invitedMember(baseUrl, owner, projectId, 'VIEWER');
    const viewerBrowser = await launchBrowser(viewer.cookies);
    try {
      const { page } = await openPage(
        viewerBrowser,
        context,
        `/settings/budgets?project=${projectId}`,
        'viewer',
      );
      const row = page.locator(`[data-testid="budget-row"][data-name="${name}"]`);
      await row.waitFor({ timeout: 10_000 });
      expect(await row.innerText()).toContain('Whole project · per month');
      expect(await page.getByTestId('budget-form').count()).toBe(0);
      expect(await page.getByTestId('edit-budget').count()).toBe(0);
      expect(await page.getByTestId('no-budget-alerts').count()).toBe(1);
    } finally {
      await viewerBrowser.close();
    }
  });

  it('shows the soft alert a call raised once its spend passed the soft limit', async (context) => {
    // A project of its own: mock-1 gets a price there, so its calls cost something.
    const project = await freshProject(baseUrl, owner, projectId, 'Soft alerts');
    const gql = <T>(query: string, variables: Record<string, unknown>) =>
      graphqlAs<T>(baseUrl, owner, query, { p: project.id, ...variables });
    await gql('mutation($p: ID, $i: CustomPriceInput!) { setCustomPrice(projectId: $p, input: $i) { id } }', {
      i: { model: 'mock-1', effectiveFrom: '2020-01-01', inputPerMTok: 1000, outputPerMTok: 1000 },
    });
    const name = unique('Daily soft');
    await gql('mutation($p: ID!, $i: BudgetInput!) { createBudget(projectId: $p, input: $i) { id } }', {
      i: { name, scope: 'PROJECT', window: 'DAY', softLimitUsd: '0.000001' },
    });
    // Each key's too: its alert names the key as the budget cards do, not by its id.
    await gql('mutation($p: ID!, $i: BudgetInput!) { createBudget(projectId: $p, input: $i) { id } }', {
      i: { name: unique('Key soft'), scope: 'API_KEY', window: 'DAY', softLimitUsd: '0.000001' },
    });
    const keyName = unique('soft key');
    const { createApiKey } = await gql<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      'mutation($p: ID!, $n: String!) { createApiKey(projectId: $p, name: $n) { secret apiKey { id } } }',
      { n: keyName },
    );
    const response = await chatCompletion(baseUrl, createApiKey.secret);
    expect(response.status).toBe(200);
    await response.text();

    const { page } = await openPage(browser, context, `/settings/budgets?project=${project.id}`);
    const alert = page.locator('[data-testid="budget-alert"][data-level="SOFT"]');
    for (let tries = 0; (await alert.count()) < 2 && tries < 40; tries++) {
      await page.waitForTimeout(500);
      await page.reload();
    }
    expect(await alert.allInnerTexts()).toContainEqual(
      expect.stringMatching(new RegExp(`Soft limit reached[\\s\\S]*${name}[\\s\\S]*project`)),
    );
    // The keys are named once they load.
    await page.getByText(`${keyName} (${createApiKey.apiKey.id})`).waitFor();
    expect(await alert.allInnerTexts()).toContainEqual(
      expect.stringContaining(`${keyName} (${createApiKey.apiKey.id})`),
    );
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/budget-alerts.png`, fullPage: true });
    await page.close();
  });
});
