import { newEventId, newSpanId, newTraceId } from '@sightline/schemas';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import type { ClientRequestArgs } from 'node:http';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { eventually } from '../../test/support/events';
import { startGatewayApp, type GatewayApp } from '../../test/support/gateway-app';

/**
 * The first BIG generations' outputs fill the loopback socket buffers of a reader that stopped
 * (a few MB); the small ones after them overflow its 500 pending changes. Ingesting them all takes
 * a few seconds: graphql-ws drops a client that leaves its ping unanswered for 12 to 24 s.
 */
const BIG = 120;
const GENERATIONS = 800;
const PER_BATCH = 50;
const outputOf = (n: number) => `${n} `.padEnd(n <= BIG ? 64 * 1024 : 64, 'x');

interface Final {
  readonly generation: { readonly id: string; readonly output?: string } | null;
  readonly missed: number;
}

/** A graphql-ws client whose underlying TCP socket the test can stop reading. */
function pausableClient(url: string, apiKey: string) {
  let socket: Socket | undefined;
  class TappedWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[], options?: ClientRequestArgs) {
      super(address, protocols, options);
      this.once('open', () => (socket = (this as unknown as { _socket: Socket })._socket));
    }
  }
  const client = createClient({
    url,
    webSocketImpl: TappedWebSocket,
    connectionParams: { authorization: `Bearer ${apiKey}` },
    lazy: false,
  });
  return { client, pause: () => socket!.pause(), resume: () => socket!.resume() };
}

function collect<T>(client: Client, query: string, into: T[]): () => void {
  return client.subscribe<T>(
    { query },
    {
      next: (message) => into.push(message.data as T),
      error: (error) => {
        throw new Error(`subscription failed: ${JSON.stringify(error)}`);
      },
      complete: () => undefined,
    },
  );
}

/**
 * Backpressure over real graphql-ws sockets: a `liveGenerations` subscriber whose socket stops
 * reading neither slows ingestion nor the other subscribers; once it reads again it is told how
 * many changes it missed, and what it got plus what it missed accounts for every generation. One
 * that keeps reading loses nothing, however large the batches (its buffer bounds only what it left
 * unread when more came).
 */
