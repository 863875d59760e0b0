import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { eventually } from '../../test/support/events';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';
import { startGatewayApp } from '../../test/support/gateway-app';
import { CallerResolver } from '../auth/caller';
import { AppConfig } from '../config/app-config';
import { createApp } from '../create-app';
import { RecordedRequests } from '../playground/recorded-requests';

interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string; param?: string } }[];
}

const REPLAY = `mutation($id: ID!, $overrides: ReplayOverridesInput, $key: String) {
  replayGeneration(generationId: $id, overrides: $overrides, idempotencyKey: $key) { generationId traceId replayOf status }
}`;
const SAVE_VIEW = `mutation($input: SavedViewInput!, $key: String) { saveView(input: $input, idempotencyKey: $key) { id name } }`;
const CREATE_PROMPT = `mutation($input: PromptVersionInput!, $key: String) {
  createPromptVersion(input: $input, idempotencyKey: $key) { name version }
}`;
const START_EXPERIMENT = `mutation($input: StartExperimentInput!, $key: String!) {
  startExperiment(input: $input, idempotencyKey: $key) { id items }
}`;

/**
 * Idempotency keys over GraphQL on the whole app (embedded log, chDB, a fake OpenAI server behind
 * the gateway): a retried create writes once, a retried replay calls the provider once, the same
 * key with another input is CONFLICT `idempotency_key_reused`, and it all holds across a restart.
 */
