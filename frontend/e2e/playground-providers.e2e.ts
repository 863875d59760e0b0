// The playground against a fake provider server (OpenAI's wire format on loopback), in a project of
// its own routed there: two models side by side where one provider call fails and the other streams
// on to a structured answer; and a model without tool support asked to use tools, refused before
// anything is sent; a recorded request whose model is gone since, replayed: explained, with the
// catalog's closest model offered.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { graphqlAs, unique } from './api';
import { launchBrowser, type Browser } from './browser';
import { openPage } from './pages';
import { resultsDir } from './paths';

const baseUrl = inject('baseUrl');
const defaultProject = inject('projectId');
const owner = inject('ownerCookies');
const RUN_TIMEOUT_MS = 20_000;
const ANSWER = '{"city": "Lyon", "country": "France"}';

let browser: Browser;
let upstream: Server;
/** The models the fake provider was asked for, in order. */
const asked: string[] = [];
let projectId: string;
let upstreamUrl: string;

/** `gpt-4o` fails with OpenAI's 500; any other model streams ANSWER a few characters at a time. */
function fakeOpenAi(): Server {
  return createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', async () => {
      const { model } = JSON.parse(raw) as { model: string };
      asked.push(model);
      if (model === 'gpt-4o') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: object, extra: object = {}) =>
        res.write(
          `data: ${JSON.stringify({ id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`,
        );
      chunk({ role: 'assistant', content: '' });
      for (let i = 0; i < ANSWER.length; i += 6) {
        await new Promise((r) => setTimeout(r, 30));
        chunk({ content: ANSWER.slice(i, i + 6) });
      }
      res.write(
        `data: ${JSON.stringify({ id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
      );
      res.write(
        `data: ${JSON.stringify({ id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 0, model, choices: [], usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 } })}\n\n`,
      );
      res.end('data: [DONE]\n\n');
    });
  });
}

beforeAll(async () => {
  browser = await launchBrowser(owner);
  upstream = fakeOpenAi();
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;

  // A project of its own: its provider key and model change nothing for the other tests.
  const { viewer } = await graphqlAs<{
    viewer: { projects: { id: string; organization: { id: string } }[] };
  }>(baseUrl, owner, '{ viewer { projects { id organization { id } } } }');
  const organizationId = viewer.projects.find((p) => p.id === defaultProject)!.organization.id;
  projectId = (
    await graphqlAs<{ createProject: { id: string } }>(
      baseUrl,
      owner,
      'mutation($o: ID!, $n: String!) { createProject(organizationId: $o, name: $n) { id } }',
      { o: organizationId, n: unique('fake provider') },
    )
  ).createProject.id;
  await graphqlAs(
    baseUrl,
    owner,
    'mutation($p: ID!, $i: AddProviderCredentialInput!) { addProviderCredential(projectId: $p, input: $i) { id } }',
    { p: projectId, i: { provider: 'openai', label: 'fake', secret: 'sk-fake-e2e', baseUrl: upstreamUrl } },
  );
  // A project model with no catalog base: no tool support, no structured output.
  await graphqlAs(
    baseUrl,
    owner,
    'mutation($p: ID!, $i: AddProjectModelInput!) { addProjectModel(projectId: $p, input: $i) { id } }',
    { p: projectId, i: { name: 'fake-plain', provider: 'openai', wireModel: 'fake-plain' } },
  );
});

afterAll(async () => {
  await browser?.close();
  upstream?.close();
});

/** Reloads until `testid` shows: what was recorded reaches the read models a moment later. */
async function reloadUntil(page: Page, testid: string): Promise<void> {
  await expect
    .poll(
      async () => {
        if (await page.getByTestId(testid).isVisible()) return true;
        await page.reload();
        return page
          .getByTestId(testid)
          .isVisible({ timeout: 2_000 })
          .catch(() => false);
      },
      { timeout: RUN_TIMEOUT_MS, interval: 500 },
    )
    .toBe(true);
}

const columns = (page: Page) => page.getByTestId('playground-column');

async function openPlayground(context: Parameters<typeof openPage>[1]): Promise<Page> {
  const { page } = await openPage(browser, context, `/playground?project=${projectId}`);
  await columns(page).first().waitFor({ timeout: 15_000 });
  await page.getByTestId('turn-content').nth(1).fill('Where is Lyon? Answer as JSON.');
  return page;
}

describe('playground on a fake provider server', () => {
  it('runs two models side by side; one provider call fails, the other streams on to a valid structured answer', async (context) => {
    const page = await openPlayground(context);
    await columns(page).first().getByTestId('column-model').selectOption('gpt-4o-mini');
    await page.getByTestId('add-column').click();
    await columns(page).nth(1).getByTestId('column-model').selectOption('gpt-4o');
    await page
      .getByTestId('schema')
      .fill(
        '{"type": "object", "required": ["city", "country"], "properties": {"city": {"type": "string"}}}',
      );
    asked.length = 0;
    await page.getByTestId('run').click();

    const ok = columns(page).nth(0);
    const failed = columns(page).nth(1);
    await failed.and(page.locator('[data-status="failed"]')).waitFor({ timeout: RUN_TIMEOUT_MS });
    await ok.and(page.locator('[data-status="done"]')).waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await failed.getByTestId('column-error').innerText()).toMatch(/server had an error|500/i);
    expect(await ok.getByTestId('column-output').innerText()).toContain(ANSWER);
    expect(await ok.getByTestId('column-error').count()).toBe(0);
    expect(await ok.getByTestId('column-tokens').innerText()).toMatch(/12 → 9$/);
    expect(await ok.getByTestId('column-ttft').innerText()).toMatch(/^\d[\d,]* ms$/);
    expect(await ok.getByTestId('column-structured').getAttribute('data-valid')).toBe('true');
    // The cost as recorded (12 input, 9 output tokens at gpt-4o-mini's $0.15 / $0.60 per million).
    await expect
      .poll(() => ok.getByTestId('column-cost').innerText(), { timeout: 15_000 })
      .toBe('$0.00000720');
    expect(await ok.getByTestId('column-parsed').innerText()).toMatch(/city[\s\S]*"Lyon"/);
    // The gateway retried the failing one (a 5xx); the other was asked once.
    expect(asked.filter((m) => m === 'gpt-4o-mini')).toHaveLength(1);
    expect(asked).toContain('gpt-4o');
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.screenshot({ path: path.join(resultsDir, `playground-fake-${theme}.png`), fullPage: true });
    }
  });

  it('refuses tools on a model without tool support before anything is sent', async (context) => {
    const page = await openPlayground(context);
    await columns(page).first().getByTestId('column-model').selectOption('fake-plain');
    await page
      .getByTestId('tools')
      .fill('[{"type": "function", "function": {"name": "lookup_city", "parameters": {"type": "object"}}}]');
    asked.length = 0;
    await page.getByTestId('run').click();
    expect(await page.getByTestId('playground-error').innerText()).toBe('fake-plain does not support tools');
    expect(await columns(page).first().getAttribute('data-status')).toBe('idle');
    await page.waitForTimeout(300);
    expect(asked).toEqual([]);
  });

  it('explains a replay whose model is gone since it was recorded, offering the closest catalog model', async (context) => {
    const { createApiKey } = await graphqlAs<{ createApiKey: { secret: string } }>(
      baseUrl,
      owner,
      'mutation($p: ID!, $n: String!) { createApiKey(projectId: $p, name: $n) { secret } }',
      { p: projectId, n: unique('replay key') },
    );
    const { addProjectModel } = await graphqlAs<{ addProjectModel: { projectModelId: string } }>(
      baseUrl,
      owner,
      'mutation($p: ID!, $i: AddProjectModelInput!) { addProjectModel(projectId: $p, input: $i) { projectModelId } }',
      { p: projectId, i: { name: 'gtp-4o-mini', provider: 'openai', wireModel: 'gpt-4o-mini' } },
    );
    const answer = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${createApiKey.secret}` },
      body: JSON.stringify({ model: 'gtp-4o-mini', messages: [{ role: 'user', content: 'Hi there' }] }),
    });
    expect(answer.status).toBe(200);
    await answer.text();
    const generationId = answer.headers.get('x-sightline-span-id')!;
    await graphqlAs(
      baseUrl,
      owner,
      'mutation($p: ID!, $id: ID!) { removeProjectModel(projectId: $p, id: $id) }',
      {
        p: projectId,
        id: addProjectModel.projectModelId,
      },
    );

    const { page } = await openPage(browser, context, `/replays/${generationId}?project=${projectId}`);
    await reloadUntil(page, 'replay-original');
    expect(await page.getByTestId('replay-model-picker').inputValue()).toBe('gtp-4o-mini');
    asked.length = 0;
    await page.getByTestId('replay-submit').click();
    await page.getByTestId('replay-error').waitFor({ timeout: RUN_TIMEOUT_MS });
    expect(await page.getByTestId('replay-error').innerText()).toMatch(
      // A project model removed since: the message says so and offers its base model first.
      /^'gtp-4o-mini' was a model of this project \(openai 'gpt-4o-mini'\), removed on \d{4}-\d{2}-\d{2}: no provider serves it now\. Closest models in the catalog: 'gpt-4o-mini'/,
    );
    expect(asked).toEqual([]);
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.screenshot({
        path: path.join(resultsDir, `replay-model-gone-${theme}.png`),
        fullPage: true,
      });
    }
  });
});
