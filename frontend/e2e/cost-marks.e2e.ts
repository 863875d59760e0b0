// Costs as the pages show them: ≈ where tokens (and so cost) are Sightline's estimates, "unpriced"
// where no price was in force (never a silent $0) in the trace list, the dashboard and an experiment's
// comparison, and the trace detail's cost at ingestion beside its restated cost after a price change.
// Its own project: mock-1 priced there, mock-large not. Screenshots light and dark at 1280 and 390 px.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, graphqlAs, unique } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage, reloadUntil } from './pages';
import { freshProject, screenshots } from './settings-support';

const baseUrl = inject('baseUrl');
const defaultProject = inject('projectId');
const owner = inject('ownerCookies');

let browser: Browser;
let project: { id: string; name: string };
let key: string;
/** The trace of each call: priced, estimated (a stream broken before usage), unpriced. */
const traces: Record<'priced' | 'estimated' | 'unpriced', string> = {
  priced: '',
  estimated: '',
  unpriced: '',
};

const gql = <T>(query: string, variables: Record<string, unknown> = {}) =>
  graphqlAs<T>(baseUrl, owner, query, { p: project.id, ...variables });

const SET_PRICE =
  'mutation($p: ID, $i: CustomPriceInput!) { setCustomPrice(projectId: $p, input: $i) { id } }';
const price = (perMTok: number) =>
  gql<{ setCustomPrice: { id: string } }>(SET_PRICE, {
    i: { model: 'mock-1', effectiveFrom: '2020-01-01', inputPerMTok: perMTok, outputPerMTok: perMTok },
  });

/** A call of the end user `marks-user`. */
async function send(model: string, content: string, stream = false): Promise<string> {
  const response = await chatCompletion(baseUrl, key, {
    model,
    stream,
    user: 'marks-user',
    messages: [{ role: 'user', content }],
  });
  await response.text().catch(() => '');
  return response.headers.get('x-sightline-trace-id')!;
}

let firstPrice = '';

beforeAll(async () => {
  browser = await launchBrowser(owner);
  project = await freshProject(baseUrl, owner, defaultProject, 'Cost marks');
  firstPrice = (await price(1000)).setCustomPrice.id;
  const { createApiKey } = await gql<{ createApiKey: { secret: string } }>(
    'mutation($p: ID!, $n: String!) { createApiKey(projectId: $p, name: $n) { secret } }',
    { n: unique('marks key') },
  );
  key = createApiKey.secret;
  traces.priced = await send('mock-1', 'What is the capital of Peru?');
  traces.estimated = await send('mock-1', 'Name three rivers of Spain. [mock:drop:5]', true);
  traces.unpriced = await send('mock-large', 'Describe the Andes.');
});

afterAll(async () => {
  await browser?.close();
});

const text = async (page: Page, selector: string) => (await page.locator(selector).innerText()).trim();

