import { CommandBus } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  newEventId,
  newSpanId,
  newTraceId,
  type BudgetState,
  type GenerationCompleted,
  type SightlineEvent,
} from '@sightline/schemas';
import { eventually } from '../../test/support/events';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';
import { createTestProject } from '../../test/support/accounts';
import { startGatewayApp } from '../../test/support/gateway-app';
import { Clock } from '../common/clock';
import { SYSTEM } from '../control/control-events';
import { ControlPlane } from '../control/control-plane';
import { parseApiKey } from '../control/credentials';
import { Pricing } from '../costs/pricing';
import { EventRecorder } from '../eventlog/event-recorder';
import type { ChatCompletionRequest } from '../providers/wire/chat-completions';
import { BudgetGuard } from './budget-guard';
import { CreateBudgetCommand, RemoveBudgetCommand, UpdateBudgetCommand } from './budgets.commands';
import { SpendHistory } from './spend-history';
import { formatUsd } from './usd';

const PARALLEL = 24;
/** The most-possible costs the hard limit holds at once. */
const FITS = 5;

/** Hard budgets through the real gateway, in front of the fake OpenAI server streaming slowly. */
describe('budgets at the gateway', () => {
  let fake: FakeOpenAiServer;
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  let projectId: string;
  const recorded: SightlineEvent[] = [];

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({ apiKey: 'sk-upstream', tokenIntervalMs: 10 });
    ({ app, base, apiKey } = await startGatewayApp(
      'budgets',
      { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-upstream' },
      recorded,
    ));
    projectId = app.get(ControlPlane).current.apiKeys.get(parseApiKey(apiKey)!.keyId)!.projectId;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const ask = (user: string): ChatCompletionRequest => ({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Tell me something about budgets.' }],
    max_tokens: 64,
    stream: true,
    stream_options: { include_usage: true },
    user,
  });
  const post = (path: string, body: object) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
    });
  const costOf = (event: GenerationCompleted): bigint =>
    app
      .get(Pricing)
      .costOf(
        projectId,
        event.data.servedBy!.model,
        'openai',
        event.data.usage,
        new Date(event.data.startedAt),
      ).totalNanoUsd;

  it('lets parallel calls spend no more than the hard limit, and refuses the rest with a 429 naming the budget', async () => {
    const [estimate] = app.get(Pricing).estimate(projectId, ask('alice'), ['gpt-4o-mini'], new Date());
    const most = estimate.maxNanoUsd;
    expect(most).toBeGreaterThan(0n);
    const hard = most * BigInt(FITS);
    const budget = await app.get(CommandBus).execute(
      new CreateBudgetCommand(SYSTEM, projectId, {
        name: 'Daily per user',
        scope: 'end-user',
        target: null,
        window: 'day',
        softLimitUsd: formatUsd(most),
        hardLimitUsd: formatUsd(hard),
      }),
    );

    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        const res = await post('/v1/chat/completions', ask('alice'));
        return { status: res.status, span: res.headers.get('x-sightline-span-id'), text: await res.text() };
      }),
    );
    const served = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(served.length + refused.length).toBe(PARALLEL);
    // At least what the limit holds at the most possible cost each; fewer than all.
    expect(served.length).toBeGreaterThanOrEqual(FITS);
    expect(refused.length).toBeGreaterThan(0);
    expect(JSON.parse(refused[0].text)).toEqual({
      error: {
        message: expect.stringContaining(
          "Budget 'Daily per user' of end user 'alice' is used up today (UTC)",
        ),
        type: 'insufficient_quota',
        param: null,
        code: 'budget_exceeded',
      },
    });
    expect(fake.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(served.length);

    // What the served calls really cost: within the limit, give or take one call's estimate error.
    const completed = await eventually(
      async () =>
        recorded.filter(
          (e): e is GenerationCompleted =>
            e.type === 'generation.completed' && served.some((s) => s.span === e.spanId),
        ),
      (found) => found.length === served.length,
    );
    const spent = completed.reduce((sum, e) => sum + costOf(e), 0n);
    const mostOne = completed.reduce((max, e) => (costOf(e) > max ? costOf(e) : max), 0n);
    expect(spent).toBeLessThanOrEqual(hard + mostOne);
    expect(spent).toBeGreaterThan(0n);

    // Bob's spend is his own.
    const bob = await post('/v1/chat/completions', ask('bob'));
    expect([bob.status, (await bob.text()).includes('data: [DONE]')]).toEqual([200, true]);

    // A soft and a hard alert for alice today, once each, readable through GraphQL.
    const alerts = await eventually(
      async () => {
        const res = await post('/graphql', {
          query: '{ budgetAlerts { budgetName level subject windowStart spentUsd limitUsd } }',
        });
        return ((await res.json()) as { data: { budgetAlerts: { level: string }[] } }).data.budgetAlerts;
      },
      (list) => list.length >= 2,
    );
    expect(alerts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ budgetName: 'Daily per user', level: 'SOFT', subject: 'alice' }),
        expect.objectContaining({ level: 'HARD', subject: 'alice', limitUsd: formatUsd(hard) }),
      ]),
    );
    expect(alerts).toHaveLength(2);

    // The budget's spend as the settings page shows it: alice first, nothing reserved any more.
    const listed = await post('/graphql', {
      query: '{ budgets { id spend { subject spentUsd reservedUsd } } }',
    });
    const [shown] = ((await listed.json()) as { data: { budgets: { id: string; spend: object[] }[] } }).data
      .budgets;
    expect(shown.id).toBe(budget.budgetId);
    expect(shown.spend[0]).toEqual({ subject: 'alice', spentUsd: formatUsd(spent), reservedUsd: '0' });

    // A restart: a fresh guard knows only the read model, and loads the same spend from it.
    const restarted = await eventually(
      async () => {
        const guard = new BudgetGuard(
          app.get(ControlPlane),
          app.get(Pricing),
          app.get(SpendHistory),
          app.get(Clock),
          app.get(EventRecorder),
        );
        await guard.onApplicationBootstrap();
        guard.onApplicationShutdown();
        return guard.spendOf(budget, new Date()).find((s) => s.subject === 'alice')?.settled ?? 0n;
      },
      (settled) => settled === spent,
    );
    expect(restarted).toBe(spent);
  }, 60_000);

  it('refuses in each endpoint’s wire format once the limit is reached, before calling the provider', async () => {
    const [budget] = [...app.get(ControlPlane).current.budgets.values()].filter(
      (b) => b.projectId === projectId,
    );
    // Lower the hard limit to nearly nothing: even a call priced at nothing is refused now.
    await app.get(CommandBus).execute(
      new UpdateBudgetCommand(SYSTEM, projectId, budget.budgetId, {
        name: budget.name,
        scope: budget.scope,
        target: null,
        window: 'day',
        softLimitUsd: null,
        hardLimitUsd: '0.000000001',
      }),
    );
    const calls = fake.requests.length;
    const anthropic = await fetch(`${base}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': apiKey,
        'x-sightline-user-id': 'alice',
      },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(anthropic.status).toBe(429);
    expect(anthropic.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await anthropic.json()).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: expect.stringContaining("Budget 'Daily per user'") },
      request_id: null,
    });

    const responses = await post('/v1/responses', { model: 'gpt-4o-mini', input: 'hi', user: 'alice' });
    expect(responses.status).toBe(429);
    expect(await responses.json()).toMatchObject({
      error: { type: 'insufficient_quota', code: 'budget_exceeded' },
    });

    const embeddings = await post('/v1/embeddings', {
      model: 'text-embedding-3-small',
      input: 'hi',
      user: 'alice',
    });
    expect(embeddings.status).toBe(429);
    expect(await embeddings.json()).toMatchObject({ error: { code: 'budget_exceeded' } });

    expect(fake.requests.length).toBe(calls);
  }, 30_000);

  it('refuses once a key’s or the project’s monthly hard budget is used up, naming it', async () => {
    const bus = app.get(CommandBus);
    for (const b of [...app.get(ControlPlane).current.budgets.values()].filter(
      (b) => b.projectId === projectId,
    ))
      await bus.execute(new RemoveBudgetCommand(SYSTEM, projectId, b.budgetId));
    const keyId = parseApiKey(apiKey)!.keyId;
    const limits = (
      name: string,
      scope: 'api-key' | 'project',
      target: string | null,
      hardLimitUsd: string,
    ) => ({
      name,
      scope,
      target,
      window: 'month' as const,
      softLimitUsd: null,
      hardLimitUsd,
    });
    /** A monthly budget with room, then used up (its hard limit lowered to a nano-dollar). */
    const budget = (name: string, scope: 'api-key' | 'project', target: string | null) =>
      bus.execute(new CreateBudgetCommand(SYSTEM, projectId, limits(name, scope, target, '1000')));
    const usedUp = (b: BudgetState) =>
      bus.execute(
        new UpdateBudgetCommand(
          SYSTEM,
          projectId,
          b.budgetId,
          limits(b.name, b.scope as 'api-key' | 'project', b.target, '0.000000001'),
        ),
      );
    const message = async () => {
      const res = await post('/v1/chat/completions', ask('dora'));
      return [res.status, ((await res.json()) as { error: { message: string } }).error?.message];
    };

    // Generous limits: the call goes through.
    const keyBudget = await budget('Monthly per key', 'api-key', keyId);
    const ok = await post('/v1/chat/completions', ask('dora'));
    expect(ok.status).toBe(200);
    await ok.text();

    // The key's budget used up: refused, naming it and the key.
    await usedUp(keyBudget);
    expect(await message()).toEqual([
      429,
      expect.stringMatching(
        new RegExp(`^Budget 'Monthly per key' of API key '${keyId}' is used up this month \\(UTC\\)`),
      ),
    ]);

    // The project's, resetting at the month's end.
    await bus.execute(new RemoveBudgetCommand(SYSTEM, projectId, keyBudget.budgetId));
    await usedUp(await budget('Monthly project cap', 'project', null));
    const [status, text] = await message();
    expect(status).toBe(429);
    expect(text).toMatch(/^Budget 'Monthly project cap' of this project is used up this month \(UTC\)/);
    expect(text).toMatch(/It resets at \d{4}-\d{2}-01T00:00:00.000Z\.$/);
  }, 30_000);

  it('refuses the very next call when a first budget is created below what the key already spent', async () => {
    // A fresh project: no budget yet, so nothing of its spend is counted in memory.
    const fresh = await createTestProject(app, 'budgets-first');
    const keyId = parseApiKey(fresh.apiKey)!.keyId;
    const call = (user: string) =>
      fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${fresh.apiKey}` },
        body: JSON.stringify(ask(user)),
      });
    const spans: (string | null)[] = [];
    for (const user of ['erin', 'erin']) {
      const res = await call(user);
      expect(res.status).toBe(200);
      spans.push(res.headers.get('x-sightline-span-id'));
      await res.text();
    }
    const completed = await eventually(
      async () =>
        recorded.filter(
          (e): e is GenerationCompleted => e.type === 'generation.completed' && spans.includes(e.spanId),
        ),
      (found) => found.length === 2,
    );
    const expected = completed.reduce((sum, e) => sum + costOf(e), 0n);
    // Not waiting for the read model: the budget's load waits for the projector to write both calls.
    const spent = { nano: expected };
    const [estimate] = app.get(Pricing).estimate(fresh.projectId, ask('erin'), ['gpt-4o-mini'], new Date());
    // A hard limit the next call alone fits in, but not on top of what the key already spent.
    const hard = estimate.maxNanoUsd;
    expect(spent.nano).toBeGreaterThan(0n);
    const budget = await app.get(CommandBus).execute(
      new CreateBudgetCommand(SYSTEM, fresh.projectId, {
        name: 'Key cap',
        scope: 'api-key',
        target: keyId,
        window: 'month',
        softLimitUsd: null,
        hardLimitUsd: formatUsd(hard),
      }),
    );
    const listed = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fresh.apiKey}` },
      body: JSON.stringify({ query: '{ budgets { id spend { subject spentUsd } } }' }),
    });
    expect(((await listed.json()) as { data: { budgets: object[] } }).data.budgets).toEqual([
      { id: budget.budgetId, spend: [{ subject: keyId, spentUsd: formatUsd(spent.nano) }] },
    ]);

    const calls = fake.requests.length;
    const refused = await call('erin');
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      new RegExp(
        `^Budget 'Key cap' of API key '${keyId}' is used up this month \\(UTC\\): USD ${formatUsd(spent.nano).replace('.', '\\.')} of`,
      ),
    );
    expect(fake.requests.length).toBe(calls);
  }, 30_000);

  it('counts generations ingested through /api/ingest and OTLP in the budget at once, as completed spend', async () => {
    const fresh = await createTestProject(app, 'budgets-ingest');
    const budget = await app.get(CommandBus).execute(
      new CreateBudgetCommand(SYSTEM, fresh.projectId, {
        name: 'Ingested',
        scope: 'project',
        target: null,
        window: 'month',
        softLimitUsd: '0.001',
        hardLimitUsd: null,
      }),
    );
    // The key that sent them is their spender, as for a gateway call (and as `SpendHistory` reads it back).
    const keyId = parseApiKey(fresh.apiKey)!.keyId;
    const keyBudget = await app.get(CommandBus).execute(
      new CreateBudgetCommand(SYSTEM, fresh.projectId, {
        name: 'Ingesting key',
        scope: 'api-key',
        target: keyId,
        window: 'month',
        softLimitUsd: null,
        hardLimitUsd: '100',
      }),
    );
    const guard = app.get(BudgetGuard);
    await guard.ready(fresh.projectId);
    const settled = () => guard.spendOf(budget, new Date())[0]?.settled ?? 0n;
    const keySettled = () => guard.spendOf(keyBudget, new Date())[0]?.settled ?? 0n;
    expect(settled()).toBe(0n);
    const res = await fetch(`${base}/api/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fresh.apiKey}` },
      body: JSON.stringify({
        batch: [
          {
            id: newEventId(),
            type: 'generation',
            body: {
              traceId: newTraceId(),
              spanId: newSpanId(),
              startedAt: new Date().toISOString(),
              endedAt: new Date().toISOString(),
              model: 'gpt-4o',
              provider: 'openai',
              usage: { inputTokens: 1000 },
            },
          },
        ],
      }),
    });
    expect(res.status).toBe(207);
    // 1,000 input tokens of gpt-4o at $2.50 per 1M; no restart, no new budget.
    await eventually(
      async () => settled(),
      (nano) => nano === 2_500_000n,
    );
    // And one exported over OTLP: 1,000 more.
    const start = BigInt(Date.now() - 1000) * 1_000_000n;
    const otlp = await fetch(`${base}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fresh.apiKey}` },
      body: JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: randomBytes(16).toString('hex'),
                    spanId: randomBytes(8).toString('hex'),
                    name: 'chat gpt-4o',
                    kind: 3,
                    startTimeUnixNano: String(start),
                    endTimeUnixNano: String(start + 200_000_000n),
                    attributes: [
                      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                      { key: 'gen_ai.system', value: { stringValue: 'openai' } },
                      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
                      { key: 'gen_ai.usage.input_tokens', value: { intValue: '1000' } },
                      { key: 'gen_ai.usage.output_tokens', value: { intValue: '0' } },
                    ],
                    status: {},
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(otlp.status).toBe(200);
    await eventually(
      async () => settled(),
      (nano) => nano === 5_000_000n,
    );
    expect(keySettled()).toBe(5_000_000n);
    // After a restart the same spend is read back from the generations rows, under the same key.
    const history = await eventually(
      () => app.get(SpendHistory).since([fresh.projectId], new Date(Date.now() - 86_400_000)),
      (rows) => rows.reduce((sum, r) => sum + BigInt(r.nano), 0n) === 5_000_000n,
    );
    expect(history.map((r) => r.apiKeyId)).toEqual([keyId]);
    // Past the soft limit: alerted like a gateway call crossing it.
    await eventually(
      async () =>
        [...app.get(ControlPlane).current.budgetAlerts.values()].filter(
          (a) => a.budgetId === budget.budgetId,
        ),
      (alerts) => alerts.length === 1 && alerts[0].level === 'soft',
    );
  }, 30_000);

  it('raises the soft alert at the next call when a budget is created with spend already past its soft limit', async () => {
    const fresh = await createTestProject(app, 'budgets-soft-past');
    const call = async () => {
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${fresh.apiKey}` },
        body: JSON.stringify(ask('frank')),
      });
      expect(res.status).toBe(200);
      await res.text();
    };
    await call();
    const budget = await app.get(CommandBus).execute(
      new CreateBudgetCommand(SYSTEM, fresh.projectId, {
        name: 'Already past',
        scope: 'project',
        target: null,
        window: 'month',
        softLimitUsd: '0.000000001',
        hardLimitUsd: null,
      }),
    );
    const guard = app.get(BudgetGuard);
    await guard.ready(fresh.projectId);
    expect(guard.spendOf(budget, new Date())[0].settled).toBeGreaterThan(0n);
    await call();
    const alerts = await eventually(
      async () =>
        [...app.get(ControlPlane).current.budgetAlerts.values()].filter(
          (a) => a.budgetId === budget.budgetId,
        ),
      (found) => found.length > 0,
    );
    expect(alerts).toEqual([expect.objectContaining({ level: 'soft', limitUsd: '0.000000001' })]);
  }, 30_000);
});
