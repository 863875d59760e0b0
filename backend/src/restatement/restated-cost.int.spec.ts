import { CommandBus } from '@nestjs/cqrs';
import { newEventId, newSpanId, newTraceId } from '@sightline/schemas';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AddProjectModelCommand, RemoveProjectModelCommand } from '../catalog/project-models.commands';
import { SYSTEM } from '../control/control-events';
import { createTestProject } from '../../test/support/accounts';
import { eventually } from '../../test/support/events';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';
import { startGatewayApp } from '../../test/support/gateway-app';
import { graphqlHttp, type Credential } from '../../test/isolation/client';
import { login } from '../../test/isolation/world';

const GENERATIONS = `query ($projectId: ID) {
  generations(projectId: $projectId, first: 50) {
    edges { node { spanId cost priceVersion restatedCost { cost priceVersion restatementId costBreakdown { input output } } } }
  }
}`;
const START = `mutation ($projectId: ID, $key: String!) {
  startRestatement(projectId: $projectId, idempotencyKey: $key) { id status generations }
}`;
const RESTATEMENT = `query ($projectId: ID, $id: ID!) {
  restatement(projectId: $projectId, id: $id) {
    id status active generations ingestedCost restatedCost costDifference
    progress { eventsDone eventsTotal fraction etaSeconds }
  }
}`;

const BROKEN = `query ($projectId: ID) {
  generations(projectId: $projectId, first: 50) {
    edges { node { spanId status inputTokens outputTokens cost priceVersion restatedCost { cost priceVersion restatementId } } }
  }
}`;
const TRACE = `query ($projectId: ID, $id: ID!) {
  trace(projectId: $projectId, id: $id) {
    spans { id cost priceVersion }
    restatedCosts { spanId restatedCost { cost priceVersion } }
  }
}`;

interface BrokenRow {
  spanId: string;
  status: string;
  inputTokens: number;
  outputTokens: number;
  cost: string | null;
  priceVersion: string | null;
  restatedCost: { cost: string; priceVersion: string; restatementId: string } | null;
}

interface TraceCosts {
  spans: { id: string; cost: string | null; priceVersion: string | null }[];
  restatedCosts: { spanId: string; restatedCost: { cost: string; priceVersion: string } }[];
}

interface Listed {
  spanId: string;
  cost: string | null;
  priceVersion: string | null;
  restatedCost: {
    cost: string;
    priceVersion: string;
    restatementId: string;
    costBreakdown: { input: string; output: string };
  } | null;
}

/** nano-USD → the GraphQL decimal string (9 decimals). */
const usd = (nano: bigint): string =>
  `${nano / 1_000_000_000n}.${(nano % 1_000_000_000n).toString().padStart(9, '0')}`;

/**
 * Known generations recorded through the gateway (fake OpenAI) at a project model's price; the price
 * changes; a restatement started over GraphQL re-prices them: the cost at ingestion stays, the
 * restated cost is the new price.
 */
