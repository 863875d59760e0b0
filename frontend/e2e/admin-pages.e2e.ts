// The other admin pages: members (change a role, remove), audit log, data deletion (a trace, a
// whole project).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, graphqlAs, invitedMember, unique } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage, reloadUntil, waitForLive, waitForPath } from './pages';

const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');
const owner = inject('ownerCookies');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(owner);
});

afterAll(async () => {
  await browser?.close();
});

/** A new member of the default project, signed up through an invite over the API. */
async function newMember(role: 'MEMBER' | 'VIEWER'): Promise<string> {
  const { email, cookies } = await invitedMember(baseUrl, owner, projectId, role);
  expect(cookies.length).toBeGreaterThan(0);
  return email;
}

async function liveRowCount(page: Page, generationId: string): Promise<number> {
  await waitForLive(page);
  return page.locator(`[data-testid="generation-row"][data-generation-id="${generationId}"]`).count();
}

describe('members page', () => {
  it('changes a member role and removes the member', async (context) => {
    const email = await newMember('MEMBER');
    const { page } = await openPage(browser, context, `/settings/members?project=${projectId}`);
    const row = page.locator(`[data-testid="member-row"][data-email="${email}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getAttribute('data-role')).toBe('MEMBER');

    await row.getByTestId('member-role').selectOption('ADMIN');
    await page.locator(`[data-testid="member-row"][data-email="${email}"][data-role="ADMIN"]`).waitFor();
    await page.reload();
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getAttribute('data-role')).toBe('ADMIN');

    await row.getByTestId('remove-member').click();
    await row.getByTestId('confirm-remove').click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
  });
});

describe('audit log page', () => {
  it('lists a new API key with who created it', async (context) => {
    const { createApiKey } = await graphqlAs<{ createApiKey: { apiKey: { id: string } } }>(
      baseUrl,
      owner,
      'mutation($p: ID!, $n: String!) { createApiKey(projectId: $p, name: $n) { apiKey { id } } }',
      { p: projectId, n: unique('audited key') },
    );
    const { page } = await openPage(browser, context, `/settings/audit?project=${projectId}`);
    const row = page.locator(
      `[data-testid="audit-row"][data-action="api-key.created"][data-target="${createApiKey.apiKey.id}"]`,
    );
    await reloadUntil(
      page,
      async () => {
        await page.getByTestId('audit-table').waitFor({ timeout: 15_000 });
        return (await row.count()) === 1;
      },
      'the audit log lists the new key',
    );
    expect(await row.innerText()).toContain(inject('owner').email);
    expect(await page.getByTestId('pager-page').innerText()).toBe('Page 1');
    expect(await page.getByTestId('pager-previous').isDisabled()).toBe(true);
  });
});

describe('data deletion page', () => {
  it('deletes a trace after a typed confirmation', async (context) => {
    const response = await chatCompletion(baseUrl, apiKey, {
      model: 'mock-1',
      messages: [{ role: 'user', content: 'to be deleted' }],
    });
    expect(response.status, await response.text()).toBe(200);
    const traceId = response.headers.get('x-sightline-trace-id')!;
    const generationId = response.headers.get('x-sightline-span-id')!;

    const live = await openPage(browser, context, `/?project=${projectId}`, 'live');
    await reloadUntil(
      live.page,
      async () => (await liveRowCount(live.page, generationId)) === 1,
      'the trace is listed',
    );

    const { page } = await openPage(browser, context, `/settings/data?project=${projectId}`, 'data');
    expect(await page.getByTestId('deletion-permanent').innerText()).toContain('permanent');
    const form = page.getByTestId('delete-trace');
    await form.getByTestId('delete-trace-target').fill(traceId);
    const submit = form.locator('button[type="submit"]');
    expect(await submit.isDisabled()).toBe(true);
    await form.getByTestId('delete-trace-confirm').fill('delet');
    expect(await submit.isDisabled()).toBe(true);
    await form.getByTestId('delete-trace-confirm').fill('delete');
    await submit.click();
    await form.getByTestId('delete-trace-done').waitFor({ timeout: 10_000 });

    await reloadUntil(
      live.page,
      async () => (await liveRowCount(live.page, generationId)) === 0,
      'the trace is gone',
    );
  });

  it('deletes a whole project after typing its name, and the switcher forgets it', async (context) => {
    const { viewer } = await graphqlAs<{
      viewer: { projects: { id: string; organization: { id: string } }[] };
    }>(baseUrl, owner, '{ viewer { projects { id organization { id } } } }');
    const organizationId = viewer.projects.find((p) => p.id === projectId)!.organization.id;
    const name = unique('doomed project');
    const { createProject } = await graphqlAs<{ createProject: { id: string } }>(
      baseUrl,
      owner,
      'mutation($o: ID!, $n: String!) { createProject(organizationId: $o, name: $n) { id } }',
      { o: organizationId, n: name },
    );

    const { page } = await openPage(browser, context, `/settings/data?project=${createProject.id}`);
    const form = page.getByTestId('delete-project');
    await form.waitFor({ timeout: 15_000 });
    expect(await form.innerText()).toContain(`Type ${name} to confirm`);
    await form.getByTestId('delete-project-confirm').fill(name);
    await form.locator('button[type="submit"]').click();

    await waitForPath(page, '/');
    await waitForLive(page);
    const switcher = page.getByTestId('project-switcher');
    expect(await switcher.locator(`option[value="${createProject.id}"]`).count()).toBe(0);
    expect(await switcher.inputValue()).not.toBe(createProject.id);
  });
});
