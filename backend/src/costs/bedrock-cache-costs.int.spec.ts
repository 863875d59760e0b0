import type { NestExpressApplication } from '@nestjs/platform-express';
import type { GenerationCompleted, SightlineEvent } from '@sightline/schemas';
import { eventually } from '../../test/support/events';
import { startFakeBedrockServer, type FakeBedrockServer } from '../../test/support/fakes/bedrock-server';
import { startGatewayApp } from '../../test/support/gateway-app';
import { CATALOG_PRICE_VERSION } from './price-book';

const AWS = { accessKeyId: 'AKIDCACHECOSTS', secretAccessKey: 'cache-costs-secret' };
const MODEL = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const CACHE = { readInputTokens: 1800, writeInputTokens: 600 };

interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_creation_tokens?: number };
}

/**
 * Bedrock Converse reports `inputTokens` without the prompt cache and the cache's reads and writes
 * apart (`cacheReadInputTokens`, `cacheWriteInputTokens`), as the fake server sends them: recorded
 * as cached input and cache writes inside the input, and priced at their own rates.
 */
describe('Bedrock prompt-cache tokens through the gateway', () => {
  let bedrock: FakeBedrockServer;
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  const recorded: SightlineEvent[] = [];

  beforeAll(async () => {
    bedrock = await startFakeBedrockServer({ ...AWS, region: 'us-west-2', cache: CACHE });
    ({ app, base, apiKey } = await startGatewayApp(
      'bedrock-cache',
      {
        AWS_ACCESS_KEY_ID: AWS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: AWS.secretAccessKey,
        AWS_REGION: 'us-west-2',
        BEDROCK_BASE_URL: bedrock.url,
      },
      recorded,
    ));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await bedrock?.close();
  });

  async function call(stream: boolean): Promise<{ usage: ChatUsage; ended: GenerationCompleted }> {
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        model: MODEL,
        stream,
        ...(stream ? { stream_options: { include_usage: true } } : {}),
        messages: [{ role: 'user', content: 'What does a span record?' }],
      }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const usage = stream
      ? (text
          .split('\n')
          .filter((l) => l.startsWith('data: {'))
          .map((l) => JSON.parse(l.slice(6)) as { usage?: ChatUsage })
          .find((c) => c.usage)?.usage as ChatUsage)
      : (JSON.parse(text) as { usage: ChatUsage }).usage;
    const spanId = res.headers.get('x-sightline-span-id');
    const [ended] = await eventually(
      async () => recorded.filter((e) => e.spanId === spanId && e.type === 'generation.completed'),
      (events) => events.length === 1,
    );
    return { usage, ended: ended as GenerationCompleted };
  }

  it.each([false, true])('maps and prices cache reads and writes (stream: %s)', async (stream) => {
    const { usage, ended } = await call(stream);
    const uncached = usage.prompt_tokens - CACHE.readInputTokens - CACHE.writeInputTokens;
    expect(uncached).toBeGreaterThan(0);
    expect(usage.prompt_tokens_details).toEqual({ cached_tokens: 1800, cache_creation_tokens: 600 });
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);

    const { data } = ended;
    expect(data.usage).toMatchObject({
      source: 'reported',
      inputTokens: usage.prompt_tokens,
      cachedTokens: 1800,
      cacheWriteTokens: 600,
    });
    // Claude Sonnet 4.5 on Bedrock: $3 in, $0.30 cache read, $3.75 cache write, $15 out per 1M.
    const nano = {
      input: BigInt(uncached) * 3_000n,
      cachedInput: 1800n * 300n,
      cacheWrite: 600n * 3_750n,
      output: BigInt(usage.completion_tokens) * 15_000n,
    };
    const usd = (n: bigint) => `0.${n.toString().padStart(9, '0')}`;
    expect(data.cost).toMatchObject({
      totalUsd: usd(nano.input + nano.cachedInput + nano.cacheWrite + nano.output),
      breakdown: {
        input: usd(nano.input),
        cachedInput: '0.000540000',
        cacheWrite: '0.002250000',
        output: usd(nano.output),
      },
      priceVersion: CATALOG_PRICE_VERSION,
      flags: [],
    });
  });
});
