// Invites: an owner invites a viewer on /settings/members; the invitee signs up from the link in a
// fresh browser, lands on the project's live page, and the API keys page tells them their role
// does not allow it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graphqlAs, passwordSession, responseCookies, unique } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage, reloadUntil, waitForLive } from './pages';

const projectId = inject('projectId');
const projectName = inject('projectName');
const baseUrl = inject('baseUrl');
const owner = inject('ownerCookies');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(inject('ownerCookies'));
});

afterAll(async () => {
  await browser?.close();
});

describe('invites', () => {
  it('a viewer signs up from an invite link and may not manage keys', async (context) => {
    const { page } = await openPage(browser, context, `/settings/members?project=${projectId}`, 'owner');
    const form = page.getByTestId('invite-form');
    await form.waitFor({ timeout: 15_000 });
    const email = `${unique('viewer').replace(' ', '-')}@example.test`;
    await form.getByTestId('invite-role').selectOption('VIEWER');
    await form.locator('input[name="email"]').fill(email);
    await form.locator('button[type="submit"]').click();
    const urlBox = page.getByTestId('invite-url');
    await urlBox.waitFor({ timeout: 10_000 });
    const inviteUrl = await urlBox.inputValue();
    expect(new URL(inviteUrl).pathname).toMatch(/^\/invite\/\S+/);

    const invitee = await launchBrowser();
    try {
      const { page: join } = await openPage(invitee, context, new URL(inviteUrl).pathname, 'invitee');
      await join.getByTestId('invite').waitFor({ timeout: 15_000 });
      expect(await join.getByTestId('invite-project').innerText()).toBe(projectName);
      expect(await join.getByTestId('invite-role').innerText()).toBe('Viewer');
      const signup = join.getByTestId('signup-form');
      const emailInput = signup.locator('input[name="email"]');
      expect(await emailInput.inputValue()).toBe(email);
      expect(await emailInput.getAttribute('readonly')).not.toBeNull();
      await signup.locator('input[name="name"]').fill('E2E Viewer');
      await signup.locator('input[name="password"]').fill('viewer e2e password');
      await signup.locator('button[type="submit"]').click();

      await join.waitForURL((url) => url.pathname === '/' && url.searchParams.get('project') === projectId, {
        timeout: 15_000,
      });
      await waitForLive(join);
      expect(await join.getByTestId('user-email').innerText()).toBe(email);
      // Viewers see no "New project" (only admins and owners create projects).
      expect(await join.getByTestId('new-project').count()).toBe(0);

      await join.goto(new URL(`/settings/keys?project=${projectId}`, inviteUrl).href);
      const notice = join.getByTestId('role-forbidden');
      await notice.waitFor({ timeout: 15_000 });
      expect(await notice.innerText()).toContain('Your role does not allow');
      expect(await join.getByTestId('create-key-form').count()).toBe(0);

      // The invite link works once.
      await join.goto(inviteUrl);
      await join.getByTestId('invite-invalid').waitFor({ timeout: 15_000 });
    } finally {
      await invitee.close();
    }

    const member = page.locator(`[data-testid="member-row"][data-email="${email}"]`);
    await reloadUntil(
      page,
      async () => {
        await page.getByTestId('members-table').waitFor({ timeout: 15_000 });
        return (await member.count()) === 1;
      },
      'the new viewer is listed',
    );
    expect(await member.getAttribute('data-role')).toBe('VIEWER');
  });

  it('a signed-in user accepts an invite to another project', async (context) => {
    // Someone with an account (signed up through an invite to the default project)…
    const email = `${unique('existing').replace(' ', '-')}@example.test`;
    const password = 'existing e2e password';
    const first = await graphqlAs<{ createInvite: { url: string } }>(
      baseUrl,
      owner,
      'mutation($p: ID!) { createInvite(projectId: $p, role: VIEWER) { url } }',
      { p: projectId },
    );
    const signup = await fetch(
      `${baseUrl}/auth/invites/${new URL(first.createInvite.url).pathname.split('/').pop()}/accept`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, name: 'Existing', password }),
      },
    );
    expect(signup.status, await signup.text()).toBe(200);
    expect(responseCookies(signup, baseUrl).length).toBeGreaterThan(0);

    // …is invited as a member of a new project.
    const { viewer } = await graphqlAs<{
      viewer: { projects: { id: string; organization: { id: string } }[] };
    }>(baseUrl, owner, '{ viewer { projects { id organization { id } } } }');
    const name = unique('Joined project');
    const { createProject } = await graphqlAs<{ createProject: { id: string } }>(
      baseUrl,
      owner,
      'mutation($o: ID!, $n: String!) { createProject(organizationId: $o, name: $n) { id } }',
      { o: viewer.projects.find((p) => p.id === projectId)!.organization.id, n: name },
    );
    const second = await graphqlAs<{ createInvite: { url: string } }>(
      baseUrl,
      owner,
      'mutation($p: ID!) { createInvite(projectId: $p, role: MEMBER) { url } }',
      { p: createProject.id },
    );

    const invitee = await launchBrowser(await passwordSession(baseUrl, email, password));
    try {
      const { page } = await openPage(invitee, context, new URL(second.createInvite.url).pathname, 'invitee');
      await page.getByTestId('invite').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('invite-project').innerText()).toBe(name);
      expect(await page.getByTestId('invite-role').innerText()).toBe('Member');
      expect(await page.getByTestId('signup-form').count()).toBe(0);
      await page.getByTestId('accept-invite').click();
      await page.waitForURL(
        (url) => url.pathname === '/' && url.searchParams.get('project') === createProject.id,
        { timeout: 15_000 },
      );
      await waitForLive(page);
      expect(await page.getByTestId('project-name').innerText()).toBe(name);
      const switcher = page.getByTestId('project-switcher');
      expect(await switcher.locator(`option[value="${projectId}"]`).count()).toBe(1);
      expect(await switcher.locator(`option[value="${createProject.id}"]`).count()).toBe(1);
    } finally {
      await invitee.close();
    }
  });
});
