import { CommandBus } from '@nestjs/cqrs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM } from '../control/control-events';
import { AppConfig } from '../config/app-config';
import { createApp } from '../create-app';
import { createTestProject } from '../../test/support/accounts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';
import { AddProjectModelCommand } from './project-models.commands';

interface Listed {
  object: string;
  data: { id: string; object: string; owned_by: string; sightline: { own: boolean; wire_model: string } }[];
}

/** The catalog over HTTP with OpenAI configured (and nothing else): what a project can call, and its own models. */
describe('models: /v1/models and a project’s own models through the gateway', () => {
  let fake: FakeOpenAiServer;
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ apiKey: 'sk-upstream' });
    app = await createApp(
      new AppConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-models-')),
        SIGHTLINE_UI_DIR: '',
        MOCK_TOKEN_INTERVAL_MS: '0',
        LOG_LEVEL: 'error',
        OPENAI_BASE_URL: fake.url,
        OPENAI_API_KEY: 'sk-upstream',
      }),
    );
    const project = await createTestProject(app, 'models');
    apiKey = project.apiKey;
    await app.get(CommandBus).execute(
      new AddProjectModelCommand(SYSTEM, project.projectId, {
        name: 'support-bot',
        provider: 'openai',
        wireModel: 'ft:gpt-4o-mini:acme::abc123',
        baseModel: 'gpt-4o-mini',
        contextWindow: null,
        maxOutputTokens: null,
        inputPerMTok: null,
        outputPerMTok: null,
      }),
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const get = (path: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });

  it('lists the project’s own model and the configured providers’ models, in OpenAI’s list shape', async () => {
    const res = await get('/v1/models');
    expect(res.status).toBe(200);
    const listed = (await res.json()) as Listed;
    expect(listed.object).toBe('list');
    const ids = listed.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['support-bot', 'gpt-4o', 'mock-1']));
    expect(ids).not.toContain('claude-sonnet-4-5-20250929'); // Anthropic is not configured
    expect(listed.data.find((m) => m.id === 'support-bot')).toMatchObject({
      object: 'model',
      owned_by: 'openai',
      sightline: { own: true, wire_model: 'ft:gpt-4o-mini:acme::abc123' },
    });
  });

  it('retrieves one model, ids with slashes too, and answers 404 with close matches otherwise', async () => {
    expect(((await (await get('/v1/models/gpt-4o')).json()) as { id: string }).id).toBe('gpt-4o');
    const missing = await get('/v1/models/gpt-4oo');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: { code: 'model_not_found', message: expect.stringContaining("Did you mean 'gpt-4o'") as string },
    });
  });

  it('sends a call to the project’s own model under its wire name', async () => {
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ model: 'support-bot', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(fake.requests.at(-1)!.body).toMatchObject({ model: 'ft:gpt-4o-mini:acme::abc123' });
  });

  it('names the missing credential of a known model whose provider is not configured', async () => {
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        code: 'provider_not_configured',
        message: expect.stringContaining('set ANTHROPIC_API_KEY') as string,
      },
    });
  });
});
