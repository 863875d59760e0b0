// Settings a Langfuse user looks for: the project's name, retention (Settings → Data), pending
// invites that can be revoked, the audit log with readable targets and filters, and an API key with
// an SDK snippet holding the base URL and the key. In a fresh project; screenshots of each page.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graphqlAs } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage, reloadUntil } from './pages';
import { freshProject, screenshots } from './settings-support';

const baseUrl = inject('baseUrl');
const owner = inject('ownerCookies');

let browser: Browser;
let project: { id: string; name: string };

beforeAll(async () => {
  browser = await launchBrowser(owner);
  project = await freshProject(baseUrl, owner, inject('projectId'), 'settings project');
});

afterAll(async () => {
  await browser?.close();
});

const at = (route: string) => `${route}?project=${project.id}`;
const auditTargets = async (page: Page) => page.getByTestId('audit-target').allInnerTexts();
const auditActions = async (page: Page) =>
  page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action') ?? ''));

describe('settings', () => {
  it('renames the project', async (context) => {
    const { page } = await openPage(browser, context, at('/settings/project'));
    const input = page.getByTestId('project-name-input');
    await input.waitFor({ timeout: 15_000 });
    expect(await input.inputValue()).toBe(project.name);
    project.name = `${project.name} renamed`;
    await input.fill(project.name);
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByTestId('project-renamed').waitFor({ timeout: 10_000 });
    expect(await page.locator('.page-title .sub').innerText()).toBe(project.name);
    await screenshots(page, 'settings', 'project');
  });

  it('sets the retention on Settings → Data, and keeps data for ever again', async (context) => {
    const { page } = await openPage(browser, context, at('/settings/data'));
    const card = page.getByTestId('retention');
    await card.getByTestId('retention-current').waitFor({ timeout: 15_000 });
    expect(await card.getByTestId('retention-current').innerText()).toContain('for ever');
    await card.getByRole('button', { name: '30 days' }).click();
    await card.getByTestId('retention-save').click();
    await card.getByTestId('retention-saved').waitFor({ timeout: 10_000 });
    expect(await card.getByTestId('retention-current').innerText()).toMatch(/30 days[\s\S]*Set .* by /);

    await card.getByTestId('retention-days').fill('0');
    await card.getByTestId('retention-save').click();
    await card.getByTestId('retention-error').waitFor({ timeout: 10_000 });
    await screenshots(page, 'settings', 'data');
    await card.getByTestId('retention-days').fill('90');
    await card.getByTestId('retention-save').click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="retention-current"]')?.textContent?.includes('90 days'),
    );
  });

  it('lists a pending invite and revokes it', async (context) => {
    await graphqlAs(
      baseUrl,
      owner,
      'mutation($p: ID!) { createInvite(projectId: $p, role: VIEWER, email: "bo@example.com") { id } }',
      {
        p: project.id,
      },
    );
    const { page } = await openPage(browser, context, at('/settings/members'));
    const row = page.getByTestId('invite-row');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.innerText()).toMatch(/bo@example\.com\s+Viewer/);
    await screenshots(page, 'settings', 'members');
    await row.getByTestId('revoke-invite').click();
    await row.getByTestId('revoke-invite-confirm').click();
    await page.getByTestId('no-invites').waitFor({ timeout: 10_000 });
  });

  it('shows the audit log with readable targets, filtered by what happened', async (context) => {
    const { page } = await openPage(browser, context, at('/settings/audit'));
    const expected = [
      `project “${project.name}”`,
      'retention: 30 days',
      'retention: 90 days',
      'invite for bo@example.com as viewer',
      `${inject('owner').email}: none → owner`,
    ];
    // Entries appear a moment after the change: reload until the last ones are in.
    await reloadUntil(
      page,
      async () => {
        await page.getByTestId('audit-table').waitFor({ timeout: 10_000 });
        const targets = await auditTargets(page);
        const actions = await auditActions(page);
        // The revoke shares the invite's target text, so wait for its action too.
        return expected.every((t) => targets.includes(t)) && actions.includes('invite.revoked');
      },
      'the audit entries of the changes',
    );
    await screenshots(page, 'settings', 'audit');

    await page.getByTestId('audit-action').selectOption('invite');
    await page.waitForURL((url) => url.searchParams.get('action') === 'invite');
    // The filtered page: only invite entries (created and revoked), and some.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
      return rows.length >= 2 && rows.every((r) => r.getAttribute('data-action')?.startsWith('invite.'));
    });
    expect(new Set(await auditTargets(page))).toEqual(new Set(['invite for bo@example.com as viewer']));
  });

  it('creates an API key and shows an SDK snippet with the base URL and the key', async (context) => {
    const { page } = await openPage(browser, context, at('/settings/keys'));
    const snippet = page.getByTestId('key-snippet');
    await snippet.waitFor({ timeout: 15_000 });
    expect(await snippet.getByTestId('base-url').innerText()).toBe(`${baseUrl}/v1`);
    await page.locator('input[name="name"]').fill('Settings e2e');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByTestId('new-key-secret');
    await secret.waitFor({ timeout: 10_000 });
    const key = await secret.inputValue();
    expect(key).toMatch(/^sl_/);
    expect(await snippet.getByTestId('snippet-code').innerText()).toContain(`export SIGHTLINE_KEY=${key}`);
    await snippet.getByRole('tab', { name: 'OpenAI SDK · Python' }).click();
    expect(await snippet.getByTestId('snippet-code').innerText()).toContain(`base_url="${baseUrl}/v1"`);
    await screenshots(page, 'settings', 'keys');
  });
});
