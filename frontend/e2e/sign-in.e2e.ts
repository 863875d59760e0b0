// Sign-in: the admin's first password after the first-start link, sign-out, password login (and a
// wrong password), and the guard that sends signed-out visitors to /login?next=… and back.
import { describe, expect, inject, it } from 'vitest';
import { chatCompletion, cookieHeader, passwordSession, unique, type SessionCookie } from './api';
import { launchBrowser } from './browser';
import { openPage, pathOf, submitLogin, waitForLive, waitForPath } from './pages';

const adminEmail = inject('adminEmail');
const adminLinkCookies = inject('adminLinkCookies');
const adminLinkRedirect = inject('adminLinkRedirect');
const owner = inject('owner');
const baseUrl = inject('baseUrl');
const projectId = inject('projectId');
const apiKey = inject('apiKey');

/** Ends a session elsewhere (e.g. signed out in another tab), as its own logout request. */
async function endSession(cookies: readonly SessionCookie[]): Promise<void> {
  const ended = await fetch(`${baseUrl}/auth/logout`, {
    method: 'POST',
    headers: {
      cookie: cookieHeader(cookies),
      'x-csrf-token': cookies.find((c) => c.name === 'sl_csrf')!.value,
    },
  });
  expect(ended.status).toBe(204);
}

describe('sign-in', () => {
  it('the admin chooses a password after the first-start link, signs out and signs in with it', async (context) => {
    // The link (followed by the global setup) signed the admin in and sent them to choose a password.
    expect(adminLinkRedirect).toBe('/account?setPassword=1');
    const browser = await launchBrowser(adminLinkCookies);
    try {
      const { page } = await openPage(browser, context, adminLinkRedirect);
      await page.getByTestId('choose-password').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('account-email').innerText()).toBe(adminEmail);
      expect(await page.getByTestId('user-email').innerText()).toBe(adminEmail);

      const password = 'admin e2e password 1';
      const form = page.getByTestId('password-form');
      await form.locator('input[name="new-password"]').fill(password);
      await form.locator('input[name="repeat-password"]').fill(password);
      await form.locator('button[type="submit"]').click();
      await page.getByTestId('password-saved').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('choose-password').count()).toBe(0);

      await page.getByTestId('sign-out').click();
      await waitForPath(page, '/login');
      expect(pathOf(page)).toBe('/login');
      // The session is gone on the server: a protected page sends us back to the login page.
      await page.goto(new URL('/account', page.url()).href);
      await page.waitForURL(
        (url) => url.pathname === '/login' && url.searchParams.get('next') === '/account',
      );
      await page.goto(new URL('/login', page.url()).href);

      await submitLogin(page, adminEmail, 'not the password');
      const error = page.getByTestId('login-error');
      await error.waitFor({ timeout: 10_000 });
      expect(await error.innerText()).toContain('Wrong email or password');
      expect(pathOf(page)).toBe('/login');

      await submitLogin(page, adminEmail, password);
      await waitForPath(page, '/');
      await waitForLive(page);
      expect(await page.getByTestId('user-email').innerText()).toBe(adminEmail);
    } finally {
      await browser.close();
    }
  });

  it('sends a signed-out visitor of /settings/keys to /login?next=… and back after signing in', async (context) => {
    const browser = await launchBrowser();
    try {
      const { page } = await openPage(browser, context, '/settings/keys');
      await page.waitForURL((url) => url.pathname === '/login', { timeout: 15_000 });
      expect(pathOf(page)).toBe('/login?next=%2Fsettings%2Fkeys');

      await submitLogin(page, owner.email, owner.password);
      await waitForPath(page, '/settings/keys');
      await page.getByTestId('api-keys-table').waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('user-email').innerText()).toBe(owner.email);
    } finally {
      await browser.close();
    }
  });

  it('sends the user to /login?next=… when a request finds the session ended', async (context) => {
    const cookies = await passwordSession(baseUrl, owner.email, owner.password);
    const browser = await launchBrowser(cookies);
    try {
      const { page } = await openPage(browser, context, `/?project=${projectId}`);
      await waitForLive(page);
      // The session ends elsewhere (e.g. signed out in another tab); this tab still shows the app.
      await endSession(cookies);
      // A client-side navigation: the page's own query gets UNAUTHENTICATED, the guard takes over.
      await page.getByTestId('nav-settings').click();
      await page.waitForURL((url) => url.pathname === '/login', { timeout: 15_000 });
      expect(pathOf(page)).toBe('/login?next=%2Fsettings%2Fkeys');
    } finally {
      await browser.close();
    }
  });

  it('sends the user to /login when the live tail finds the session ended, with no navigation', async (context) => {
    const cookies = await passwordSession(baseUrl, owner.email, owner.password);
    const browser = await launchBrowser(cookies);
    try {
      const { page } = await openPage(browser, context, `/?project=${projectId}`);
      await waitForLive(page);
      await endSession(cookies);
      // The next generation ends the open subscription; subscribing again, the socket answers
      // UNAUTHENTICATED and the guard takes over.
      await expect
        .poll(
          async () => {
            expect((await chatCompletion(baseUrl, apiKey)).status).toBe(200);
            return new URL(page.url()).pathname;
          },
          { timeout: 20_000 },
        )
        .toBe('/login');
    } finally {
      await browser.close();
    }
  });

  it('tells how long to wait once repeated failures lock the account out (429)', async (context) => {
    const browser = await launchBrowser();
    try {
      const { page } = await openPage(browser, context, '/login');
      const email = `${unique('nobody').replace(' ', '-')}@example.test`;
      const error = page.getByTestId('login-error');
      // Failures 1-4 cost nothing; from the 5th on the account+address is locked with backoff.
      let message = '';
      for (let attempt = 1; attempt <= 10 && !message.startsWith('Too many attempts'); attempt++) {
        await submitLogin(page, email, `wrong password ${attempt}`);
        await page.locator('[data-testid="login-form"] button[type="submit"]:not([disabled])').waitFor();
        message = await error.innerText();
      }
      expect(message).toMatch(/^Too many attempts, retry in \d+ s\.$/);
    } finally {
      await browser.close();
    }
  });

  it('explains a used or unknown sign-in link', async (context) => {
    const browser = await launchBrowser();
    try {
      const { page } = await openPage(browser, context, '/auth/link/lnk_unknown_token');
      await waitForPath(page, '/login');
      expect(new URL(page.url()).searchParams.get('error')).toBe('link_invalid');
      expect(await page.getByTestId('link-invalid').innerText()).toContain('not valid any more');
    } finally {
      await browser.close();
    }
  });
});
