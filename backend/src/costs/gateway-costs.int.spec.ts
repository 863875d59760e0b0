import type { NestExpressApplication } from '@nestjs/platform-express';
import type {
  GenerationCancelled,
  GenerationCompleted,
  GenerationFailed,
  SightlineEvent,
} from '@sightline/schemas';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { eventually } from '../../test/support/events';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../../test/support/fake-openai-server';
import { startGatewayApp } from '../../test/support/gateway-app';
import { CATALOG_PRICE_VERSION } from './price-book';

const usd = (nano: bigint) => `0.${nano.toString().padStart(9, '0')}`;
/** o1 at $15 in / $60 out per 1M tokens: 15,000 and 60,000 nano-USD a token. */
const o1Cost = (usage: { inputTokens: number; outputTokens: number }) =>
  BigInt(usage.inputTokens) * 15_000n + BigInt(usage.outputTokens) * 60_000n;

/** Every generation is priced when it ends, through the gateway, against a fake OpenAI. */
describe('generation costs through the gateway', () => {
  let fake: FakeOpenAiServer;
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  const recorded: SightlineEvent[] = [];
  const upstream: { omitUsage: boolean; tokenIntervalMs: number; usage?: Record<string, unknown> } = {
    omitUsage: false,
    tokenIntervalMs: 0,
  };

  beforeAll(async () => {
    fake = await startFakeOpenAiServer(upstream);
    ({ app, base, apiKey } = await startGatewayApp(
      'costs',
      { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-upstream', SIGHTLINE_MAX_ATTEMPTS: '1' },
      recorded,
    ));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  async function endOf<E extends SightlineEvent>(spanId: string | null, type: E['type']): Promise<E> {
    const [ended] = await eventually(
      async () => recorded.filter((e) => e.spanId === spanId && e.type === type),
      (events) => events.length === 1,
    );
    return ended as E;
  }

  const post = (body: unknown, signal?: AbortSignal) =>
    fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
      signal,
    });

  async function completedFor(model: string, content: string): Promise<GenerationCompleted> {
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
    });
    expect(res.status).toBe(200);
    const spanId = res.headers.get('x-sightline-span-id');
    const [ended] = await eventually(
      async () => recorded.filter((e) => e.spanId === spanId && e.type === 'generation.completed'),
      (events) => events.length === 1,
    );
    return ended as GenerationCompleted;
  }

  it('prices a reported usage at the catalog price: o1 at $15 in / $60 out per 1M = 15,000 and 60,000 nano-USD a token', async () => {
    const { usage, cost } = (await completedFor('o1', 'price me')).data;
    expect(usage.source).toBe('reported');
    expect(usage.inputTokens).toBeGreaterThan(0);
    const input = BigInt(usage.inputTokens) * 15_000n;
    const output = BigInt(usage.outputTokens) * 60_000n;
    expect(cost).toEqual({
      totalUsd: usd(input + output),
      breakdown: expect.objectContaining({ input: usd(input), output: usd(output), requestFee: usd(0n) }),
      priceVersion: CATALOG_PRICE_VERSION,
      flags: [],
    });
  });

  it('counts tokens with the model’s tokenizer when the provider reports none, and says so', async () => {
    upstream.omitUsage = true;
    try {
      const text = 'Tokenizers count words, not characters. '.repeat(20);
      const { usage, cost } = (await completedFor('gpt-4o', text)).data;
      // 3 tokens priming the reply, 3 for the message, then its text in o200k_base.
      expect(usage).toMatchObject({
        source: 'estimated',
        tokenizer: 'o200k_base',
        inputTokens: 6 + countTokens(text),
      });
      expect(usage.inputTokens).toBeLessThan(text.length / 4);
      expect(cost?.flags).toEqual(['estimated_usage']);
    } finally {
      upstream.omitUsage = false;
    }
  });

  it('flags a provider’s negative, fractional or absurd counts as suspicious usage, recorded clamped, never silently', async () => {
    try {
      // Negative input, fractional output: recorded 0 and 13, priced, and flagged.
      upstream.usage = { prompt_tokens: -5, completion_tokens: 12.5, total_tokens: 7.5 };
      const odd = (await completedFor('o1', 'count me oddly')).data;
      expect(odd.usage).toMatchObject({ inputTokens: 0, outputTokens: 13, outOfRange: true });
      expect(odd.cost).toMatchObject({
        totalUsd: usd(o1Cost({ inputTokens: 0, outputTokens: 13 })),
        flags: ['suspicious_usage'],
      });
      // Above what a count can hold: clamped to UInt32, flagged.
      upstream.usage = { prompt_tokens: 1e12, completion_tokens: 1, total_tokens: 1e12 + 1 };
      const absurd = (await completedFor('o1', 'count me hugely')).data;
      expect(absurd.usage).toMatchObject({ inputTokens: 0xffff_ffff, outOfRange: true });
      expect(absurd.cost?.flags).toEqual(['suspicious_usage']);
      // Sane counts: no flag, no mark.
      upstream.usage = { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 };
      const sane = (await completedFor('o1', 'count me right')).data;
      expect(sane.usage).not.toHaveProperty('outOfRange');
      expect(sane.cost?.flags).toEqual([]);
    } finally {
      delete upstream.usage;
    }
  });

  it('flags a model with no price as unpriced instead of recording a silent zero', async () => {
    const { cost } = (await completedFor('gpt-9-unreleased', 'who prices me?')).data;
    expect(cost).toMatchObject({ totalUsd: '0.000000000', priceVersion: 'none', flags: ['unpriced'] });
  });

  it('prices a stream that broke mid-way: the tokens counted so far (input and the partial output) at the catalog price', async () => {
    const res = await post({
      model: 'o1',
      stream: true,
      messages: [{ role: 'user', content: 'Tell me a long story. [mock:fail:3]' }],
    });
    await res.text();
    const { data } = await endOf<GenerationFailed>(
      res.headers.get('x-sightline-span-id'),
      'generation.failed',
    );
    expect(data.output?.choices[0].content).toBeTruthy();
    expect(data.usage).toMatchObject({ source: 'estimated', tokenizer: 'o200k_base' });
    expect(data.usage!.outputTokens).toBeGreaterThan(0);
    expect(data.cost).toMatchObject({
      totalUsd: usd(o1Cost(data.usage!)),
      priceVersion: CATALOG_PRICE_VERSION,
      flags: ['estimated_usage'],
    });
  });

  it('records a call the provider refused before answering as not billed (zero, not unpriced)', async () => {
    const res = await post({ model: 'o1', messages: [{ role: 'user', content: 'no [mock:error:500]' }] });
    expect(res.status).toBe(500);
    const { data } = await endOf<GenerationFailed>(
      res.headers.get('x-sightline-span-id'),
      'generation.failed',
    );
    expect(data.usage).toBeNull();
    expect(data.cost).toMatchObject({ totalUsd: '0.000000000', priceVersion: 'not_billed', flags: [] });
  });

  it('prices a stream the caller left after its first tokens', async () => {
    upstream.tokenIntervalMs = 30;
    try {
      const abort = new AbortController();
      const res = await post(
        {
          model: 'o1',
          stream: true,
          messages: [{ role: 'user', content: 'Talk slowly. [mock:tokens:200]' }],
        },
        abort.signal,
      );
      const reader = res.body!.getReader();
      let text = '';
      while (!/"content":"[^"]/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
      abort.abort();
      const { data } = await endOf<GenerationCancelled>(
        res.headers.get('x-sightline-span-id'),
        'generation.cancelled',
      );
      expect(data.usage!.outputTokens).toBeGreaterThan(0);
      expect(data.usage!.outputTokens).toBeLessThan(200);
      expect(data.cost).toMatchObject({
        totalUsd: usd(o1Cost(data.usage!)),
        priceVersion: CATALOG_PRICE_VERSION,
      });
    } finally {
      upstream.tokenIntervalMs = 0;
    }
  });
});