describe('restated cost beside the cost at ingestion', () => {
  let fake: FakeOpenAiServer;
  let app: NestExpressApplication;
  let base: string;
  let otherKey: string;
  let project: Awaited<ReturnType<typeof createTestProject>>;
  let broken: Awaited<ReturnType<typeof createTestProject>>;
  let admin: Credential;
  let brokenAdmin: Credential;
  const sent: { spanId: string; promptTokens: number; completionTokens: number }[] = [];
  const upstream = { tokenIntervalMs: 0 };

  const gql = async <T>(query: string, variables: Record<string, unknown>, as: Credential = admin) => {
    const out = await graphqlHttp(base, as, query, variables);
    if (out.gql?.errors?.length) throw new Error(JSON.stringify(out.gql.errors));
    return out.gql!.data as T;
  };
  const listed = async (projectId: string) =>
    (
      await gql<{ generations: { edges: { node: Listed }[] } }>(GENERATIONS, { projectId })
    ).generations.edges.map((e) => e.node);
  const addModel = (inputPerMTok: number, outputPerMTok: number, projectId = project.projectId) =>
    app.get(CommandBus).execute(
      new AddProjectModelCommand(SYSTEM, projectId, {
        name: 'acme-ft',
        provider: 'openai',
        wireModel: 'ft:gpt-4o-mini:acme::restate',
        baseModel: null,
        contextWindow: null,
        maxOutputTokens: null,
        inputPerMTok,
        outputPerMTok,
      }),
    );
  const chat = async (apiKey: string, content: string, model = 'acme-ft') => {
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    return {
      spanId: res.headers.get('x-sightline-span-id')!,
      promptTokens: body.usage.prompt_tokens,
      completionTokens: body.usage.completion_tokens,
    };
  };

  const post = (apiKey: string, body: unknown, signal?: AbortSignal) =>
    fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
      signal,
    });
  /** A streamed call read to its end (a `[mock:fail:n]` one breaks off mid-way); its span id. */
  const stream = async (apiKey: string, content: string) => {
    const res = await post(apiKey, { model: 'acme-ft', stream: true, messages: [{ role: 'user', content }] });
    await res.text();
    return res.headers.get('x-sightline-span-id')!;
  };
  /** A slow stream the caller leaves after its first tokens; its span id. */
  const cancelledStream = async (apiKey: string, projectId: string) => {
    upstream.tokenIntervalMs = 30;
    try {
      const abort = new AbortController();
      const res = await post(
        apiKey,
        {
          model: 'acme-ft',
          stream: true,
          messages: [{ role: 'user', content: 'Slowly. [mock:tokens:200]' }],
        },
        abort.signal,
      );
      const reader = res.body!.getReader();
      let text = '';
      while (!/"content":"[^"]/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
      abort.abort();
      const spanId = res.headers.get('x-sightline-span-id')!;
      // Paced until its end is recorded: at full speed a loaded gateway could finish the answer
      // upstream before it notices the caller left.
      await eventually(
        () => brokenRows(projectId, [spanId]),
        (rows) => rows.length === 1,
      );
      return spanId;
    } finally {
      upstream.tokenIntervalMs = 0;
    }
  };
  /** Generation spans reported through `POST /api/ingest`, whole, in one trace. */
  const ingest = async (apiKey: string, traceId: string, spans: Record<string, unknown>[]) => {
    const now = new Date().toISOString();
    const res = await fetch(`${base}/api/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        batch: spans.map((body) => ({
          id: newEventId(),
          type: 'generation',
          body: { traceId, model: 'acme-ft', startedAt: now, endedAt: now, ...body },
        })),
      }),
    });
    expect(res.status).toBe(207);
    expect(await res.json()).toMatchObject({ errors: [] });
  };
  const brokenRows = async (projectId: string, spanIds: readonly string[]) =>
    (
      await gql<{ generations: { edges: { node: BrokenRow }[] } }>(BROKEN, { projectId }, brokenAdmin)
    ).generations.edges
      .map((e) => e.node)
      .filter((row) => spanIds.includes(row.spanId));
  const traceCosts = async (id: string) =>
    (await gql<{ trace: TraceCosts | null }>(TRACE, { projectId: broken.projectId, id }, brokenAdmin)).trace;

  beforeAll(async () => {
    fake = await startFakeOpenAiServer(upstream);
    ({
      app,
      base,
      apiKey: otherKey,
    } = await startGatewayApp('restate', {
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: 'sk-upstream',
      SIGHTLINE_MAX_ATTEMPTS: '1',
    }));
    project = await createTestProject(app, 'restate');
    broken = await createTestProject(app, 'restate-broken');
    brokenAdmin = await login(base, broken.user.email, broken.password);
    admin = await login(base, project.user.email, project.password);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('records known generations at $2 / $8 per 1M tokens, then restates them at $1 / $3: cost kept, restated cost new', async () => {
    const first = await addModel(2, 8);
    for (const text of ['one', 'two words', 'three more words']) sent.push(await chat(project.apiKey, text));
    const other = await chat(otherKey, 'not this project', 'gpt-4o-mini');
    const before = await eventually(
      () => listed(project.projectId),
      (rows) => rows.length === sent.length,
    );
    const old = (s: (typeof sent)[number]) =>
      BigInt(s.promptTokens) * 2000n + BigInt(s.completionTokens) * 8000n;
    for (const s of sent) {
      expect(before.find((r) => r.spanId === s.spanId)).toMatchObject({
        cost: usd(old(s)),
        restatedCost: null,
      });
    }

    // The price changes: the model is added again with its new price, in force from today.
    await app
      .get(CommandBus)
      .execute(new RemoveProjectModelCommand(SYSTEM, project.projectId, first.modelId));
    const second = await addModel(1, 3);

    const { startRestatement } = await gql<{ startRestatement: { id: string; status: string } }>(START, {
      projectId: project.projectId,
      key: 'price-change-1',
    });
    expect(startRestatement.status).toBe('RUNNING');
    const done = await eventually(
      async () =>
        (
          await gql<{ restatement: { status: string; generations: number; progress: { fraction: number } } }>(
            RESTATEMENT,
            { projectId: project.projectId, id: startRestatement.id },
          )
        ).restatement,
      (r) => r.status !== 'RUNNING',
    );
    expect(done).toMatchObject({ status: 'FINISHED', generations: sent.length, progress: { fraction: 1 } });
    // The job totals what the known set cost at ingestion and restated, to the nano-dollar.
    const sumOf = (cost: (s: (typeof sent)[number]) => bigint) => sent.reduce((t, s) => t + cost(s), 0n);
    const ingestedTotal = sumOf(old);
    const restatedTotal = sumOf((s) => BigInt(s.promptTokens) * 1000n + BigInt(s.completionTokens) * 3000n);
    expect(restatedTotal).toBeLessThan(ingestedTotal);
    expect(done).toMatchObject({
      ingestedCost: usd(ingestedTotal),
      restatedCost: usd(restatedTotal),
      costDifference: `-${usd(ingestedTotal - restatedTotal)}`,
    });

    const after = await listed(project.projectId);
    for (const s of sent) {
      const input = BigInt(s.promptTokens) * 1000n;
      const output = BigInt(s.completionTokens) * 3000n;
      expect(after.find((r) => r.spanId === s.spanId)).toEqual({
        spanId: s.spanId,
        cost: usd(old(s)),
        priceVersion: `project-model:${first.modelId}`,
        restatedCost: {
          cost: usd(input + output),
          priceVersion: `project-model:${second.modelId}`,
          restatementId: startRestatement.id,
          costBreakdown: { input: usd(input), output: usd(output) },
        },
      });
    }
    // The other project's generation was not restated.
    const others = await gql<{ generations: { edges: { node: Listed }[] } }>(
      GENERATIONS,
      {},
      { kind: 'key', key: otherKey },
    );
    expect(
      others.generations.edges.find((e) => e.node.spanId === other.spanId)?.node.restatedCost,
    ).toBeNull();

    // Starting again with the same key answers the same job and re-prices nothing more.
    const again = await gql<{ startRestatement: { id: string; status: string } }>(START, {
      projectId: project.projectId,
      key: 'price-change-1',
    });
    expect(again.startRestatement).toEqual({
      id: startRestatement.id,
      status: 'FINISHED',
      generations: sent.length,
    });
  });

  it('restates failed, cancelled and ingested generations too: each keeps its cost at ingestion, a caller-supplied cost stays as it was', async () => {
    const first = await addModel(4, 16, broken.projectId);
    const failed = await stream(broken.apiKey, 'Tell me a long story. [mock:fail:3]');
    const refused = await post(broken.apiKey, {
      model: 'acme-ft',
      messages: [{ role: 'user', content: 'no [mock:error:500]' }],
    });
    expect(refused.status).toBe(500);
    const cancelled = await cancelledStream(broken.apiKey, broken.projectId);
    const traceId = newTraceId();
    const reported = { spanId: newSpanId(), inputTokens: 1000, outputTokens: 100 };
    const callers = { spanId: newSpanId(), cost: '0.000123456' };
    await ingest(broken.apiKey, traceId, [
      { spanId: reported.spanId, usage: { inputTokens: 1000, outputTokens: 100 } },
      { spanId: callers.spanId, usage: { inputTokens: 5000, outputTokens: 500 }, cost: callers.cost },
    ]);
    const ends = [failed, refused.headers.get('x-sightline-span-id')!, cancelled];
    const before = await eventually(
      () => brokenRows(broken.projectId, ends),
      (rows) => rows.length === 3,
    );
    const spans = await eventually(
      () => traceCosts(traceId),
      (detail) => detail !== null && detail.spans.length === 2,
    );

    // At ingestion: $4 / $16 per 1M tokens = 4,000 / 16,000 nano-USD a token.
    const at = (row: { inputTokens: number; outputTokens: number }, input: bigint, output: bigint) =>
      usd(BigInt(row.inputTokens) * input + BigInt(row.outputTokens) * output);
    const [failedRow, refusedRow, cancelledRow] = ends.map((id) => before.find((r) => r.spanId === id)!);
    expect(failedRow).toMatchObject({ status: 'FAILED', cost: at(failedRow, 4000n, 16_000n) });
    expect(failedRow.outputTokens).toBeGreaterThan(0);
    expect(cancelledRow).toMatchObject({ status: 'CANCELLED', cost: at(cancelledRow, 4000n, 16_000n) });
    expect(cancelledRow.outputTokens).toBeGreaterThan(0);
    expect(refusedRow).toMatchObject({ status: 'FAILED', cost: '0.000000000', priceVersion: 'not_billed' });
    for (const row of [failedRow, cancelledRow])
      expect(row.priceVersion).toBe(`project-model:${first.modelId}`);
    const span = (id: string) => spans!.spans.find((s) => s.id === id);
    // 1,000 × 4,000 + 100 × 16,000 = 5,600,000 nano-USD.
    expect(span(reported.spanId)).toMatchObject({
      cost: '0.005600000',
      priceVersion: `project-model:${first.modelId}`,
    });
    expect(span(callers.spanId)).toMatchObject({ cost: '0.000123456', priceVersion: 'caller' });

    await app.get(CommandBus).execute(new RemoveProjectModelCommand(SYSTEM, broken.projectId, first.modelId));
    const second = await addModel(1, 2, broken.projectId);
    const { startRestatement } = await gql<{ startRestatement: { id: string } }>(
      START,
      {
        projectId: broken.projectId,
        key: 'price-change-broken',
      },
      brokenAdmin,
    );
    await eventually(
      async () =>
        (
          await gql<{ restatement: { status: string } }>(
            RESTATEMENT,
            { projectId: broken.projectId, id: startRestatement.id },
            brokenAdmin,
          )
        ).restatement,
      (r) => r.status === 'FINISHED',
    );

    const after = await brokenRows(broken.projectId, ends);
    const restated = (id: string) => after.find((r) => r.spanId === id)!;
    const newPrice = `project-model:${second.modelId}`;
    for (const row of [failedRow, cancelledRow]) {
      expect(restated(row.spanId)).toEqual({
        ...row,
        restatedCost: {
          cost: at(row, 1000n, 2000n),
          priceVersion: newPrice,
          restatementId: startRestatement.id,
        },
      });
    }
    expect(restated(refusedRow.spanId)).toEqual({
      ...refusedRow,
      restatedCost: { cost: '0.000000000', priceVersion: 'not_billed', restatementId: startRestatement.id },
    });
    const detail = await traceCosts(traceId);
    // The spans keep their cost at ingestion; 1,000 × 1,000 + 100 × 2,000 = 1,200,000 nano-USD restated.
    expect(detail!.spans.map((s) => [s.id, s.cost]).sort()).toEqual(
      [
        [reported.spanId, '0.005600000'],
        [callers.spanId, '0.000123456'],
      ].sort(),
    );
    expect([...detail!.restatedCosts].sort((a, b) => a.spanId.localeCompare(b.spanId))).toEqual(
      [
        { spanId: reported.spanId, restatedCost: { cost: '0.001200000', priceVersion: newPrice } },
        { spanId: callers.spanId, restatedCost: { cost: '0.000123456', priceVersion: 'caller' } },
      ].sort((a, b) => a.spanId.localeCompare(b.spanId)),
    );
  });

  it('refuses a blank idempotency key and a member who is not an admin', async () => {
    const blank = await graphqlHttp(base, admin, START, { projectId: project.projectId, key: ' ' });
    expect(blank.gql?.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'invalid_argument',
    });
    const asKey = await graphqlHttp(base, { kind: 'key', key: project.apiKey }, START, {
      projectId: project.projectId,
      key: 'by-key',
    });
    expect(asKey.gql?.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const unknown = await graphqlHttp(base, admin, RESTATEMENT, {
      projectId: project.projectId,
      id: 'rst_nope',
    });
    expect(unknown.gql?.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'restatement_not_found',
    });
  });
});
