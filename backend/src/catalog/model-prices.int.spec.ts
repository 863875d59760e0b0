import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestProject } from '../../test/support/accounts';
import { startGatewayApp } from '../../test/support/gateway-app';
import { graphqlHttp, type Credential } from '../../test/isolation/client';
import { login } from '../../test/isolation/world';
import { PRICE_TABLE_VERSION } from './models.data';

const PRICE = `inputPerMTok outputPerMTok cachedInputPerMTok cacheWritePerMTok reasoningPerMTok
  audioInputPerMTok perRequestUsd priceVersion custom sourceUrl checkedOn
  tiers { aboveInputTokens inputPerMTok outputPerMTok cachedInputPerMTok cacheWritePerMTok }`;
const MODELS = `query ($projectId: ID) {
  models(projectId: $projectId, includeUnusable: true) { id provider price { ${PRICE} } priceInForce { ${PRICE} } }
}`;
const SET_PRICE = `mutation ($projectId: ID, $input: CustomPriceInput!) {
  setCustomPrice(projectId: $projectId, input: $input) { id }
}`;

interface Price {
  inputPerMTok: number;
  priceVersion: string;
  custom: boolean;
  perRequestUsd: number | null;
  audioInputPerMTok: number | null;
  tiers: { aboveInputTokens: number; inputPerMTok: number }[];
}
interface Listed {
  id: string;
  provider: string;
  price: Price | null;
  priceInForce: Price | null;
}

/** GraphQL `models` as Settings → Prices reads it: every catalog rate, and the project's custom price in force. */
describe('model prices through GraphQL', () => {
  let app: NestExpressApplication;
  let base: string;
  let project: Awaited<ReturnType<typeof createTestProject>>;
  let admin: Credential;

  beforeAll(async () => {
    ({ app, base } = await startGatewayApp('model-prices', {}, []));
    project = await createTestProject(app, 'model-prices');
    admin = await login(base, project.user.email, project.password);
  }, 60_000);
  afterAll(() => app?.close());

  const models = async () => {
    const res = await graphqlHttp(base, admin, MODELS, { projectId: project.projectId });
    expect(res.gql?.errors).toBeUndefined();
    return (res.gql?.data as { models: Listed[] }).models;
  };

  it('gives catalog prices with their tiers, request fees, audio rates, version and source', async () => {
    const list = await models();
    const sonnet = list.find((m) => m.id === 'claude-sonnet-4-5-20250929')!;
    expect(sonnet.price).toMatchObject({
      inputPerMTok: 3,
      cacheWritePerMTok: 3.75,
      custom: false,
      priceVersion: `catalog:${PRICE_TABLE_VERSION}`,
      sourceUrl: 'https://docs.anthropic.com/en/docs/about-claude/pricing',
      checkedOn: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
      tiers: [{ aboveInputTokens: 200_000, inputPerMTok: 6, outputPerMTok: 22.5, cachedInputPerMTok: 0.6 }],
    });
    expect(sonnet.priceInForce).toEqual(sonnet.price);
    expect(list.some((m) => (m.price?.perRequestUsd ?? 0) > 0)).toBe(true);
    expect(list.some((m) => (m.price?.audioInputPerMTok ?? 0) > 0)).toBe(true);
  });

  it('shows the project’s custom price as in force beside the catalog price, from the day it starts', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const set = await graphqlHttp(base, admin, SET_PRICE, {
      projectId: project.projectId,
      input: {
        model: 'gpt-4o',
        effectiveFrom: today,
        inputPerMTok: 1.5,
        outputPerMTok: 6,
        perRequestUsd: 0.001,
      },
    });
    expect(set.gql?.errors).toBeUndefined();
    const id = (set.gql?.data as { setCustomPrice: { id: string } }).setCustomPrice.id;
    // A price starting tomorrow is not in force today.
    const later = await graphqlHttp(base, admin, SET_PRICE, {
      projectId: project.projectId,
      input: { model: 'gpt-4o-mini', effectiveFrom: '2999-01-01', inputPerMTok: 0.01, outputPerMTok: 0.02 },
    });
    expect(later.gql?.errors).toBeUndefined();

    const list = await models();
    const gpt4o = list.find((m) => m.id === 'gpt-4o')!;
    expect(gpt4o.price).toMatchObject({ inputPerMTok: 2.5, custom: false });
    expect(gpt4o.priceInForce).toMatchObject({
      inputPerMTok: 1.5,
      perRequestUsd: 0.001,
      custom: true,
      priceVersion: `custom:${id}`,
      tiers: [],
    });
    const mini = list.find((m) => m.id === 'gpt-4o-mini')!;
    expect(mini.priceInForce).toEqual(mini.price);
    expect(mini.priceInForce?.custom).toBe(false);
  });

  it('gives /v1/models the price in force beside the catalog price', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const set = await graphqlHttp(base, admin, SET_PRICE, {
      projectId: project.projectId,
      input: { model: 'mock-1', provider: 'mock', effectiveFrom: today, inputPerMTok: 7, outputPerMTok: 9 },
    });
    expect(set.gql?.errors).toBeUndefined();
    const id = (set.gql?.data as { setCustomPrice: { id: string } }).setCustomPrice.id;
    const get = async (path: string) =>
      (await (
        await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${project.apiKey}` } })
      ).json()) as {
        id: string;
        sightline: { price: unknown; price_in_force: Record<string, unknown> | null };
      };
    const one = await get('/v1/models/mock-1');
    expect(one.sightline.price).toBeNull();
    expect(one.sightline.price_in_force).toMatchObject({
      inputPerMTok: 7,
      outputPerMTok: 9,
      version: `custom:${id}`,
    });
    const list = (await get('/v1/models')) as unknown as { data: (typeof one)[] };
    expect(list.data.find((m) => m.id === 'mock-1')?.sightline.price_in_force).toMatchObject({
      inputPerMTok: 7,
    });
    const other = list.data.find((m) => m.id === 'mock-large');
    expect(other?.sightline.price_in_force).toEqual(other?.sightline.price);
  });
});
