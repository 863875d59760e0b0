import type { NestExpressApplication } from '@nestjs/platform-express';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { eventually } from './events';
import { startFakeOpenAiServer, type FakeOpenAiServer } from './fake-openai-server';
import { startGatewayApp } from './gateway-app';

interface Update {
  /** Date.now() when the client got it. */
  at: number;
  generation?: {
    id: string;
    status: string;
    output: string | null;
    timeToFirstTokenMs: number | null;
    outputTokensPerSecond: number | null;
  };
  progress?: {
    id: string;
    elapsedMs: number;
    outputTokens: number;
    usageSource: string;
    choices: { index: number; content: string | null }[];
  };
}

const LIVE = `subscription {
  liveGenerations {
    generation { id status output timeToFirstTokenMs outputTokensPerSecond }
    progress { id elapsedMs outputTokens usageSource choices { index content } }
  }
}`;

const TOKEN_INTERVAL_MS = 25;
const TOKENS = 60;

/** The text of an OpenAI SSE stream, read to its end; resolves with the content and when it ended. */
async function readStream(res: Response): Promise<{ content: string; endedAt: number }> {
  const text = await res.text();
  const content = text
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map(
      (line) =>
        (JSON.parse(line.slice(6)) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta
          ?.content ?? '',
    )
    .join('');
  return { content, endedAt: Date.now() };
}

/**
 * A slow stream through the gateway, watched over the `liveGenerations` graphql-ws subscription:
 * `env` adds to the app's config (empty: the embedded log; `KAFKA_BROKERS`: Kafka).
 */
export function liveProgress(mode: string, env: Record<string, string>): void {
  describe(`live progress of a streaming generation on ${mode}`, () => {
    let fake: FakeOpenAiServer;
    let app: NestExpressApplication;
    let base: string;
    let apiKey: string;
    let ws: Client;

    beforeAll(async () => {
      fake = await startFakeOpenAiServer({ apiKey: 'sk-upstream', tokenIntervalMs: TOKEN_INTERVAL_MS });
      ({ app, base, apiKey } = await startGatewayApp('live-progress', {
        OPENAI_BASE_URL: fake.url,
        OPENAI_API_KEY: 'sk-upstream',
        ...env,
      }));
      ws = createClient({
        url: `${base.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${apiKey}` },
      });
    }, 60_000);

    /** A streamed chat completion of TOKENS tokens, TOKEN_INTERVAL_MS apart. */
    const slowStream = (prompt: string) =>
      fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          stream: true,
          messages: [{ role: 'user', content: `${prompt} [mock:tokens:${TOKENS}]` }],
        }),
      });

    afterAll(async () => {
      await ws?.dispose();
      await app?.close();
      await fake?.close();
    });

    it('shows the generation in flight at once, its output growing at most every 100 ms before the stream ends, then the final row', async () => {
      const updates: Update[] = [];
      const errors: unknown[] = [];
      const unsubscribe = ws.subscribe<{ liveGenerations: Omit<Update, 'at'> }>(
        { query: LIVE },
        {
          next: (m) =>
            m.data ? updates.push({ at: Date.now(), ...m.data.liveGenerations }) : errors.push(m.errors),
          error: (e) => errors.push(e),
          complete: () => undefined,
        },
      );
      try {
        await new Promise((r) => setTimeout(r, 300)); // let the subscription register
        const res = await slowStream('Tell me a long story');
        const spanId = res.headers.get('x-sightline-span-id')!;
        const stream = await readStream(res);
        const mine = () => updates.filter((u) => (u.generation ?? u.progress)!.id === spanId);
        await eventually(
          async () => mine(),
          (u) => u.some((x) => x.generation?.status === 'COMPLETED'),
        );
        expect(errors).toEqual([]);

        const [first, ...rest] = mine();
        const final = rest.pop()!;
        expect(first.generation).toMatchObject({ status: 'IN_FLIGHT' });
        expect(first.at).toBeLessThan(stream.endedAt);
        const progress = rest.map((u) => u.progress!);
        expect(rest.every((u) => u.progress && !u.generation)).toBe(true);
        expect(rest.filter((u) => u.at < stream.endedAt).length).toBeGreaterThanOrEqual(1);
        // Coalesced on the gateway: the stream's elapsed time moves at least 100 ms between updates.
        const gaps = progress.slice(1).map((p, i) => p.elapsedMs - progress[i].elapsedMs);
        expect(gaps.every((gap) => gap >= 100)).toBe(true);
        expect(progress.length).toBeGreaterThanOrEqual(3);
        expect(progress.length).toBeLessThan(TOKENS);
        // Each source only grows; the provider's own count, once it comes, may be below the estimate.
        for (const source of ['ESTIMATED', 'REPORTED']) {
          const counts = progress.filter((p) => p.usageSource === source).map((p) => p.outputTokens);
          expect(counts).toEqual([...counts].sort((a, b) => a - b));
        }
        expect(progress[0].usageSource).toBe('ESTIMATED');

        const shown =
          (first.generation!.output ?? '') + progress.map((p) => p.choices[0]?.content ?? '').join('');
        expect(shown.length).toBeGreaterThan(0);
        expect(stream.content.startsWith(shown)).toBe(true);
        expect(final.generation).toMatchObject({ status: 'COMPLETED', output: stream.content });
        expect(final.generation!.timeToFirstTokenMs).toEqual(expect.any(Number));
        expect(final.generation!.outputTokensPerSecond).toBeGreaterThan(0);
      } finally {
        unsubscribe();
      }
    });

    it('a subscriber that joins mid-stream gets the generation with its output so far', async () => {
      const res = await slowStream('Another story');
      const spanId = res.headers.get('x-sightline-span-id')!;
      const reading = readStream(res);
      await new Promise((r) => setTimeout(r, (TOKENS * TOKEN_INTERVAL_MS) / 2));
      const updates: Update[] = [];
      const unsubscribe = ws.subscribe<{ liveGenerations: Omit<Update, 'at'> }>(
        { query: LIVE },
        {
          next: (m) => m.data && updates.push({ at: Date.now(), ...m.data.liveGenerations }),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      try {
        const stream = await reading;
        await eventually(
          async () => updates,
          (u) => u.some((x) => x.generation?.id === spanId && x.generation.status === 'COMPLETED'),
        );
        const first = updates.find((u) => (u.generation ?? u.progress)!.id === spanId)!;
        expect(first.generation).toMatchObject({ status: 'IN_FLIGHT' });
        expect(first.at).toBeLessThan(stream.endedAt);
        expect(first.generation!.output!.length).toBeGreaterThan(0);
      } finally {
        unsubscribe();
      }
    });
  });
}
