// The live-traces page against the real backend: rows for new gateway requests appear without a
// reload, for plain and streamed chat completions alike.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it, type TestContext } from 'vitest';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launchBrowser, saveFailureArtifacts, type Browser } from './browser';
import { resultsDir } from './paths';

const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');
const ownerCookies = inject('ownerCookies');
const ROW_TIMEOUT_MS = 10_000;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(ownerCookies);
});

afterAll(async () => {
  await browser?.close();
});

/** Opens the page; on failure of the test, saves a screenshot, the HTML and the browser log. */
async function openLiveTraces(context: TestContext): Promise<{ page: Page; log: string[] }> {
  const { page, log } = await browser.newPage();
  context.onTestFailed(async () => {
    const base = await saveFailureArtifacts(page, context.task.name, log);
    console.error(`browser artifacts: ${base}.{png,html,log}\n${log.join('\n')}`);
  });
  await page.goto(`${baseUrl}/?project=${projectId}`);
  await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor({ timeout: 15_000 });
  await page.locator('[data-testid="live-traces"][data-loading="false"]').waitFor({ timeout: 15_000 });
  // Survives only as long as the document does: proves that rows arrive without a reload.
  await page.evaluate(() => {
    (window as unknown as { __sightlineE2e?: string }).__sightlineE2e = 'same document';
  });
  return { page, log };
}

async function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(
    () => (window as unknown as { __sightlineE2e?: string }).__sightlineE2e === 'same document',
  );
}

