// The project switcher: a new project from the header, and each project's live page shows only its
// own traffic.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, unique } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage, reloadUntil, waitForLive } from './pages';

const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(inject('ownerCookies'));
});

afterAll(async () => {
  await browser?.close();
});

const rowOf = (page: Page, id: string) =>
  page.locator(`[data-testid="generation-row"][data-generation-id="${id}"]`);

describe('project switcher', () => {
  it('creates a second project and keeps each live page to its own project', async (context) => {
    const first = await openPage(browser, context, `/?project=${projectId}`, 'project-1');
    await waitForLive(first.page);

    const second = await openPage(browser, context, `/?project=${projectId}`, 'project-2');
    await waitForLive(second.page);
    const name = unique('E2E project');
    await second.page.getByTestId('new-project').click();
    await second.page.getByTestId('new-project-form').locator('input[name="name"]').fill(name);
    await second.page.getByTestId('new-project-form').locator('button[type="submit"]').click();
    await second.page.waitForURL((url) => {
      const chosen = url.searchParams.get('project');
      return !!chosen && chosen !== projectId;
    });
    const secondId = new URL(second.page.url()).searchParams.get('project')!;
    await waitForLive(second.page);
    expect(await second.page.getByTestId('project-name').innerText()).toBe(name);
    const switcher = second.page.getByTestId('project-switcher');
    expect(await switcher.inputValue()).toBe(secondId);
    expect(await switcher.locator(`option[value="${projectId}"]`).count()).toBe(1);
    // Grouped by organization: both projects sit in the default organization's group.
    const group = switcher.locator('optgroup', { has: second.page.locator(`option[value="${secondId}"]`) });
    expect(await group.count()).toBe(1);
    expect(await group.locator(`option[value="${projectId}"]`).count()).toBe(1);

    // A request with project 1's key shows on project 1's live page…
    const response = await chatCompletion(baseUrl, apiKey, {
      model: 'mock-1',
      messages: [{ role: 'user', content: 'only for project 1' }],
    });
    expect(response.status, await response.text()).toBe(200);
    const generationId = response.headers.get('x-sightline-span-id')!;
    expect(generationId).toBeTruthy();
    await rowOf(first.page, generationId).waitFor({ timeout: 10_000 });

    // …and never on project 2's, neither live nor after a reload.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await rowOf(second.page, generationId).count()).toBe(0);
    await second.page.reload();
    await waitForLive(second.page);
    expect(await rowOf(second.page, generationId).count()).toBe(0);
    expect(await second.page.getByTestId('generation-row').count()).toBe(0);

    // Switching back to project 1 loads its data, the row included.
    await switcher.selectOption(projectId);
    await second.page.waitForURL((url) => url.searchParams.get('project') === projectId);
    await waitForLive(second.page);
    await reloadUntil(
      second.page,
      async () => {
        await waitForLive(second.page);
        return (await rowOf(second.page, generationId).count()) === 1;
      },
      "project 1's page lists the request",
    );
    // The switcher remembers the choice: a page opened without ?project= shows project 1.
    const third = await openPage(browser, context, '/settings/members', 'remembered');
    await third.page.getByTestId('members-table').waitFor({ timeout: 15_000 });
    expect(await third.page.getByTestId('project-switcher').inputValue()).toBe(projectId);
  });
});
