// The traces list's Export button in Chromium against the real backend: a few mock generations
// recorded through the gateway, the list filtered to them with three columns shown, Export → CSV,
// and the downloaded file holding exactly those columns and rows; the open menu shot light/dark
// under test-results/export/.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RowCounter } from '../src/lib/export/rowCounter';
import { chatCompletion } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage, reloadUntil } from './pages';
import { resultsDir } from './paths';

const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');
const shotsDir = path.join(resultsDir, 'export');
const user = `exporter-${Date.now().toString(36)}`;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(inject('ownerCookies'));
  await mkdir(shotsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** One mock chat completion as `user`; its trace id. */
async function record(question: string): Promise<string> {
  const response = await chatCompletion(baseUrl, apiKey, {
    model: 'mock-1',
    user,
    messages: [{ role: 'user', content: question }],
  });
  expect(response.status).toBe(200);
  await response.text();
  return response.headers.get('x-sightline-trace-id')!;
}

describe('export of the traces list', () => {
  it('downloads the filtered traces with the visible columns as CSV', async (context) => {
    const traceIds: string[] = [];
    for (const question of ['Name a river.', 'Name a mountain.', 'Name a lake.'])
      traceIds.push(await record(question));

    const { page } = await openPage(
      browser,
      context,
      `/traces?project=${projectId}&range=1h&user=${user}&cols=time,name,errors`,
    );
    const rows = page.getByTestId('trace-row');
    await reloadUntil(page, async () => (await rows.count()) === 3, 'the three traces are listed', 30_000);

    await page.getByTestId('export-toggle').click();
    await page.getByTestId('export-csv').waitFor();
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.screenshot({ path: path.join(shotsDir, `export-menu-1280-${theme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^sightline-traces-\d{4}-\d\d-\d\dT[\d-]+Z\.csv$/);
    const bytes = await readFile((await download.path())!);
    const lines = bytes.toString('utf8').split(/\r?\n/);
    expect(lines[0]).toBe('id,startedAt,name,errorCount');
    expect(new RowCounter('csv').add(bytes)).toBe(3);
    const exported = lines.slice(1, -1).map((line) => line.split(',')[0]);
    expect(exported.sort()).toEqual([...traceIds].sort());
    expect(await page.getByTestId('export-progress').count()).toBe(0);
    expect(await page.getByTestId('export-error').count()).toBe(0);
    await page.close();
  }, 90_000);
});
