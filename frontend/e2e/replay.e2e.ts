// Replay: a recorded generation opened from its trace, replayed with another model from the diff
// page's form, and the diff read (outputs word by word, cost, time and tokens), with screenshots at
// laptop and phone widths in both themes.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, graphqlAs } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage } from './pages';
import { resultsDir } from './paths';
import { screenshots } from './settings-support';

const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');
const owner = inject('ownerCookies');
const TIMEOUT_MS = 20_000;
const shotsDir = path.join(resultsDir, 'replay');

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(owner);
  await mkdir(shotsDir, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** Reloads until `testid` shows: the trace and its generation reach the read models a moment later. */
async function reloadUntil(page: Page, testid: string): Promise<void> {
  await expect
    .poll(
      async () => {
        if (await page.getByTestId(testid).first().isVisible()) return true;
        await page.reload();
        return page
          .getByTestId(testid)
          .first()
          .isVisible({ timeout: 2_000 })
          .catch(() => false);
      },
      { timeout: TIMEOUT_MS, interval: 500 },
    )
    .toBe(true);
}

describe('replay', () => {
  it('opens a recorded generation, replays it with another model and reads the diff', async (context) => {
    const response = await chatCompletion(baseUrl, apiKey, {
      model: 'mock-1',
      stream: true,
      messages: [
        { role: 'system', content: 'You answer order questions in one sentence.' },
        { role: 'user', content: 'Where is order 1234? [mock:tokens:24]' },
      ],
    });
    expect(response.status).toBe(200);
    await response.text();
    const traceId = response.headers.get('x-sightline-trace-id')!;
    const generationId = response.headers.get('x-sightline-span-id')!;

    const { page } = await openPage(browser, context, `/traces/${traceId}?project=${projectId}`);
    await reloadUntil(page, 'replay-generation');
    // Replay sits beside Test in playground, styled alike (a button, not an underlined link).
    const [replayStyle, playStyle] = await Promise.all(
      ['replay-generation', 'test-in-playground'].map((id) =>
        page.getByTestId(id).evaluate((a) => {
          const s = getComputedStyle(a);
          const box = a.getBoundingClientRect();
          return {
            bg: s.backgroundColor,
            deco: s.textDecorationLine,
            h: Math.round(box.height),
            top: Math.round(box.top),
          };
        }),
      ),
    );
    expect(replayStyle).toEqual(playStyle);
    await screenshots(page, 'replay', 'trace-actions');
    await page.getByTestId('replay-generation').click();
    await page.waitForURL(`**/replays/${generationId}**`);
    await reloadUntil(page, 'replay-original');
    expect(await page.getByTestId('no-replays').innerText()).toContain('No replays yet');

    await page.getByTestId('replay-model-picker').selectOption('mock-large');
    await page.getByTestId('replay-params').fill('{"temperature": 0.9}');
    await page.getByTestId('replay-submit').click();

    // The replay is recorded, then projected: the page waits for the read model, no reload needed.
    await page.locator('[data-testid="replay-notice"][data-kind="shown"]').waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('replay-notice').innerText()).toMatch(/Replay done/);
    await page.screenshot({ path: path.join(shotsDir, 'replay-done-1280.png'), fullPage: true });
    expect(await page.getByTestId('replay-count').innerText()).toMatch(/^1 replay,/);
    expect(await page.getByTestId('replay-diff').count()).toBe(1);
    const diff = page.getByTestId('replay-diff').first();
    expect(await diff.getByTestId('replay-model').innerText()).toBe('mock-large');
    // The card names what else the replay changed, not only the model.
    expect(await diff.getByTestId('replay-changes').innerText()).toContain('parameters temperature=0.9');
    expect((await diff.getByTestId('text-diff').innerText()).length).toBeGreaterThan(10);
    // The mock answers from the request alone: another model, the same words.
    await diff.getByTestId('same-output').waitFor();
    const latency = await diff.locator('[data-metric="Latency"]').innerText();
    expect(latency).toMatch(/\d[\d,]* ms/);
    expect(await diff.locator('[data-metric="Output tokens"]').innerText()).toMatch(/24/);
    expect(await diff.locator('[data-metric="Cost"]').innerText()).toContain('unpriced');
    const replayTrace = await diff.getByTestId('replay-trace').getAttribute('href');
    expect(replayTrace).toMatch(/\/traces\/[0-9a-f]+/);
    expect(replayTrace).not.toContain(traceId);

    for (const width of [1280, 390]) {
      for (const theme of ['light', 'dark'] as const) {
        await page.setViewportSize({ width, height: width > 500 ? 800 : 844 });
        await page.emulateMedia({ colorScheme: theme });
        // Opened afresh at this width, as a visitor would (the shell's drawer starts closed).
        await page.reload();
        await page.getByTestId('replay-diff').first().waitFor({ timeout: TIMEOUT_MS });
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        expect(scrollWidth, `the replay page overflows at ${width} px`).toBeLessThanOrEqual(innerWidth);
        await page.screenshot({ path: path.join(shotsDir, `replay-${width}-${theme}.png`), fullPage: true });
      }
    }
  });

  it('refuses a prompt version that does not exist, before anything is sent', async (context) => {
    const response = await chatCompletion(baseUrl, apiKey, {
      model: 'mock-1',
      messages: [{ role: 'user', content: 'hello again' }],
    });
    const generationId = response.headers.get('x-sightline-span-id')!;
    await response.text();
    const { page } = await openPage(browser, context, `/replays/${generationId}?project=${projectId}`);
    await reloadUntil(page, 'replay-original');
    await page.getByTestId('replay-prompt').fill('no-such-prompt@production');
    await page.getByTestId('replay-submit').click();
    await page.getByTestId('replay-error').waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('replay-error').innerText()).toMatch(/prompt not found/i);
    expect(await page.getByTestId('replay-diff').count()).toBe(0);
  });

  it('replays with a saved prompt version picked from the list, filling its new variable; an unknown one is refused', async (context) => {
    const name = `e2e/replay-${Date.now()}`;
    const save = (content: string, labels: string[]) =>
      graphqlAs(
        baseUrl,
        owner,
        'mutation($p: ID, $i: PromptVersionInput!) { createPromptVersion(projectId: $p, input: $i) { version } }',
        { p: projectId, i: { name, messages: JSON.stringify([{ role: 'system', content }]), labels } },
      );
    await save('You help {{customer}}.', []);
    await save('Help {{customer}} in {{language}}.', ['production']);
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${apiKey}`,
        'x-sightline-prompt': `${name}@1`,
        'x-sightline-prompt-variables': '{"customer":"Ada"}',
      },
      body: JSON.stringify({ model: 'mock-1', messages: [{ role: 'user', content: 'Where is my refund?' }] }),
    });
    expect(response.status).toBe(200);
    await response.text();
    const generationId = response.headers.get('x-sightline-span-id')!;
    const { page } = await openPage(browser, context, `/replays/${generationId}?project=${projectId}`);
    await reloadUntil(page, 'replay-original');
    const listed = () =>
      page
        .locator('#replay-prompt-list option')
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    await expect
      .poll(listed)
      .toEqual(expect.arrayContaining([`${name}@production`, `${name}@2`, `${name}@1`]));

    await page.getByTestId('replay-prompt').fill(`${name}@production`);
    await page.getByTestId('replay-variables').fill('{"language": "French", "tone": "dry"}');
    await page.getByTestId('replay-submit').click();
    await page.getByTestId('replay-error').waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('replay-error').innerText()).toContain(
      `Prompt '${name}' version 2 has no variable {{tone}}; its variables: {{customer}}, {{language}}`,
    );

    await page.getByTestId('replay-variables').fill('{"language": "French"}');
    await page.getByTestId('replay-submit').click();
    await expect
      .poll(
        async () => {
          if ((await page.getByTestId('replay-diff').count()) > 0) return true;
          await page.reload();
          return false;
        },
        { timeout: TIMEOUT_MS, interval: 500 },
      )
      .toBe(true);
    expect(await page.getByTestId('replay-error').count()).toBe(0);
    // Which prompt version each side used, as a Langfuse user compares them.
    expect(await page.getByTestId('original-prompt').innerText()).toBe(`${name} v1`);
    expect(await page.getByTestId('replay-prompt-change').first().innerText()).toBe(
      `prompt ${name} v1 → ${name} v2`,
    );
  });
});