describe('idempotency keys on create mutations over GraphQL', () => {
  let fake: FakeOpenAiServer;
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  let env: Record<string, string>;
  const tag = `idem-${randomUUID().slice(0, 8)}`;
  let original: string;

  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<Answer<T>> => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Answer<T>;
  };
  const chatCalls = () => fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
  const reasonOf = (answer: Answer<unknown>) => answer.errors?.[0]?.extensions;
  const view = (name: string) => ({
    name,
    query: 'range=24h',
    columns: ['time', 'name'],
    sortField: 'LATENCY_MS',
    sortDirection: 'DESC',
  });

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ tokenIntervalMs: 20 }); // a replay takes a moment: retries overlap it
    env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-idem-')),
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: 'sk-upstream',
      SIGHTLINE_MAX_ATTEMPTS: '1',
    };
    ({ app, base, apiKey } = await startGatewayApp('idempotency', env));
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        'x-sightline-tags': tag,
      },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Where is my parcel?' }],
      }),
    });
    expect(res.status).toBe(200);
    await res.text();
    original = res.headers.get('x-sightline-span-id')!;
    const callers = app.get(CallerResolver);
    const access = callers.authorize(
      callers.fromHttp({ headers: { authorization: `Bearer ${apiKey}` } }),
      undefined,
      'member',
    );
    await eventually(
      () =>
        app
          .get(RecordedRequests)
          .get(access.projectId, original)
          .catch(() => undefined),
      (r) => r !== undefined,
    );
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('given a replay made with a key, when it is retried (after and while it runs), then the provider is called once and both get its answer', async () => {
    const before = chatCalls();
    const first = await graphql<{ replayGeneration: { generationId: string } }>(REPLAY, {
      id: original,
      key: 'r-1',
    });
    const retried = await graphql<{ replayGeneration: { generationId: string } }>(REPLAY, {
      id: original,
      key: 'r-1',
    });
    expect(first.errors).toBeUndefined();
    expect(retried.data).toEqual(first.data);
    expect(chatCalls()).toBe(before + 1);

    const [a, b] = await Promise.all([
      graphql<{ replayGeneration: unknown }>(REPLAY, { id: original, key: 'r-2' }),
      graphql<{ replayGeneration: unknown }>(REPLAY, { id: original, key: 'r-2' }),
    ]);
    expect(a.data).toEqual(b.data);
    expect(chatCalls()).toBe(before + 2);

    const unkeyed = await graphql(REPLAY, { id: original });
    expect(unkeyed.errors).toBeUndefined();
    expect(chatCalls()).toBe(before + 3); // without a key, every call replays
  });

  it('given a replay made with a key, when the key comes back with other overrides, then CONFLICT idempotency_key_reused and no call', async () => {
    await graphql(REPLAY, { id: original, key: 'r-3' });
    const before = chatCalls();
    const reused = await graphql(REPLAY, { id: original, key: 'r-3', overrides: { model: 'gpt-4o' } });
    expect(reasonOf(reused)).toMatchObject({ code: 'CONFLICT', reason: 'idempotency_key_reused' });
    expect(chatCalls()).toBe(before);
  });

  it('given a saved view and a prompt version made with keys, when retried, then one of each exists and the retry answers the first', async () => {
    const name = `view-${tag}`;
    const first = await graphql<{ saveView: { id: string } }>(SAVE_VIEW, { input: view(name), key: 'v-1' });
    const retried = await graphql<{ saveView: { id: string } }>(SAVE_VIEW, { input: view(name), key: 'v-1' });
    expect(retried.data).toEqual(first.data);
    const views = await graphql<{ savedViews: { name: string }[] }>('{ savedViews { name } }');
    expect(views.data!.savedViews.filter((v) => v.name === name)).toHaveLength(1);
    expect(reasonOf(await graphql(SAVE_VIEW, { input: view(`${name}-2`), key: 'v-1' }))).toMatchObject({
      code: 'CONFLICT',
      reason: 'idempotency_key_reused',
    });

    const prompt = { name: `p-${tag}`, messages: JSON.stringify([{ role: 'user', content: 'Hi {{name}}' }]) };
    const v1 = await graphql<{ createPromptVersion: { version: number } }>(CREATE_PROMPT, {
      input: prompt,
      key: 'p-1',
    });
    const again = await graphql<{ createPromptVersion: { version: number } }>(CREATE_PROMPT, {
      input: prompt,
      key: 'p-1',
    });
    expect(again.data).toEqual(v1.data);
    expect(v1.data!.createPromptVersion.version).toBe(1);
    const fresh = await graphql<{ createPromptVersion: { version: number } }>(CREATE_PROMPT, {
      input: prompt,
      key: 'p-2',
    });
    expect(fresh.data!.createPromptVersion.version).toBe(2); // another key is another intent
  });

  it('given an experiment started with a key, when the start is retried, then it is the same experiment; other input is refused', async () => {
    const input = {
      filter: { tags: [tag] },
      configurations: [{ model: 'mock-1' }],
      concurrency: 1,
      budget: '5',
    };
    const first = await graphql<{ startExperiment: { id: string } }>(START_EXPERIMENT, { input, key: 'e-1' });
    expect(first.errors).toBeUndefined();
    const retried = await graphql<{ startExperiment: { id: string } }>(START_EXPERIMENT, {
      input,
      key: 'e-1',
    });
    expect(retried.data!.startExperiment.id).toBe(first.data!.startExperiment.id);
    const list = await graphql<{ experiments: { id: string }[] }>('{ experiments { id } }');
    expect(list.data!.experiments.filter((e) => e.id === first.data!.startExperiment.id)).toHaveLength(1);
    const other = await graphql(START_EXPERIMENT, { input: { ...input, budget: '6' }, key: 'e-1' });
    expect(reasonOf(other)).toMatchObject({ code: 'CONFLICT', reason: 'idempotency_key_reused' });
  });

  it('a blank or over-long key is BAD_USER_INPUT invalid_idempotency_key, nothing written', async () => {
    for (const key of [' ', 'k'.repeat(129)]) {
      const answer = await graphql(SAVE_VIEW, { input: view(`bad-${tag}`), key });
      expect(reasonOf(answer)).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'invalid_idempotency_key',
        param: 'idempotencyKey',
      });
    }
    const views = await graphql<{ savedViews: { name: string }[] }>('{ savedViews { name } }');
    expect(views.data!.savedViews.some((v) => v.name === `bad-${tag}`)).toBe(false);
  });

  it('given a replay and a view made with keys, when the process restarts and they are retried, then nothing runs or is written again', async () => {
    const replay = await graphql<{ replayGeneration: unknown }>(REPLAY, { id: original, key: 'r-restart' });
    const saved = await graphql<{ saveView: unknown }>(SAVE_VIEW, {
      input: view(`restart-${tag}`),
      key: 'v-restart',
    });
    await app.close();

    app = await createApp(
      new AppConfig({ PORT: '0', HOST: '127.0.0.1', SIGHTLINE_UI_DIR: '', LOG_LEVEL: 'error', ...env }),
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const before = chatCalls();

    expect((await graphql(REPLAY, { id: original, key: 'r-restart' })).data).toEqual(replay.data);
    expect((await graphql(SAVE_VIEW, { input: view(`restart-${tag}`), key: 'v-restart' })).data).toEqual(
      saved.data,
    );
    expect(chatCalls()).toBe(before);
    const views = await graphql<{ savedViews: { name: string }[] }>('{ savedViews { name } }');
    expect(views.data!.savedViews.filter((v) => v.name === `restart-${tag}`)).toHaveLength(1);
  }, 120_000);
});