describe('cost marks', () => {
  it('the trace list marks estimated tokens and cost with ≈ and says unpriced for a call without a price', async (context) => {
    const { page } = await openPage(browser, context, `/traces?project=${project.id}`);
    const row = (trace: string) => `[data-testid="trace-row"][data-trace-id="${trace}"]`;
    await reloadUntil(
      page,
      async () =>
        (await page.locator(`${row(traces.estimated)} [data-testid="trace-cost"]`).count()) > 0 &&
        (await page.locator('[data-testid="trace-row"]').count()) === 3,
      'the three calls are listed',
      40_000,
    );
    expect(await text(page, `${row(traces.estimated)} [data-testid="trace-tokens"]`)).toMatch(/^≈\d/);
    expect(await text(page, `${row(traces.estimated)} [data-testid="trace-cost"]`)).toMatch(/^≈\$0\.\d{6}$/);
    expect(
      await page.locator(`${row(traces.estimated)} [data-testid="trace-cost"]`).getAttribute('title'),
    ).toMatch(/1 generation on token counts Sightline estimated/);
    expect(await text(page, `${row(traces.priced)} [data-testid="trace-tokens"]`)).toMatch(/^\d/);
    expect(await text(page, `${row(traces.priced)} [data-testid="trace-cost"]`)).toMatch(/^\$0\.\d{6}$/);
    expect(await text(page, `${row(traces.unpriced)} [data-testid="trace-cost"]`)).toBe('unpriced');
    await screenshots(page, 'cost-marks', 'trace-list');
    await page.close();
  }, 90_000);

  it('the users list marks the end user’s tokens and cost with ≈ and the unpriced call left out', async (context) => {
    const { page } = await openPage(browser, context, `/users?project=${project.id}`);
    const cost = page.locator('[data-testid="group-row"][data-id="marks-user"] [data-testid="group-cost"]');
    await reloadUntil(page, async () => (await cost.count()) > 0, 'the end user is listed', 30_000);
    expect((await cost.innerText()).trim()).toMatch(/^≈\$0\.\d{6}\+\?$/);
    expect(await cost.getAttribute('title')).toBe(
      '1 generation without a price, left out of the cost; 1 generation on token counts Sightline estimated (the provider reported none)',
    );
    await screenshots(page, 'cost-marks', 'users');
    await page.close();
  }, 60_000);

  it('the dashboard marks the cost and tokens of the range and of each model, and says unpriced for mock-large', async (context) => {
    const { page } = await openPage(browser, context, `/dashboards?project=${project.id}&range=24h`);
    const cell = (model: string, what: string) =>
      `[data-testid="breakdown-row"][data-key="${model}"] [data-testid="breakdown-${what}"] [data-testid="sum-figure"]`;
    const loaded = page.locator('[data-testid="dashboards-page"][data-loading="false"]');
    await reloadUntil(
      page,
      async () =>
        (await loaded.waitFor({ timeout: 15_000 }).then(() => true)) &&
        (await page.locator(cell('mock-large', 'cost')).count()) > 0 &&
        (await page.locator(cell('mock-1', 'cost')).count()) > 0 &&
        Number(await page.getByTestId('stat-requests').getAttribute('data-value')) === 3,
      'both models in the breakdown',
      40_000,
    );
    expect(await text(page, cell('mock-large', 'cost'))).toBe('unpriced');
    expect(await page.locator(cell('mock-large', 'cost')).getAttribute('title')).toMatch(
      /^1 generation without a price, left out of the cost/,
    );
    expect(await text(page, cell('mock-1', 'cost'))).toMatch(/^≈\$/);
    expect(await text(page, cell('mock-1', 'tokens'))).toMatch(/^≈\d/);
    expect(await text(page, cell('mock-large', 'tokens'))).toMatch(/^\d/);
    // The range's total: on estimates, and leaving the unpriced call out.
    const total = page.getByTestId('stat-cost');
    expect((await total.locator('.value').innerText()).trim()).toMatch(/^≈\$.+\+\?$/);
    expect(await total.innerText()).toContain('1 unpriced left out');
    await screenshots(page, 'cost-marks', 'dashboard');
    await page.close();
  }, 90_000);

  it('an experiment replaying onto an unpriced model shows "unpriced" in the comparison, not $0', async (context) => {
    const { startExperiment } = await gql<{ startExperiment: { id: string } }>(
      `mutation($p: ID, $i: StartExperimentInput!, $k: String!) {
         startExperiment(projectId: $p, input: $i, idempotencyKey: $k) { id } }`,
      {
        i: {
          filter: { from: '2020-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z', models: ['mock-1'] },
          configurations: [{ model: 'mock-large' }],
          budget: '1',
        },
        k: unique('marks-experiment'),
      },
    );
    const { page } = await openPage(
      browser,
      context,
      `/experiments/${startExperiment.id}?project=${project.id}`,
    );
    const costs = page.locator('[data-testid="comparison"] [data-testid="comparison-cost"]');
    await reloadUntil(
      page,
      async () => {
        // After a reload, wait for the comparison to load before reading it.
        await costs
          .nth(1)
          .waitFor({ timeout: 10_000 })
          .catch(() => undefined);
        return (await costs.count()) === 2 && (await costs.nth(1).innerText()).trim() === 'unpriced';
      },
      'the replays onto mock-large are compared',
      60_000,
    );
    expect((await costs.nth(0).innerText()).trim()).toMatch(/^≈?\$\d/);
    await screenshots(page, 'cost-marks', 'experiment');
    await page.close();
  }, 120_000);

  it('the trace detail shows the cost at ingestion beside the cost restated after a price change', async (context) => {
    await gql('mutation($p: ID, $id: ID!) { removeCustomPrice(projectId: $p, id: $id) }', { id: firstPrice });
    await price(3000);
    const { startRestatement } = await gql<{ startRestatement: { id: string } }>(
      'mutation($p: ID, $k: String!) { startRestatement(projectId: $p, idempotencyKey: $k) { id } }',
      { k: unique('marks-restate') },
    );
    for (let tries = 0; ; tries++) {
      const { restatement } = await gql<{ restatement: { status: string } }>(
        'query($p: ID, $id: ID!) { restatement(projectId: $p, id: $id) { status } }',
        { id: startRestatement.id },
      );
      if (restatement.status === 'FINISHED') break;
      expect(restatement.status).toBe('RUNNING');
      expect(tries).toBeLessThan(120);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const { page } = await openPage(browser, context, `/traces/${traces.priced}?project=${project.id}`);
    const restated = page.getByTestId('trace-restated-cost');
    await reloadUntil(page, async () => (await restated.count()) > 0, 'the restated cost is shown', 30_000);
    const atIngestion = await text(page, '[data-testid="trace-cost"]');
    const usd = (figure: string) => Number(figure.replace(/[^\d.]/g, ''));
    expect(atIngestion).toMatch(/^\$0\.\d{6}$/);
    // Three times the price: three times the cost (the mock's answer is billed by its tokens).
    expect(usd((await restated.innerText()).trim())).toBeCloseTo(usd(atIngestion) * 3, 6);
    // The generation's own panel (a gateway call's trace is that one span) says both.
    const panel = page.getByTestId('span-panel');
    await panel.getByTestId('span-restated-cost').waitFor({ timeout: 10_000 });
    expect(await panel.getByTestId('span-cost').innerText()).toMatch(/^Cost at ingestion\s+\$0\.\d{6}/i);
    expect(await panel.getByTestId('span-restated-cost').innerText()).toMatch(/^Restated cost\s+\$0\.\d{6}/i);
    await screenshots(page, 'cost-marks', 'trace-detail');
    await page.close();
  }, 120_000);
});
