import type { NestExpressApplication } from '@nestjs/platform-express';
import { startGatewayApp } from '../../test/support/gateway-app';
import { graphqlHttp, type Credential } from '../../test/isolation/client';

const ESTIMATE = `query ($input: CostEstimateInput!) {
  costEstimate(input: $input) {
    model provider inputTokens inputTokensEstimated tokenizer maxOutputTokens minCost maxCost priceVersion flags
  }
}`;

/**
 * A request's tokens, as gpt-tokenizer's o200k_base splits them (the chat format adds 3 per message
 * and 3 priming the reply):
 *   "You are a helpful assistant."    → You | are | a | helpful | assistant | .           6
 *   "What is the capital of France?"  → What | is | the | capital | of | France | ?      7
 *   the tools' JSON (below)           → [ | {" | type | ":" | function | ... | }]         29
 * 3 + (3 + 6) + (3 + 7) + 29 = 51 input tokens.
 */
const MESSAGES = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'What is the capital of France?' },
];
const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
];
const INPUT_TOKENS = 51;

/** `costEstimate` through GraphQL, priced by hand from the shipped price table (USD per 1M tokens). */
describe('costEstimate', () => {
  let app: NestExpressApplication;
  let base: string;
  let key: Credential;

  beforeAll(async () => {
    let apiKey: string;
    ({ app, base, apiKey } = await startGatewayApp('cost-estimate', {}));
    key = { kind: 'key', key: apiKey };
  }, 60_000);
  afterAll(() => app?.close());

  const estimate = async (models: string[], maxOutputTokens?: number) => {
    const res = await graphqlHttp(base, key, ESTIMATE, {
      input: {
        messages: JSON.stringify(MESSAGES),
        tools: JSON.stringify(TOOLS),
        models,
        ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
      },
    });
    expect(res.gql?.errors).toBeUndefined();
    return (res.gql?.data as { costEstimate: Record<string, unknown>[] }).costEstimate;
  };

  it('gives per model the input tokens and the cost range, from input only to input plus the output cap', async () => {
    expect(await estimate(['gpt-4o-mini', 'claude-sonnet-4-5', 'mistral-tiny-unlisted'], 1_000)).toEqual([
      // gpt-4o-mini at $0.15 in / $0.60 out: 51 × 0.15 = 7.65 µ$; + 1,000 × 0.60 = 600 µ$ → 607.65 µ$.
      {
        model: 'gpt-4o-mini',
        provider: 'openai',
        inputTokens: INPUT_TOKENS,
        inputTokensEstimated: true,
        tokenizer: 'o200k_base',
        maxOutputTokens: 1_000,
        minCost: '0.000007650',
        maxCost: '0.000607650',
        priceVersion: 'catalog:2026-12-01.2',
        flags: ['ESTIMATED_USAGE'],
      },
      // Sonnet 4.5 at $3 in / $15 out, counted with the stand-in tokenizer (flagged):
      // 51 × 3 = 153 µ$; + 1,000 × 15 = 15,000 µ$ → 15,153 µ$.
      {
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        inputTokens: INPUT_TOKENS,
        inputTokensEstimated: true,
        tokenizer: 'approximation',
        maxOutputTokens: 1_000,
        minCost: '0.000153000',
        maxCost: '0.015153000',
        priceVersion: 'catalog:2026-12-01.2',
        flags: ['ESTIMATED_USAGE', 'APPROXIMATE_TOKENS'],
      },
      // Routed to Mistral by its name, but no price: no figure rather than a zero.
      {
        model: 'mistral-tiny-unlisted',
        provider: 'mistral',
        inputTokens: INPUT_TOKENS,
        inputTokensEstimated: true,
        tokenizer: 'approximation',
        maxOutputTokens: 1_000,
        minCost: null,
        maxCost: null,
        priceVersion: 'none',
        flags: ['ESTIMATED_USAGE', 'APPROXIMATE_TOKENS', 'UNPRICED'],
      },
    ]);
  });

  it('caps the output at the model’s own limit when the request gives none', async () => {
    // gpt-4o-mini answers at most 16,384 tokens: 7.65 µ$ + 16,384 × 0.60 = 9,830.4 µ$ → 9,838.05 µ$.
    expect(await estimate(['gpt-4o-mini'])).toEqual([
      expect.objectContaining({ maxOutputTokens: 16_384, minCost: '0.000007650', maxCost: '0.009838050' }),
    ]);
  });
});