function chatCompletion(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

async function expectRow(page: Page, generationId: string) {
  const row = page.locator(`[data-testid="generation-row"][data-generation-id="${generationId}"]`);
  await row.waitFor({ timeout: ROW_TIMEOUT_MS });
  expect(await row.count()).toBe(1);
  return row;
}

describe('live traces page', () => {
  it('serves the app with the layout and a live connection', async (context) => {
    const { page, log } = await openLiveTraces(context);
    await expect(page.title()).resolves.toContain('Sightline');
    expect(await page.locator('aside .brand').innerText()).toContain('Sightline');
    const rows = await page.locator('[data-testid="generation-row"]').count();
    if (rows === 0) {
      await page.locator('[data-testid="empty-state"]').waitFor({ timeout: 5_000 });
    }
    // The page runs under its Content-Security-Policy (meta tag with the bootstrap script's hash).
    expect(await page.locator('meta[http-equiv="content-security-policy"]').count()).toBe(1);
    expect(log.filter((line) => /content security policy/i.test(line))).toEqual([]);
    await page.close();
  });

  it('prepends a completed gateway request without a reload', async (context) => {
    const { page } = await openLiveTraces(context);

    const response = await chatCompletion({
      model: 'mock-1',
      messages: [{ role: 'user', content: 'hello from e2e' }],
    });
    const text = await response.text();
    expect(response.status, `POST /v1/chat/completions answered ${response.status}: ${text}`).toBe(200);
    const json = JSON.parse(text) as { id?: unknown };
    expect(typeof json.id, `response body: ${text}`).toBe('string');
    const generationId = response.headers.get('x-sightline-span-id');
    expect(generationId, `headers: ${JSON.stringify([...response.headers])}`).toBeTruthy();

    const row = await expectRow(page, generationId!);
    expect(await row.locator('[data-testid="generation-model"]').innerText()).toContain('mock-1');
    // The row shows in flight first (live progress); the completion follows once it is projected.
    await row.and(page.locator('[data-status="COMPLETED"]')).waitFor({ timeout: ROW_TIMEOUT_MS });
    // The newest row is on top.
    expect(
      await page.locator('[data-testid="generation-row"]').first().getAttribute('data-generation-id'),
    ).toBe(generationId);
    expect(await sameDocument(page)).toBe(true);
    await page.close();
  });

  it('shows a streamed (SSE) gateway request once it completes', async (context) => {
    const { page } = await openLiveTraces(context);

    const response = await chatCompletion({
      model: 'mock-1',
      stream: true,
      messages: [{ role: 'user', content: 'hello from e2e, streamed' }],
    });
    const generationId = response.headers.get('x-sightline-span-id');
    const body = await response.text();
    expect(response.status, `POST /v1/chat/completions (stream) answered ${response.status}: ${body}`).toBe(
      200,
    );
    expect(response.headers.get('content-type') ?? '').toContain('text/event-stream');
    expect(body).toContain('data: ');
    expect(body.trimEnd().endsWith('data: [DONE]'), `SSE body: ${body.slice(-500)}`).toBe(true);
    expect(generationId, `headers: ${JSON.stringify([...response.headers])}`).toBeTruthy();

    const row = await expectRow(page, generationId!);
    expect(await row.locator('[data-testid="generation-model"]').innerText()).toContain('mock-1');
    expect(await row.locator('[data-testid="generation-model"]').innerText()).toContain('stream');
    expect(await sameDocument(page)).toBe(true);
    await page.close();
  });

  it('shows a slow stream in flight at once, its output growing before it completes', async (context) => {
    const { page } = await openLiveTraces(context);
    // The mock model paces its tokens (20 ms each by default): 150 tokens stream for about 3 s.
    const response = await chatCompletion({
      model: 'mock-1',
      stream: true,
      messages: [{ role: 'user', content: 'tell a slow story [mock:tokens:150]' }],
    });
    expect(response.status).toBe(200);
    const generationId = response.headers.get('x-sightline-span-id')!;
    let streamEnded = false;
    const body = response.text().finally(() => (streamEnded = true));

    const row = page.locator(`[data-testid="generation-row"][data-generation-id="${generationId}"]`);
    const streaming = row.and(page.locator('[data-status="IN_FLIGHT"]'));
    await streaming.locator('[data-testid="generation-output"]', { hasText: 'Mock reply' }).waitFor({
      timeout: ROW_TIMEOUT_MS,
    });
    expect(streamEnded, 'the output showed only after the stream ended').toBe(false);
    const firstText = await row.locator('[data-testid="generation-output"]').innerText();
    await expect
      .poll(
        async () =>
          (await row.getAttribute('data-status')) === 'IN_FLIGHT' &&
          (await row.locator('[data-testid="generation-output"]').innerText()) !== firstText,
        { timeout: ROW_TIMEOUT_MS },
      )
      .toBe(true);
    expect(streamEnded, 'the output grew only after the stream ended').toBe(false);
    expect(await row.locator('[data-testid="generation-status"]').innerText()).toContain('streaming');
    await mkdir(resultsDir, { recursive: true });
    await page.screenshot({ path: path.join(resultsDir, 'live-traces-streaming.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(resultsDir, 'live-traces-streaming-dark.png') });

    await body;
    await row.and(page.locator('[data-status="COMPLETED"]')).waitFor({ timeout: ROW_TIMEOUT_MS });
    expect(await row.locator('[data-testid="generation-ttft"]').innerText()).toMatch(/^\d/);
    expect(await row.locator('[data-testid="generation-rate"]').innerText()).toMatch(/^\d/);
    expect(await page.locator(`[data-generation-id="${generationId}"]`).count()).toBe(1);
    expect(await sameDocument(page)).toBe(true);
    await page.close();
  });

  it('lists recorded generations on load, one row per id', async (context) => {
    const response = await chatCompletion({
      model: 'mock-1',
      messages: [{ role: 'user', content: 'recorded before the page opened' }],
    });
    expect(response.status, await response.text()).toBe(200);
    const generationId = response.headers.get('x-sightline-span-id');
    expect(generationId).toBeTruthy();

    // Ended before the page opened, so only the query can show it; the projection into the read
    // model may lag a little behind the response, so reload until it is listed.
    const { page } = await openLiveTraces(context);
    const row = page.locator(`[data-testid="generation-row"][data-generation-id="${generationId}"]`);
    const deadline = Date.now() + 15_000;
    while ((await row.count()) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await page.reload();
      await page.locator('[data-testid="live-traces"][data-loading="false"]').waitFor({ timeout: 15_000 });
    }
    expect(await row.count()).toBe(1);
    const ids = await page
      .locator('[data-testid="generation-row"]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-generation-id')));
    expect(new Set(ids).size).toBe(ids.length);
    await page.close();
  });

  it('sends a visitor without a session to the login page', async (context) => {
    const anonymous = await launchBrowser();
    try {
      const { page, log } = await anonymous.newPage();
      context.onTestFailed(async () => {
        await saveFailureArtifacts(page, context.task.name, log);
      });
      await page.goto(`${baseUrl}/`);
      await page.waitForURL((url) => url.pathname === '/login', { timeout: 15_000 });
      expect(new URL(page.url()).searchParams.get('next')).toBe('/');
      await page.getByTestId('login-form').waitFor();
      expect(await page.locator('[data-testid="generation-row"]').count()).toBe(0);
    } finally {
      await anonymous.close();
    }
  });
});
