// Settings → Providers: an owner adds a provider key (listed masked, the secret never on a page
// again), rotates and removes it; a member sees the role notice and nothing to manage.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graphqlAs, invitedMember, unique } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage } from './pages';
import { resultsDir } from './paths';

const baseUrl = inject('baseUrl');
const projectId = inject('projectId');
const owner = inject('ownerCookies');

let browser: Browser;
/** A self-hosted OpenAI-compatible server for credential tests: it takes the key `sk-good` only. */
let upstream: Server;
let upstreamUrl: string;

beforeAll(async () => {
  browser = await launchBrowser(owner);
  upstream = createServer((req, res) => {
    req.resume();
    const good = req.headers.authorization === 'Bearer sk-good';
    res.writeHead(good ? 200 : 401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        good
          ? {
              id: 'chatcmpl-e2e',
              object: 'chat.completion',
              created: 0,
              model: 'tiny',
              choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'length' }],
              usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
            }
          : {
              error: {
                message: 'Incorrect API key provided',
                type: 'invalid_request_error',
                code: 'invalid_api_key',
              },
            },
      ),
    );
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await browser?.close();
  upstream?.close();
});

const newSecret = () => `sk-e2e-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;

describe('providers page', () => {
  it('adds a key, lists it masked, never shows it again, rotates and removes it', async (context) => {
    const { page } = await openPage(browser, context, `/settings/providers?project=${projectId}`);
    const label = unique('e2e anthropic key');
    const secret = newSecret();
    const form = page.getByTestId('add-credential-form');
    await form.locator('select[name="provider"]').selectOption('anthropic');
    await form.locator('input[name="label"]').fill(label);
    await form.locator('input[name="secret"]').fill(secret);
    await form.locator('button[type="submit"]').click();

    const row = page.locator(`[data-testid="credential-row"][data-label="${label}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.getByTestId('credential-secret').innerText()).toBe(`•••• ${secret.slice(-4)}`);
    expect(await row.innerText()).toContain('Anthropic');
    // The form let go of it, and no page holds it: not now, not after a reload.
    expect(await form.locator('input[name="secret"]').inputValue()).toBe('');
    expect(await page.content()).not.toContain(secret);
    await page.reload();
    await row.waitFor({ timeout: 10_000 });
    expect(await page.content()).not.toContain(secret);

    const rotated = newSecret();
    await row.getByTestId('rotate-credential').click();
    await row.getByTestId('rotate-secret').fill(rotated);
    await row.getByTestId('confirm-rotate').click();
    await page
      .locator(`[data-testid="credential-row"][data-label="${label}"] [data-testid="credential-secret"]`)
      .filter({ hasText: rotated.slice(-4) })
      .waitFor({ timeout: 10_000 });
    expect(await page.content()).not.toContain(rotated);

    await row.getByTestId('remove-credential').click();
    await row.getByTestId('confirm-remove-credential').click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    const { providerCredentials } = await graphqlAs<{ providerCredentials: { label: string }[] }>(
      baseUrl,
      owner,
      'query($p: ID!) { providerCredentials(projectId: $p) { label } }',
      { p: projectId },
    );
    expect(providerCredentials.map((c) => c.label)).not.toContain(label);
  });

  it('tests each credential with one token to a model and shows the verdict', async (context) => {
    const { page } = await openPage(browser, context, `/settings/providers?project=${projectId}`);
    const form = page.getByTestId('add-credential-form');
    const add = async (label: string, secret: string) => {
      await form.locator('select[name="provider"]').selectOption('vllm');
      await form.locator('input[name="label"]').fill(label);
      await form.locator('input[name="secret"]').fill(secret);
      await form.locator('input[name="baseUrl"]').fill(upstreamUrl);
      await form.locator('button[type="submit"]').click();
      const row = page.locator(`[data-testid="credential-row"][data-label="${label}"]`);
      await row.waitFor({ timeout: 10_000 });
      return row;
    };
    const test = async (row: Awaited<ReturnType<typeof add>>) => {
      await row.getByTestId('test-credential').click();
      await row.getByTestId('test-model').fill('tiny');
      await row.getByTestId('confirm-test').click();
      const verdict = row.getByTestId('test-result');
      await verdict.waitFor({ timeout: 15_000 });
      return verdict;
    };

    const good = await test(await add(unique('e2e good vllm'), 'sk-good'));
    expect(await good.getAttribute('data-ok')).toBe('true');
    expect(await good.innerText()).toMatch(/Works with tiny in \d+ ms · HTTP 200/);

    const bad = await test(await add(unique('e2e bad vllm'), 'sk-wrong'));
    expect(await bad.getAttribute('data-ok')).toBe('false');
    expect(await bad.innerText()).toContain('HTTP 401');
    expect(await bad.innerText()).toContain('Incorrect API key provided');
    expect(await page.content()).not.toContain('sk-wrong');
    await page.screenshot({ path: path.join(resultsDir, 'provider-credential-test.png'), fullPage: true });
  });

  it('refuses a bad secret with the server’s message and keeps the form', async (context) => {
    const { page } = await openPage(browser, context, `/settings/providers?project=${projectId}`);
    const form = page.getByTestId('add-credential-form');
    await form.locator('input[name="label"]').fill(unique('bad key'));
    await form.locator('input[name="secret"]').fill('sk-with a space');
    await form.locator('button[type="submit"]').click();
    const error = page.getByTestId('action-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.innerText()).toContain('without spaces');
    expect(await error.innerText()).not.toContain('sk-with');
  });

  it('shows a member the role notice and nothing to manage', async (context) => {
    const member = await invitedMember(baseUrl, owner, projectId, 'MEMBER');
    const memberBrowser = await launchBrowser(member.cookies);
    try {
      const { page } = await openPage(
        memberBrowser,
        context,
        `/settings/providers?project=${projectId}`,
        'member',
      );
      await page.getByTestId('role-forbidden').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('role-forbidden').innerText()).toContain('provider credentials');
      expect(await page.getByTestId('add-credential-form').count()).toBe(0);
      expect(await page.getByTestId('credentials-table').count()).toBe(0);
    } finally {
      await memberBrowser.close();
    }
  });
});
