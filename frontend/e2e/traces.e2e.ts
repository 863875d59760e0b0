// The traces list and detail in Chromium against the real backend: the live tail (new rows, pause
// counting arrivals, resume), sorting by a column, the column chooser, a saved view restoring
// filters and columns, plain-text previews, and the trace detail's TTFT, parameters, scores and a
// gateway answer rendered as an assistant message; screenshots light/dark
// at 1280 and 390 px under test-results/traces/.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage, reloadUntil } from './pages';
import { resultsDir } from './paths';
import { ingest, ingestWideTrace } from './traces';

const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');
const shotsDir = path.join(resultsDir, 'traces');
const run = Date.now().toString(36);

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(inject('ownerCookies'));
  await mkdir(shotsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** A complete generation sent through POST /api/ingest, as its own trace. */
function generation(traceId: string, text: string, model = 'gpt-4o-mini') {
  const ended = Date.now();
  return {
    type: 'generation' as const,
    body: {
      traceId,
      spanId: `${traceId}-gen`,
      name: 'answer',
      model,
      startedAt: new Date(ended - 800).toISOString(),
      endedAt: new Date(ended).toISOString(),
      input: { messages: [{ role: 'user', content: `question ${text}` }] },
      output: text,
      usage: { inputTokens: 12, outputTokens: 30 },
    },
  };
}

const tailRow = (page: Page, traceId: string) =>
  page.locator(`[data-testid="tail-row"][data-generation-id="${traceId}-gen"]`);

async function shoot(page: Page, name: string) {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    // The navigation becomes a drawer below 720 px: let it finish sliding away.
    await page.waitForTimeout(600);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect(scrollWidth, `${name} overflows at ${width} px`).toBeLessThanOrEqual(innerWidth);
      await page.screenshot({ path: path.join(shotsDir, `${name}-${width}-${theme}.png`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('the live tail', () => {
  it('shows new traces as they arrive, counts arrivals while paused and shows them on resume', async (context) => {
    const { page } = await openPage(browser, context, `/traces?project=${projectId}&range=1h`);
    await page.getByTestId('live-toggle').click();
    await page.waitForURL((url) => url.searchParams.get('live') === '1');
    await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor({ timeout: 15_000 });

    const first = `tail-${run}-first`;
    await ingest(baseUrl, apiKey, [generation(first, 'The first answer arrives live.')]);
    await tailRow(page, first).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('tail-error').count()).toBe(0);
    expect(await tailRow(page, first).getByTestId('tail-output').innerText()).toContain('first answer');

    await page.getByTestId('tail-pause').click();
    const paused = [1, 2, 3].map((i) => `tail-${run}-paused-${i}`);
    await ingest(
      baseUrl,
      apiKey,
      paused.map((id) => generation(id, `Arrived while paused (${id}).`)),
    );
    await page.getByTestId('tail-arrived').filter({ hasText: '3 new' }).waitFor({ timeout: 10_000 });
    for (const id of paused) expect(await tailRow(page, id).count()).toBe(0);
    await shoot(page, 'live-tail-paused');

    await page.getByTestId('tail-resume').click();
    for (const id of paused) await tailRow(page, id).waitFor({ timeout: 5_000 });
    const order = await page
      .locator('[data-testid="tail-row"]')
      .evaluateAll((rows) => rows.slice(0, 4).map((r) => r.getAttribute('data-generation-id')));
    // Above what was shown before the pause (one batch arrives in no particular order within itself).
    expect([...order.slice(0, 3)].sort()).toEqual(paused.map((id) => `${id}-gen`).sort());
    expect(order[3]).toBe(`${first}-gen`);
    expect(await page.getByTestId('tail-arrived').count()).toBe(0);

    // The filter bar narrows the tail on the server: another model's traffic stays out.
    await page.goto(`${baseUrl}/traces?project=${projectId}&range=1h&live=1&model=gpt-4o`);
    await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor({ timeout: 15_000 });
    const other = `tail-${run}-other`;
    const wanted = `tail-${run}-wanted`;
    await ingest(baseUrl, apiKey, [
      generation(other, 'mini', 'gpt-4o-mini'),
      generation(wanted, 'big', 'gpt-4o'),
    ]);
    await tailRow(page, wanted).waitFor({ timeout: 10_000 });
    expect(await tailRow(page, other).count()).toBe(0);
    await shoot(page, 'live-tail');
    await page.close();
  });

  it('takes a sample of the traces when asked (the server samples by trace id)', async (context) => {
    const { page } = await openPage(browser, context, `/traces?project=${projectId}&range=1h&live=1`);
    await page.getByTestId('tail-sample').selectOption('0.5');
    await page.waitForURL((url) => url.searchParams.get('sample') === '0.5');
    await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor({ timeout: 15_000 });
    const ids = Array.from({ length: 40 }, (_, i) => `sample-${run}-${i}`);
    await ingest(
      baseUrl,
      apiKey,
      ids.map((id) => generation(id, `sampled ${id}`)),
    );
    const sampled = page.locator('[data-testid="tail-row"][data-generation-id^="sample-"]');
    await sampled.first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(2_000);
    // At 50 %, all 40 or none of them would happen once in a trillion runs.
    expect(await sampled.count()).toBeLessThan(40);
    await page.close();
  });

  it('shows a slow stream in flight at once, its output growing, then its final row in place', async (context) => {
    const { page } = await openPage(browser, context, `/traces?project=${projectId}&range=1h&live=1`);
    await page.locator('[data-testid="connection-state"][data-state="live"]').waitFor({ timeout: 15_000 });
    // The mock model paces its tokens (20 ms each by default): 150 tokens stream for about 3 s.
    const response = await chatCompletion(baseUrl, apiKey, {
      model: 'mock-1',
      stream: true,
      messages: [{ role: 'user', content: 'tell a slow story [mock:tokens:150]' }],
    });
    expect(response.status).toBe(200);
    const spanId = response.headers.get('x-sightline-span-id')!;
    let streamEnded = false;
    const body = response.text().finally(() => (streamEnded = true));
    const row = page.locator(`[data-testid="tail-row"][data-generation-id="${spanId}"]`);
    await row.and(page.locator('[data-status="IN_FLIGHT"]')).waitFor({ timeout: 10_000 });
    const output = row.getByTestId('tail-output');
    await expect.poll(async () => (await output.innerText()).length, { timeout: 10_000 }).toBeGreaterThan(3);
    const first = await output.innerText();
    await expect
      .poll(
        async () =>
          (await row.getAttribute('data-status')) === 'IN_FLIGHT' && (await output.innerText()) !== first,
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    expect(streamEnded, 'the output grew only after the stream ended').toBe(false);
    await body;
    await row.and(page.locator('[data-status="COMPLETED"]')).waitFor({ timeout: 10_000 });
    expect(await page.locator(`[data-testid="tail-row"][data-generation-id="${spanId}"]`).count()).toBe(1);
    await page.close();
  });
});

describe('the traces list', () => {
  beforeAll(async () => {
    await ingest(
      baseUrl,
      apiKey,
      [1, 2, 3].map((i) => generation(`list-${run}-${i}`, `list answer ${i}`)),
    );
  });

  /** The list at `query`, once it shows `ready` (by default this run's newest list trace). */
  async function openList(
    context: Parameters<typeof openPage>[1],
    query = '',
    ready = `[data-trace-id="list-${run}-3"]`,
  ) {
    const { page } = await openPage(browser, context, `/traces?project=${projectId}${query}`);
    // Waits for each load to end before looking (a loaded machine answers the list slowly).
    const loaded = page.locator('[data-testid="traces-page"][data-loading="false"]');
    await reloadUntil(
      page,
      async () =>
        (await loaded.waitFor({ timeout: 20_000 }).then(() => true)) &&
        (await page.locator(ready).count()) > 0,
      'the ingested traces are listed',
      30_000,
    );
    return page;
  }

  it('previews the last user message and the answer as plain text', async (context) => {
    const page = await openList(context);
    const row = page.locator(`[data-trace-id="list-${run}-3"]`);
    expect(await row.locator('.io .in').innerText()).toBe('question list answer 3');
    expect(await row.locator('.io .out').innerText()).toBe('list answer 3');
    await page.close();
  });

  it('sorts by a column header, descending first, then ascending', async (context) => {
    const page = await openList(context);
    await page.getByTestId('sort-latency').click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'slowest');
    expect(await page.getByTestId('column-header-latency').getAttribute('aria-sort')).toBe('descending');
    await page.getByTestId('sort-latency').click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'fastest');
    expect(await page.getByTestId('column-header-latency').getAttribute('aria-sort')).toBe('ascending');
    await page.close();
  });

  it('hides a column with the column chooser, keeps the choice, and resets it', async (context) => {
    const page = await openList(context);
    expect(await page.getByTestId('column-header-cost').count()).toBe(1);
    await page.getByTestId('column-chooser').locator('summary').click();
    await page.getByTestId('column-cost').uncheck();
    await page.waitForURL((url) => url.searchParams.get('cols') === 'time,name,io,latency,tokens,who');
    expect(await page.getByTestId('column-header-cost').count()).toBe(0);
    expect(await page.getByTestId('trace-cost').count()).toBe(0);
    // Kept for the project in this browser: the plain list comes back without it.
    await page.goto(`${baseUrl}/traces?project=${projectId}`);
    await page.locator('[data-testid="traces-page"][data-loading="false"]').waitFor();
    await page.getByTestId('trace-row').first().waitFor();
    expect(await page.getByTestId('column-header-cost').count()).toBe(0);
    await shoot(page, 'traces-list');
    await page.getByTestId('column-chooser').locator('summary').click();
    await page.getByTestId('columns-reset').click();
    await page.getByTestId('column-header-cost').waitFor();
    await page.close();
  });

  it('saves a view and restores its filters, columns and sort from the menu', async (context) => {
    // Sorted by latency, this run's list traces need not be on the first page: any row will do.
    const page = await openList(
      context,
      '&range=1h&model=gpt-4o-mini&cols=time,name,errors,latency&sort=slowest',
      '[data-testid="trace-row"]',
    );
    const name = `Mini slow ${run}`;
    await page.getByTestId('saved-views-toggle').click();
    await page.getByTestId('view-name').fill(name);
    await page.getByTestId('view-save').click();
    await page.getByTestId('current-view').filter({ hasText: name }).waitFor();

    await page.goto(`${baseUrl}/traces?project=${projectId}`);
    await page.locator('[data-testid="traces-page"][data-loading="false"]').waitFor();
    expect(await page.getByTestId('current-view').innerText()).not.toContain(name);
    await page.getByTestId('saved-views-toggle').click();
    await page.locator(`[data-testid="saved-view"][data-view-name="${name}"]`).click();
    const url = new URL(page.url());
    await page.waitForURL((u) => u.searchParams.get('model') === 'gpt-4o-mini');
    const restored = new URL(page.url()).searchParams;
    expect(restored.get('range')).toBe('1h');
    expect(restored.get('cols')).toBe('time,name,latency,errors');
    expect(restored.get('sort')).toBe('slowest');
    expect(url.pathname).toBe('/traces');
    await page.getByTestId('column-header-errors').waitFor();
    expect(await page.getByTestId('column-header-cost').count()).toBe(0);
    await page.getByTestId('current-view').filter({ hasText: name }).waitFor();

    // A change shows the view as modified; Update keeps the change in the view.
    await page.getByTestId('sort-time').click();
    await page.locator('[data-testid="current-view"][data-modified="true"]').waitFor();
    await page.getByTestId('saved-views-toggle').click();
    await page.getByTestId('view-update').click();
    await page.locator('[data-testid="current-view"][data-modified="false"]').waitFor();
    await page.goto(`${baseUrl}/traces?project=${projectId}`);
    await page.getByTestId('saved-views-toggle').click();
    await page.locator(`[data-testid="saved-view"][data-view-name="${name}"]`).click();
    await page.waitForURL((u) => u.searchParams.get('model') === 'gpt-4o-mini');
    expect(new URL(page.url()).searchParams.get('sort')).toBeNull();

    await page.getByTestId('saved-views-toggle').click();
    await page.getByTestId('view-delete').click();
    await page.locator(`[data-testid="saved-view"][data-view-name="${name}"]`).waitFor({ state: 'detached' });
    await page.close();
  });
});

/** True once the detail's load ended: the trace, or "not found" while the archive trails the ingest. */
const detailLoaded = (page: Page) =>
  page
    .locator('[data-testid="trace-detail"], [data-testid="trace-not-found"]')
    .first()
    .waitFor({ timeout: 20_000 })
    .then(() => true);

describe('the trace detail', () => {
  it('opens a 500-span trace with its tree virtualized', async (context) => {
    const traceId = `wide-${run}`;
    await ingestWideTrace(baseUrl, apiKey, traceId, 500);
    const { page } = await openPage(browser, context, `/traces/${traceId}?project=${projectId}`);
    const tree = page.locator('[data-testid="span-tree"][data-span-count="500"]');
    await reloadUntil(
      page,
      async () => (await detailLoaded(page)) && (await tree.count()) > 0,
      'the 500 spans are in the trace',
      60_000,
    );
    await page.getByTestId('span-panel').waitFor();
    const inDom = await page.getByTestId('span-row').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom, 'only the rows in view are rendered').toBeLessThan(100);
    await page.close();
  }, 120_000);

  it('shows TTFT, the parameters, usage and the scores of a streamed gateway generation', async (context) => {
    const response = await chatCompletion(baseUrl, apiKey, {
      model: 'mock-1',
      stream: true,
      temperature: 0.3,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Name three rivers of France.' }],
    });
    expect(response.status).toBe(200);
    await response.text();
    const traceId = response.headers.get('x-sightline-trace-id')!;
    const spanId = response.headers.get('x-sightline-span-id')!;
    expect(traceId && spanId).toBeTruthy();
    await ingest(baseUrl, apiKey, [
      { type: 'score', body: { traceId, name: 'helpfulness', value: 0.875, comment: 'clear' } },
      { type: 'score', body: { traceId, spanId, name: 'correct', value: true } },
    ]);

    const { page } = await openPage(browser, context, `/traces/${traceId}?project=${projectId}`);
    await reloadUntil(
      page,
      async () =>
        (await detailLoaded(page)) &&
        (await page.getByTestId('trace-scores').count()) > 0 &&
        (await page.getByTestId('trace-ttft').count()) > 0,
      'the trace shows its scores and TTFT',
      40_000,
    );
    expect(await page.getByTestId('trace-ttft').innerText()).toMatch(/\d+ ms/);
    expect(await page.getByTestId('trace-scores').innerText()).toMatch(/helpfulness\s*0\.875/);
    const panel = page.getByTestId('span-panel');
    expect(await panel.getByTestId('span-ttft').innerText()).toMatch(/\d+ ms/);
    expect(await panel.getByTestId('span-parameters').innerText()).toMatch(/temperature[\s\S]*0\.3/);
    expect(await panel.getByTestId('span-usage').innerText()).toMatch(/→/);
    expect(await panel.getByTestId('span-scores').innerText()).toMatch(/correct\s*true/);
    await shoot(page, 'trace-detail');
    await page.close();
  }, 90_000);

  it("shows a gateway generation's answer as an assistant message with its JSON a click away, and previews it in the list", async (context) => {
    const response = await chatCompletion(baseUrl, apiKey, {
      model: 'mock-1',
      messages: [
        { role: 'system', content: 'You answer with tools.' },
        { role: 'user', content: 'Weather in Lyon? [mock:tool:get_weather]' },
      ],
    });
    expect(response.status).toBe(200);
    await response.text();
    const traceId = response.headers.get('x-sightline-trace-id')!;

    const { page } = await openPage(browser, context, `/traces/${traceId}?project=${projectId}`);
    const output = page.getByTestId('span-output');
    await reloadUntil(
      page,
      async () => (await detailLoaded(page)) && (await output.getByTestId('chat-message').count()) > 0,
      'the generation shows its answer',
      40_000,
    );
    const answer = output.getByTestId('chat-message');
    expect(await answer.getAttribute('data-role')).toBe('assistant');
    expect(await answer.getByTestId('tool-call').innerText()).toMatch(/get_weather[\s\S]*"input"/);
    await shoot(page, 'trace-answer');
    await page.getByTestId('view-json').click();
    expect(await output.getByTestId('chat-message').count()).toBe(0);
    expect(await output.innerText()).toMatch(/choices:\[1\]/);

    await page.goto(`${baseUrl}/traces?project=${projectId}`);
    const row = page.locator(`[data-trace-id="${traceId}"]`);
    await reloadUntil(page, async () => (await row.count()) > 0, 'the gateway trace is listed', 30_000);
    expect(await row.locator('.io .in').innerText()).toBe('Weather in Lyon? [mock:tool:get_weather]');
    expect(await row.locator('.io .out').innerText()).toMatch(/^tool call: get_weather\(\{"input":/);
    await page.close();
  }, 90_000);

  it('marks the token counts of a generation whose usage Sightline estimated with ≈', async (context) => {
    // The stream breaks before the provider reports usage: Sightline counts the tokens itself.
    const response = await chatCompletion(baseUrl, apiKey, {
      model: 'mock-1',
      stream: true,
      messages: [{ role: 'user', content: 'Name three rivers of Spain. [mock:drop:5]' }],
    });
    await response.text().catch(() => '');
    const traceId = response.headers.get('x-sightline-trace-id')!;
    const { page } = await openPage(browser, context, `/traces/${traceId}?project=${projectId}`);
    await reloadUntil(
      page,
      async () => (await detailLoaded(page)) && (await page.getByTestId('span-usage').count()) > 0,
      'the broken call shows its usage',
      40_000,
    );
    const usage = page.getByTestId('span-panel').getByTestId('span-usage').locator('dd');
    expect(await usage.innerText()).toMatch(/^≈\d/);
    expect(await usage.getAttribute('title')).toMatch(/estimated/);
    await page.close();
  }, 90_000);
});