describe('live subscribers over graphql-ws, under load', () => {
  let gw: GatewayApp;
  const clients: Client[] = [];

  beforeAll(async () => {
    gw = await startGatewayApp('backpressure', {});
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await gw?.app.close();
  });

  const ingest = async (from: number, count: number, tags: string[] = []) => {
    const items = Array.from({ length: count }, (_, i) => ({
      id: newEventId(),
      type: 'generation',
      body: {
        traceId: newTraceId(),
        spanId: newSpanId(),
        name: `g${from + i}`,
        model: 'gpt-4o-mini',
        startedAt: new Date(Date.now() - 1000).toISOString(),
        endedAt: new Date().toISOString(),
        output: outputOf(from + i),
        usage: { inputTokens: 10, outputTokens: 100 },
        tags,
      },
    }));
    const res = await fetch(`${gw.base}/api/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ batch: items }),
    });
    const body = (await res.json()) as { successes: unknown[]; errors: unknown[] };
    return { status: res.status, accepted: body.successes.length, errors: body.errors };
  };

  it('one that stops reading is told what it missed, while ingestion and the other subscribers get everything', async () => {
    const url = `${gw.base.replace('http', 'ws')}/graphql`;
    const slow = pausableClient(url, gw.apiKey);
    const fast = pausableClient(url, gw.apiKey);
    clients.push(slow.client, fast.client);
    const slowGot: { liveGenerations: Final }[] = [];
    const slowRecorded: FormattedExecutionResult<{ generationRecorded: { id: string } }>[] = [];
    const fastLive: { liveGenerations: Final }[] = [];
    const fastRecorded: { generationRecorded: { id: string } }[] = [];
    collect(slow.client, 'subscription { liveGenerations { generation { id output } missed } }', slowGot);
    slow.client.subscribe(
      { query: 'subscription { generationRecorded { id } }' },
      {
        next: (message) => slowRecorded.push(message as (typeof slowRecorded)[number]),
        error: () => undefined,
        complete: () => undefined,
      },
    );
    collect(fast.client, 'subscription { liveGenerations { generation { id } missed } }', fastLive);
    collect(fast.client, 'subscription { generationRecorded { id } }', fastRecorded);

    // Every subscription is registered once each has seen a generation; then the slow one stops reading.
    const counts = () => [slowGot.length, fastLive.length, fastRecorded.length, slowRecorded.length];
    await eventually(
      async () => (await ingest(0, 1), await sleep(500), counts()),
      (seen) => seen.every((n) => n > 0),
      30_000,
    );
    slow.pause();
    const before = counts();

    for (let from = 1; from <= GENERATIONS; from += PER_BATCH)
      expect(await ingest(from, PER_BATCH)).toEqual({ status: 207, accepted: PER_BATCH, errors: [] });

    // The others get every generation while the slow one still does not read.
    await eventually(
      async () => fastRecorded.length - before[2],
      (n) => n === GENERATIONS,
      60_000,
    );
    await eventually(
      async () => fastLive.length - before[1],
      (n) => n === GENERATIONS,
      60_000,
    );
    expect(fastLive.every((u) => u.liveGenerations.missed === 0)).toBe(true);
    expect(slowGot.length - before[0]).toBeLessThan(GENERATIONS);

    // Reading again, it gets the rest, told how many changes it lost: together they are every generation.
    slow.resume();
    const missed = () => slowGot.reduce((sum, u) => sum + u.liveGenerations.missed, 0);
    await eventually(
      async () => slowGot.length - before[0] + missed(),
      (n) => n === GENERATIONS,
      60_000,
    );
    expect(missed()).toBeGreaterThan(0);
    const outputs = slowGot.slice(before[0]).map((u) => u.liveGenerations.generation!.output!);
    expect(outputs.filter((o) => o !== outputOf(Number.parseInt(o, 10)))).toEqual([]); // dropped whole, never cut

    // `generationRecorded` has no `missed` field: it is told in an error message, and goes on.
    const recordedSince = () => slowRecorded.slice(before[3]);
    const notices = () => recordedSince().filter((m) => m.errors);
    const lost = () => notices().reduce((sum, m) => sum + Number(m.errors![0].extensions!.missed), 0);
    await eventually(
      async () => recordedSince().length - notices().length + lost(),
      (n) => n === GENERATIONS,
      60_000,
    );
    expect(lost()).toBeGreaterThan(0);
    expect(notices()[0]).toMatchObject({
      data: null,
      errors: [
        { message: expect.stringContaining('read too slowly'), extensions: { code: 'SUBSCRIBER_TOO_SLOW' } },
      ],
    });
  }, 240_000);

  it('one that keeps reading gets every generation of the largest ingest batches', async () => {
    const url = `${gw.base.replace('http', 'ws')}/graphql`;
    const { client } = pausableClient(url, gw.apiKey);
    clients.push(client);
    const tag = `burst-${Date.now()}`;
    const filter = `filter: { tags: ["${tag}"] }`;
    const live: { liveGenerations: Final }[] = [];
    const recorded: { generationRecorded: { id: string } }[] = [];
    collect(client, `subscription { liveGenerations(${filter}) { generation { id } missed } }`, live);
    collect(client, `subscription { generationRecorded(${filter}) { id } }`, recorded);
    await eventually(
      async () => (await ingest(0, 1, [tag]), await sleep(500), [live.length, recorded.length]),
      (seen) => seen.every((n) => n > 0),
      30_000,
    );
    const before = [live.length, recorded.length];

    // One batch of the documented maximum, then three of 600 in a row: nothing read is ever late.
    expect(await ingest(1, 1000, [tag])).toEqual({ status: 207, accepted: 1000, errors: [] });
    for (const from of [1001, 1601, 2201])
      expect(await ingest(from, 600, [tag])).toEqual({ status: 207, accepted: 600, errors: [] });
    const total = 1000 + 3 * 600;
    await eventually(
      async () => [live.length - before[0], recorded.length - before[1]],
      ([l, r]) => l === total && r === total,
      60_000,
    );
    expect(live.every((u) => u.liveGenerations.missed === 0)).toBe(true);
  }, 120_000);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
