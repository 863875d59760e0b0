// The playground: two models side by side through the gateway, a run stopped midway, a setup refused
// before anything is sent, and a recorded generation opened with its exact request.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chatCompletion, graphqlAs } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage } from './pages';
import { resultsDir } from './paths';
import { freshProject, screenshots } from './settings-support';

const baseUrl = inject('baseUrl');
const apiKey = inject('apiKey');
const projectId = inject('projectId');
const owner = inject('ownerCookies');
const RUN_TIMEOUT_MS = 20_000;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser(owner);
});

afterAll(async () => {
  await browser?.close();
});

const columns = (page: Page) => page.getByTestId('playground-column');

async function userMessage(page: Page, text: string): Promise<void> {
  await page.getByTestId('turn-content').nth(1).fill(text);
}

describe('playground', () => {
  it('runs two models side by side, streaming, with their figures and the estimate before the run', async (context) => {
    const { page } = await openPage(browser, context, `/playground?project=${projectId}`);
    await columns(page).first().waitFor({ timeout: 15_000 });
    await page.getByTestId('add-column').click();
    expect(await columns(page).count()).toBe(2);
    await userMessage(page, 'Describe {{city}} [mock:tokens:40]');
    await page.getByTestId('variable-city').fill('Lyon');
    await columns(page).first().getByTestId('column-estimate').waitFor({ timeout: 10_000 });
    expect(await columns(page).first().getByTestId('column-estimate').innerText()).toMatch(/input tokens/);

    await page.getByTestId('run').click();
    await columns(page)
      .first()
      .and(page.locator('[data-status="running"]'))
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    for (const i of [0, 1]) {
      const column = columns(page).nth(i);
      await column.and(page.locator('[data-status="done"]')).waitFor({ timeout: RUN_TIMEOUT_MS });
      expect(await column.getByTestId('column-tokens').innerText()).toMatch(/→ 40$/);
      expect(await column.getByTestId('column-ttft').innerText()).toMatch(/^\d[\d,]* ms$/);
      expect((await column.getByTestId('column-output').innerText()).length).toBeGreaterThan(40);
      await expect
        .poll(() => column.getByTestId('column-cost').innerText(), { timeout: 15_000 })
        .toBe('unpriced');
    }
    await mkdir(resultsDir, { recursive: true });
    await page.screenshot({ path: path.join(resultsDir, 'playground.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(resultsDir, 'playground-dark.png'), fullPage: true });
  });

  it('refuses a fifth model column: four side by side at most, and says so', async (context) => {
    const { page } = await openPage(browser, context, `/playground?project=${projectId}`);
    await columns(page).first().waitFor({ timeout: 15_000 });
    const add = page.getByTestId('add-column');
    for (const n of [2, 3, 4]) {
      await add.click();
      expect(await columns(page).count()).toBe(n);
    }
    expect(await page.getByTestId('column-limit').count()).toBe(1);

    await add.click({ force: true }); // a fifth: refused
    await add.dispatchEvent('click');

    expect(await columns(page).count()).toBe(4);
    expect(await add.isDisabled()).toBe(true);
    expect(await page.getByTestId('column-limit').innerText()).toBe('At most 4 models side by side.');
    await columns(page).nth(3).getByRole('button', { name: 'Remove column 4' }).click();
    expect(await columns(page).count()).toBe(3);
    expect(await add.isDisabled()).toBe(false);
    expect(await page.getByTestId('column-limit').count()).toBe(0);
  });

  it('marks a column cost unpriced, or ≈ when Sightline counted the tokens, as elsewhere', async (context) => {
    // A project where mock-1 is priced: a stream broken before its usage is priced on estimated tokens.
    const project = await freshProject(baseUrl, owner, projectId, 'Playground marks');
    await graphqlAs(
      baseUrl,
      owner,
      'mutation($p: ID, $i: CustomPriceInput!) { setCustomPrice(projectId: $p, input: $i) { id } }',
      {
        p: project.id,
        i: { model: 'mock-1', effectiveFrom: '2020-01-01', inputPerMTok: 1000, outputPerMTok: 1000 },
      },
    );
    const { page } = await openPage(browser, context, `/playground?project=${project.id}`);
    await columns(page).first().waitFor({ timeout: 15_000 });
    await columns(page).first().getByTestId('column-model').selectOption('mock-1');
    await page.getByTestId('add-column').click();
    await columns(page).nth(1).getByTestId('column-model').selectOption('mock-large');
    await userMessage(page, 'Name three rivers of Spain. [mock:drop:5]');

    await page.getByTestId('run').click();

    const cost = (i: number) => columns(page).nth(i).getByTestId('column-cost');
    await expect.poll(() => cost(0).getAttribute('data-estimated'), { timeout: 20_000 }).toBe('true');
    expect(await cost(0).innerText()).toMatch(/^≈\$\d/);
    await expect.poll(() => cost(1).getAttribute('data-unpriced'), { timeout: 20_000 }).toBe('true');
    expect(await cost(1).locator('.flag').innerText()).toBe('unpriced');
  });

  it('keeps a long schema validation error inside its column at 390 and 1280 px', async (context) => {
    const { page } = await openPage(browser, context, `/playground?project=${projectId}`);
    await columns(page).first().waitFor({ timeout: 15_000 });
    const property = 'tracking_reference_number_of_the_customer_parcel_as_printed_on_the_label';
    await page.getByTestId('schema').fill(
      JSON.stringify({
        type: 'object',
        properties: {
          [property]: {
            type: 'string',
            pattern: '^[A-Z]{2}-[0-9]{9}-[A-Z]{2}-PARCEL-REFERENCE-WITHOUT-ANY-SPACES$',
          },
        },
        required: [property],
      }),
    );
    await userMessage(page, 'Which parcel is it?');
    await page.getByTestId('run').click();
    const structured = columns(page).first().getByTestId('column-structured');
    await structured.and(page.locator('[data-valid="false"]')).waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await structured.innerText()).toContain(property);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const overflow = await structured.evaluate(
        (box) =>
          [...box.querySelectorAll('li')].some((li) => li.scrollWidth > li.clientWidth + 1) ||
          box.scrollWidth > box.clientWidth + 1,
      );
      expect(overflow, `the validation error overflows at ${width} px`).toBe(false);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshots(page, 'playground', 'schema-error');
  });

  it('stops a long run midway and keeps what arrived', async (context) => {
    const { page } = await openPage(browser, context, `/playground?project=${projectId}`);
    await columns(page).first().waitFor({ timeout: 15_000 });
    await userMessage(page, 'A long answer please [mock:tokens:2000]');
    await page.getByTestId('run').click();
    const output = columns(page).first().getByTestId('column-output');
    await expect
      .poll(async () => (await output.innerText()).length, { timeout: RUN_TIMEOUT_MS })
      .toBeGreaterThan(20);
    // While it streams, before the provider reports usage, tokens and tokens/s are estimated live.
    const column = columns(page).first();
    // (Polled: the output's length counts "Waiting for the first token…" too.)
    await expect
      .poll(async () => await column.getByTestId('column-tokens').innerText(), { timeout: RUN_TIMEOUT_MS })
      .toMatch(/^≈ \d+ out$/);
    await expect
      .poll(async () => await column.getByTestId('column-tps').innerText(), { timeout: RUN_TIMEOUT_MS })
      .toMatch(/^≈\d+\.\d$/);
    await page.getByTestId('stop').click();
    await columns(page)
      .first()
      .and(page.locator('[data-status="stopped"]'))
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await output.innerText()).toContain('Stopped.');
  });

  it('refuses an unknown variable and an invalid schema before sending anything', async (context) => {
    const { page } = await openPage(browser, context, `/playground?project=${projectId}`);
    await columns(page).first().waitFor({ timeout: 15_000 });
    const sent: string[] = [];
    page.on('request', (r) => r.url().includes('/v1/chat/completions') && sent.push(r.url()));
    await page.getByTestId('schema').fill('{"type": "nonsense"}');
    expect(await page.getByTestId('schema-error').innerText()).toMatch(/not a valid JSON schema/);
    await page.getByTestId('run').click();
    expect(await page.getByTestId('playground-error').innerText()).toMatch(/not a valid JSON schema/);
    await page.getByTestId('schema').fill('');
    await userMessage(page, 'Hello {{name}}');
    await page.getByTestId('variables').waitFor();
    await page.evaluate(() =>
      document.querySelector<HTMLInputElement>('[data-testid="variable-name"]')?.blur(),
    );
    await page.getByTestId('run').click();
    expect(await page.getByTestId('playground-error').innerText()).toContain('No value for {{name}}');
    expect(sent).toEqual([]);
  });

  it('attaches an image to a user message and sends it as an image part after the text', async (context) => {
    const { page } = await openPage(browser, context, `/playground?project=${projectId}`);
    await columns(page).first().waitFor({ timeout: 15_000 });
    await userMessage(page, 'What is in this picture?');
    const png =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
    await page.getByTestId('turn-image-url').first().fill('not a link');
    await page.getByTestId('turn-attach-image').first().click();
    expect(await page.getByTestId('playground-error').innerText()).toMatch(/https:\/\/ link or a data:image/);
    await page.getByTestId('turn-image-url').first().fill(png);
    await page.getByTestId('turn-attach-image').first().click();
    expect(await page.getByTestId('turn-parts').innerText()).toContain('data:image/png;base64');
    await mkdir(resultsDir, { recursive: true });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme });
        await page.screenshot({ path: path.join(resultsDir, `playground-image-${width}-${theme}.png`) });
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    const sent: string[] = [];
    page.on('request', (r) => r.url().includes('/v1/chat/completions') && sent.push(r.postData() ?? ''));
    await page.getByTestId('run').click();
    await columns(page)
      .first()
      .and(page.locator('[data-status="done"]'))
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    const body = JSON.parse(sent[0]) as { messages: { role: string; content: unknown }[] };
    expect(body.messages[1]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is in this picture?' },
        { type: 'image_url', image_url: { url: png } },
      ],
    });
  });

  it('answers a requested tool call by hand and continues the conversation', async (context) => {
    const { page } = await openPage(browser, context, `/playground?project=${projectId}`);
    await columns(page).first().waitFor({ timeout: 15_000 });
    await page
      .getByTestId('tools')
      .fill('[{"type": "function", "function": {"name": "lookup_order", "parameters": {"type": "object"}}}]');
    await userMessage(page, 'Where is order 7? [mock:tool:lookup_order]');
    await page.getByTestId('run').click();
    const column = columns(page).first();
    await column.and(page.locator('[data-status="done"]')).waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await column.getByTestId('column-tool-call').innerText()).toContain('lookup_order');

    await column.getByTestId('column-continue').click();
    const roles = await page
      .getByTestId('turn-role')
      .evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
    expect(roles).toEqual(['system', 'user', 'assistant', 'tool']);
    await page.getByTestId('turn-content').nth(3).fill('{"status": "shipped"}');
    const sent: string[] = [];
    page.on('request', (r) => r.url().includes('/v1/chat/completions') && sent.push(r.postData() ?? ''));
    await page.getByTestId('run').click();
    await column.and(page.locator('[data-status="done"]')).waitFor({ timeout: RUN_TIMEOUT_MS });
    const { messages } = JSON.parse(sent[0]) as {
      messages: { role: string; content: unknown; tool_call_id?: string; tool_calls?: { id: string }[] }[];
    };
    const [assistant, tool] = messages.slice(2);
    expect(assistant.tool_calls?.[0].id).toBeTruthy();
    expect(tool).toEqual({
      role: 'tool',
      content: '{"status": "shipped"}',
      tool_call_id: assistant.tool_calls![0].id,
    });
  });

  it('opens a recorded generation with its exact request (Test in playground)', async (context) => {
    const tool = { type: 'function', function: { name: 'lookup_order', parameters: { type: 'object' } } };
    const response = await chatCompletion(baseUrl, apiKey, {
      model: 'mock-1',
      temperature: 0.7,
      tools: [tool],
      messages: [
        { role: 'system', content: 'You answer order questions.' },
        { role: 'user', content: 'Where is order 1234?' },
      ],
    });
    expect(response.status).toBe(200);
    const generation = response.headers.get('x-sightline-span-id')!;

    const { page } = await openPage(
      browser,
      context,
      `/playground?project=${projectId}&generation=${generation}`,
    );
    // The request is read from the event archive, written by the projector a moment later.
    await expect
      .poll(
        async () => {
          if (await page.getByTestId('loaded-from').isVisible()) return true;
          await page.reload();
          return page
            .getByTestId('loaded-from')
            .isVisible({ timeout: 2_000 })
            .catch(() => false);
        },
        { timeout: RUN_TIMEOUT_MS, interval: 500 },
      )
      .toBe(true);
    const contents = await page
      .getByTestId('turn-content')
      .evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value));
    expect(contents).toEqual(['You answer order questions.', 'Where is order 1234?']);
    expect(JSON.parse(await page.getByTestId('tools').inputValue())).toEqual([tool]);
    expect(await columns(page).first().getByTestId('column-model').inputValue()).toBe('mock-1');
  });

  it('opens a generation made with a prompt version as that version, variables read back, and its runs stay linked', async (context) => {
    const name = `e2e/opened-${Date.now()}`;
    await graphqlAs(
      baseUrl,
      owner,
      'mutation($p: ID, $i: PromptVersionInput!) { createPromptVersion(projectId: $p, input: $i) { version } }',
      {
        p: projectId,
        i: {
          name,
          messages: JSON.stringify([{ role: 'system', content: 'You help {{customer}} kindly.' }]),
          labels: [],
        },
      },
    );
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${apiKey}`,
        'x-sightline-prompt': `${name}@1`,
        'x-sightline-prompt-variables': '{"customer":"Ada"}',
      },
      body: JSON.stringify({ model: 'mock-1', messages: [{ role: 'user', content: 'Where is my parcel?' }] }),
    });
    expect(response.status).toBe(200);
    await response.text();
    const generation = response.headers.get('x-sightline-span-id')!;

    const { page } = await openPage(
      browser,
      context,
      `/playground?project=${projectId}&generation=${generation}`,
    );
    // The generation reaches the read model a moment after the answer: reload until it opens as the version.
    await expect
      .poll(
        async () => {
          const shown = await page
            .getByTestId('loaded-prompt')
            .isVisible({ timeout: 2_000 })
            .catch(() => false);
          if (!shown) await page.reload();
          return shown;
        },
        { timeout: RUN_TIMEOUT_MS, interval: 500 },
      )
      .toBe(true);
    expect(await page.getByTestId('loaded-prompt').innerText()).toBe(`${name} v1`);
    expect(await page.getByTestId('turn-content').first().inputValue()).toBe('You help {{customer}} kindly.');
    expect(await page.getByTestId('variable-customer').inputValue()).toBe('Ada');

    await page.getByTestId('variable-customer').fill('Grace');
    await page.getByTestId('run').click();
    await columns(page)
      .first()
      .and(page.locator('[data-status="done"]'))
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    const linked = async () =>
      (
        await graphqlAs<{ generations: { edges: unknown[] } }>(
          baseUrl,
          owner,
          'query($p: ID, $f: GenerationFilter) { generations(projectId: $p, filter: $f) { edges { node { id } } } }',
          { p: projectId, f: { prompt: { name, version: 1 } } },
        )
      ).generations.edges.length;
    await expect.poll(linked, { timeout: 15_000 }).toBe(2); // the original and the playground run
  });

  it('answers a tool call of a recorded agent step with the tool result recorded in its trace', async (context) => {
    const traceId = `agent-${Date.now()}`;
    const tools = [{ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object' } } }];
    const step = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${apiKey}`,
        'x-sightline-trace-id': traceId,
      },
      body: JSON.stringify({
        model: 'mock-1',
        tools,
        messages: [{ role: 'user', content: 'Where is order 9? [mock:tool:lookup_order]' }],
      }),
    });
    expect(step.status).toBe(200);
    await step.text();
    const generation = step.headers.get('x-sightline-span-id')!;
    // The agent ran the tool itself and sent its span (no call id: matched by the tool's name).
    const ingested = await fetch(`${baseUrl}/api/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        batch: [
          {
            id: crypto.randomUUID(),
            type: 'span',
            body: {
              traceId,
              spanId: `tool-${Date.now()}`,
              kind: 'tool',
              name: 'execute_tool lookup_order',
              startedAt: new Date().toISOString(),
              endedAt: new Date().toISOString(),
              output: { status: 'delivered' },
            },
          },
        ],
      }),
    });
    expect(ingested.status).toBe(207);

    const { page } = await openPage(
      browser,
      context,
      `/playground?project=${projectId}&generation=${generation}`,
    );
    const column = columns(page).first();
    // The request and the tool span reach the archive a moment later.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page
            .getByTestId('loaded-from')
            .waitFor({ timeout: 5_000 })
            .catch(() => undefined);
          if (!(await page.getByTestId('loaded-from').isVisible())) return false;
          await page.getByTestId('run').click();
          await column.and(page.locator('[data-status="done"]')).waitFor({ timeout: RUN_TIMEOUT_MS });
          return column.getByTestId('column-continue-recorded').isVisible();
        },
        { timeout: RUN_TIMEOUT_MS, interval: 500 },
      )
      .toBe(true);
    await column.getByTestId('column-continue-recorded').click();
    expect(await page.getByTestId('turn-content').last().inputValue()).toBe('{"status":"delivered"}');
    expect(await page.getByTestId('playground-error').count()).toBe(0);
  });

  it('saves the setup as a labelled prompt version that apps can fetch, and loads it back', async (context) => {
    const { page } = await openPage(browser, context, `/playground?project=${projectId}`);
    await columns(page).first().waitFor({ timeout: 15_000 });
    await userMessage(page, 'Summarise {{ticket}} for the on-call engineer');
    await page.getByTestId('prompt-name').fill('e2e/summary');
    await page.getByTestId('prompt-label').selectOption('production');
    await page.getByTestId('prompt-save').click();
    await expect
      .poll(() => page.getByTestId('prompt-status').innerText(), { timeout: 10_000 })
      .toMatch(/Saved e2e\/summary v1 \(latest, production\)/);

    const fetched = await fetch(
      `${baseUrl}/api/prompts/${encodeURIComponent('e2e/summary')}?label=production`,
      {
        headers: { authorization: `Bearer ${apiKey}` },
      },
    );
    expect(fetched.status).toBe(200);
    const prompt = (await fetched.json()) as { version: number; messages: { content: string }[] };
    expect(prompt.version).toBe(1);
    expect(prompt.messages[1].content).toBe('Summarise {{ticket}} for the on-call engineer');

    await userMessage(page, 'something else');
    await page.getByTestId('prompt-choice').selectOption('e2e/summary#1');
    await page.getByTestId('prompt-load').click();
    await expect
      .poll(() => page.getByTestId('turn-content').nth(1).inputValue(), { timeout: 10_000 })
      .toBe('Summarise {{ticket}} for the on-call engineer');

    // A run of the loaded version records it, as a gateway call with x-sightline-prompt does: the
    // generation is found by prompt version (analytics group by it; replay can swap it for another).
    await page.getByTestId('variable-ticket').fill('T-7: the printer is on fire');
    await page.getByTestId('run').click();
    await columns(page)
      .first()
      .and(page.locator('[data-status="done"]'))
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    const linked = async () =>
      (
        await graphqlAs<{ generations: { edges: { node: { model: string } }[] } }>(
          baseUrl,
          owner,
          'query($p: ID, $f: GenerationFilter) { generations(projectId: $p, filter: $f) { edges { node { model } } } }',
          { p: projectId, f: { prompt: { name: 'e2e/summary', version: 1 } } },
        )
      ).generations.edges.length;
    await expect.poll(linked, { timeout: 15_000 }).toBe(1);
  });
});
