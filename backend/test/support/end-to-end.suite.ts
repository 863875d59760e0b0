import type { NestExpressApplication } from '@nestjs/platform-express';
import { createClient, type Client } from 'graphql-ws';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { AppConfig } from '../../src/config/app-config';
import { createApp } from '../../src/create-app';
import { createTestProject } from './accounts';
import { eventually } from './events';

interface GenerationNode {
  id: string;
  model: string;
  status: string;
  streamed: boolean;
  output: string | null;
  totalTokens: number;
  timeToFirstTokenMs: number | null;
  errorMessage: string | null;
}

const FIELDS = 'id model status streamed output totalTokens timeToFirstTokenMs errorMessage';

/**
 * The whole app on one event log: `env` adds to the test config (empty: the embedded log; with
 * `KAFKA_BROKERS`: Kafka). Run by `app.int.spec.ts` and `app.kafka.spec.ts`.
 */
export function endToEnd(mode: string, env: Record<string, string>): void {
  describe(`Sightline end to end on ${mode}`, () => {
    let app: NestExpressApplication;
    let base: string;
    let ws: Client;
    let apiKey: string;

    beforeAll(async () => {
      const config = new AppConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'sightline-e2e-')),
        SIGHTLINE_UI_DIR: '',
        MOCK_TOKEN_INTERVAL_MS: '2',
        LOG_LEVEL: 'warn',
        API_RATE_LIMIT_RPS: '10000',
        ...env,
      });
      app = await createApp(config);
      // Kafka topics outlive a run: a project of its own keeps this run apart.
      ({ apiKey } = await createTestProject(app, 'e2e'));
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as AddressInfo;
      base = `http://127.0.0.1:${port}`;
      ws = createClient({
        url: `ws://127.0.0.1:${port}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${apiKey}` },
      });
    }, 60_000);

    afterAll(async () => {
      await ws?.dispose();
      await app?.close();
    });

    const chat = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as T;
    }

    const listGenerations = async () =>
      (
        await graphql<{ data: { generations: { edges: { node: GenerationNode }[] } } }>(
          `{ generations(first: 100) { edges { node { ${FIELDS} } } } }`,
        )
      ).data.generations.edges.map((e) => e.node);

    const recorded = (id: string) =>
      eventually(listGenerations, (nodes) => nodes.some((n) => n.id === id)).then((nodes) =>
        nodes.find((n) => n.id === id)!,
      );

    it('answers a chat completion in OpenAI format and records it as a generation', async () => {
      const res = await chat({ model: 'mock-1', messages: [{ role: 'user', content: 'hello e2e' }] });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        object: string;
        choices: { message: { content: string } }[];
        usage: { total_tokens: number };
      };
      expect(body.object).toBe('chat.completion');
      const spanId = res.headers.get('x-sightline-span-id')!;
      const generation = await recorded(spanId);
      expect(generation).toMatchObject({
        model: 'mock-1',
        status: 'COMPLETED',
        streamed: false,
        output: body.choices[0].message.content,
        totalTokens: body.usage.total_tokens,
      });
    });

    it('streams over SSE and records the streamed text with its time to first token', async () => {
      const res = await chat({
        model: 'mock-1',
        stream: true,
        messages: [{ role: 'user', content: 'stream please' }],
      });
      expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
      const events = (await res.text()).split('\n\n').filter(Boolean);
      expect(events.at(-1)).toBe('data: [DONE]');
      const text = events
        .slice(0, -1)
        .map((e) => JSON.parse(e.replace(/^data: /, '')) as { choices: { delta: { content?: string } }[] })
        .map((chunk) => chunk.choices[0]?.delta.content ?? '')
        .join('');
      const generation = await recorded(res.headers.get('x-sightline-span-id')!);
      expect(generation).toMatchObject({ streamed: true, status: 'COMPLETED', output: text });
      expect(generation.timeToFirstTokenMs).not.toBeNull();
    });

    it('records a streamed tool call whole, queryable through GraphQL', async () => {
      const res = await chat({
        model: 'mock-1',
        stream: true,
        messages: [{ role: 'user', content: 'weather in Oslo [mock:tool:get_weather]' }],
      });
      await res.text();
      const spanId = res.headers.get('x-sightline-span-id')!;
      await recorded(spanId);
      const page = await graphql<{
        data: {
          generations: { edges: { node: { id: string; usageSource: string; toolCalls: unknown[] } }[] };
        };
      }>(
        '{ generations(first: 100) { edges { node { id usageSource toolCalls { choiceIndex name arguments } } } } }',
      );
      const node = page.data.generations.edges.map((e) => e.node).find((n) => n.id === spanId);
      expect(node).toMatchObject({
        usageSource: 'REPORTED',
        toolCalls: [{ choiceIndex: 0, name: 'get_weather', arguments: '{"input":"weather in Oslo"}' }],
      });
    });

    it('pushes each new generation to graphql-ws subscribers', async () => {
      const received: GenerationNode[] = [];
      const unsubscribe = ws.subscribe<{ generationRecorded: GenerationNode }>(
        { query: `subscription { generationRecorded { ${FIELDS} } }` },
        {
          next: (m) => m.data && received.push(m.data.generationRecorded),
          error: (e) => received.push(e as never),
          complete: () => undefined,
        },
      );
      try {
        await new Promise((r) => setTimeout(r, 300)); // let the subscription register
        const res = await chat({ model: 'mock-1', messages: [{ role: 'user', content: 'live one' }] });
        const spanId = res.headers.get('x-sightline-span-id');
        await eventually(
          async () => received,
          (r) => r.some((g) => g.id === spanId),
        );
      } finally {
        unsubscribe();
      }
    });

    it('masks credentials pasted into a prompt before the event is recorded', async () => {
      const secret = 'sk-proj-' + 'A1b2C3d4'.repeat(4);
      const res = await chat({
        model: 'mock-1',
        messages: [{ role: 'user', content: `my key is ${secret}` }],
      });
      expect(res.status).toBe(200);
      const spanId = res.headers.get('x-sightline-span-id')!;
      await recorded(spanId);
      const text = JSON.stringify(
        await graphql(`
          {
            generations(first: 100) {
              edges {
                node {
                  id
                  input
                  output
                }
              }
            }
          }
        `),
      );
      expect(text).toContain('[REDACTED]');
      expect(text).not.toContain(secret);
    });

    it("records a provider failure as a failed generation and answers with the provider's own error", async () => {
      const res = await chat({
        model: 'mock-1',
        messages: [{ role: 'user', content: 'break [mock:error:500]' }],
      });
      expect(res.status).toBe(500);
      expect(((await res.json()) as { error: { type: string } }).error.type).toBe('server_error');
      const generation = await recorded(res.headers.get('x-sightline-span-id')!);
      expect(generation.status).toBe('FAILED');
    });

    it.each([
      ['malformed JSON', '{"model": "mock-1", ', 400, 'invalid_json'],
      ['a wrong type', { model: 'mock-1', messages: 'hi' }, 400, 'invalid_value'],
      ['no messages', { model: 'mock-1', messages: [] }, 400, 'invalid_value'],
      [
        'an unknown model',
        { model: 'nope-9', messages: [{ role: 'user', content: 'x' }] },
        404,
        'model_not_found',
      ],
      [
        'an oversized body',
        { model: 'mock-1', messages: [{ role: 'user', content: 'x'.repeat(5 * 1024 * 1024) }] },
        413,
        'body_too_large',
      ],
    ])('rejects %s with an OpenAI-shaped error and records nothing', async (_name, body, status, code) => {
      const before = await listGenerations();
      const res = await chat(body);
      expect(res.status).toBe(status);
      const error = ((await res.json()) as { error: { message: string; code: string } }).error;
      expect(error.code).toBe(code);
      expect(error.message.length).toBeGreaterThan(10);
      await new Promise((r) => setTimeout(r, 200));
      expect((await listGenerations()).map((g) => g.id)).toEqual(before.map((g) => g.id));
    });

    it('rejects a bad GraphQL page size with BAD_USER_INPUT', async () => {
      const res = await graphql<{ errors: { extensions: { code: string } }[] }>(
        '{ generations(first: 0) { edges { cursor } } }',
      );
      expect(res.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    });
  });
}
