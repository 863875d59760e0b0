import { CommandBus } from '@nestjs/cqrs';
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
    id status active generations progress { eventsDone eventsTotal fraction etaSeconds }
  }
}`;

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
  let admin: Credential;
  const sent: { spanId: string; promptTokens: number; completionTokens: number }[] = [];

  const gql = async <T>(query: string, variables: Record<string, unknown>, as: Credential = admin) => {
    const out = await graphqlHttp(base, as, query, variables);
    if (out.gql?.errors?.length) throw new Error(JSON.stringify(out.gql.errors));
    return out.gql!.data as T;
  };
  const listed = async (projectId: string) =>
    (
      await gql<{ generations: { edges: { node: Listed }[] } }>(GENERATIONS, { projectId })
    ).generations.edges.map((e) => e.node);
  const addModel = (inputPerMTok: number, outputPerMTok: number) =>
    app.get(CommandBus).execute(
      new AddProjectModelCommand(SYSTEM, project.projectId, {
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

  beforeAll(async () => {
    fake = await startFakeOpenAiServer({});
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
