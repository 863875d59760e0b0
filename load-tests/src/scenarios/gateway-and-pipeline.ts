/**
 * Two figures of Sightline's hot paths, each against a baseline measured in the same run:
 *
 * a. Gateway added latency: the same OpenAI requests sent straight to a fake OpenAI server and
 *    through a Sightline process routing `gpt-*` to it, in alternating rounds.
 * b. Pipeline throughput: events appended to the embedded lmdb log, then projected by the
 *    ProjectorService into chDB (the registry's read models of LLM events: `events` archive +
 *    `generations`), against inserting the same rows with ClickHouse.insert directly.
 *
 * Knobs (environment): BENCH_CONCURRENCY (4), BENCH_ROUNDS (3), BENCH_REQUESTS (1000 per path and
 * round), BENCH_WARMUP (200 per path), BENCH_STREAM_REQUESTS (300 per path and round),
 * BENCH_EVENTS (200000, even: requested + completed per generation), BENCH_PARTITIONS (6).
 */
import { TOPICS, topicSpecs } from '@sightline/backend/dist/eventlog/topics';
import { toArchiveRow } from '@sightline/backend/dist/archive/archive.projection';
import { ClickHouse } from '@sightline/backend/dist/clickhouse/clickhouse';
import { openClickHouse } from '@sightline/backend/dist/clickhouse/migrator';
import { LmdbEventLog } from '@sightline/backend/dist/eventlog/lmdb/lmdb-event-log';
import { generationRows, requestsBySpan } from '@sightline/backend/dist/generations/pair-generations';
import { ProjectorService } from '@sightline/backend/dist/projector/projector.service';
import { READ_MODELS } from '@sightline/backend/dist/projector/read-models';
import { LLM_EVENTS } from '@sightline/backend/dist/projector/sources';
import { ControlPlane } from '@sightline/backend/dist/control/control-plane';
import {
  startFakeOpenAiServer,
  type FakeOpenAiServer,
} from '@sightline/backend/dist-support/test/support/fake-openai-server';
import { generationEvents } from '@sightline/backend/dist-support/test/support/events';
import { encodeEvent, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Agent, OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { command, commit, envInt, machine } from '../harness/environment';
import { keepAliveAgent, postJson, postStream } from '../harness/http';
import { closedLoop } from '../harness/load';
import { summarize, type Summary } from '../harness/percentiles';
import { startSightline } from '../harness/sightline-process';
import { deltaMs, heading, int, ms, printTable, ratio, type Cell } from '../harness/table';

const CONFIG = {
  concurrency: envInt('BENCH_CONCURRENCY', 4),
  rounds: envInt('BENCH_ROUNDS', 3),
  requests: envInt('BENCH_REQUESTS', 1000),
  warmup: envInt('BENCH_WARMUP', 200),
  streamRequests: envInt('BENCH_STREAM_REQUESTS', 300),
  events: envInt('BENCH_EVENTS', 200_000),
  partitions: envInt('BENCH_PARTITIONS', 6),
  /** Records per `append` call: the gateway's recorder appends whatever queued meanwhile in one call. */
  appendBatch: 1000,
  /** Seconds of one-generation-per-call appends (the recorder under light traffic). */
  smallAppendSeconds: 2,
  /** Rows per direct insert in the baseline (the projector's batches are up to 5000 records). */
  insertBatch: 5000,
};

const MODEL = 'gpt-4o-mini';
/** The provider key: Sightline sends it upstream, the direct path sends it itself; the fake checks it. */
const API_KEY = 'bench';
const MESSAGES = [{ role: 'user', content: 'Say hello to the load test.' }];
const COMPLETION_BODY = JSON.stringify({ model: MODEL, messages: MESSAGES });
const STREAM_BODY = JSON.stringify({ model: MODEL, messages: MESSAGES, stream: true });
const PROJECT = 'bench-pipeline';

const now = (): number => performance.now();
const seconds = (msValue: number): string => (msValue / 1000).toFixed(2);

// ---------------------------------------------------------------------------------------------
// a. Gateway added latency
// ---------------------------------------------------------------------------------------------

interface Target {
  readonly name: 'direct' | 'via Sightline';
  readonly url: string;
  readonly agent: Agent;
  readonly headers: OutgoingHttpHeaders;
}

interface PathRuns {
  latencies: number[];
  firstContent: number[];
  elapsedMs: number;
  requests: number;
}

interface RoundFigures {
  readonly round: number;
  readonly order: string;
  readonly direct: Summary;
  readonly via: Summary;
}

interface GatewayFigures {
  readonly completion: { direct: Summary; via: Summary; directRps: number; viaRps: number };
  readonly rounds: RoundFigures[];
  readonly stream: {
    directTtfc: Summary;
    viaTtfc: Summary;
    directTtlb: Summary;
    viaTtlb: Summary;
    directRps: number;
    viaRps: number;
  };
}

async function expectedContent(target: Target): Promise<{ completion: string; stream: string }> {
  const res = await postJson(target.agent, target.url, COMPLETION_BODY, target.headers);
  if (res.status !== 200) throw new Error(`${target.name}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  const completion = (JSON.parse(res.body) as { choices: { message: { content: string } }[] }).choices[0]
    .message.content;
  const stream = await postStream(target.agent, target.url, STREAM_BODY, target.headers);
  return { completion, stream: stream.content };
}

function completionTask(target: Target, expected: string): () => Promise<void> {
  return async () => {
    const res = await postJson(target.agent, target.url, COMPLETION_BODY, target.headers);
    if (res.status !== 200) throw new Error(`${target.name}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    const content = (JSON.parse(res.body) as { choices: { message: { content: string } }[] }).choices[0]
      .message.content;
    if (content !== expected)
      throw new Error(`${target.name}: unexpected content ${JSON.stringify(content)}`);
  };
}

function streamTask(target: Target, expected: string): () => Promise<number> {
  return async () => {
    const res = await postStream(target.agent, target.url, STREAM_BODY, target.headers);
    if (res.status !== 200 || !res.done || res.content !== expected) {
      throw new Error(
        `${target.name}: stream ended badly (HTTP ${res.status}, done=${res.done}, ${JSON.stringify(res.content.slice(0, 80))})`,
      );
    }
    return res.firstContentMs;
  };
}

/** Every request through Sightline must have reached the fake provider exactly once. */
function checkUpstream(fake: FakeOpenAiServer, target: Target, requests: number): void {
  const upstream = fake.requests.length;
  fake.requests.length = 0;
  if (upstream !== requests) {
    throw new Error(`${target.name}: ${requests} requests sent, ${upstream} reached the fake OpenAI server`);
  }
}

async function gatewayLatency(): Promise<GatewayFigures> {
  heading('a. Gateway added latency (client → fake OpenAI  vs  client → Sightline → fake OpenAI)');
  const fake = await startFakeOpenAiServer({ port: 0, tokenIntervalMs: 0, apiKey: API_KEY });
  const sightline = await startSightline({
    env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: API_KEY, MOCK_TOKEN_INTERVAL_MS: '0' },
  });
  const direct: Target = {
    name: 'direct',
    url: `${fake.url}/chat/completions`,
    agent: keepAliveAgent(CONFIG.concurrency),
    headers: { authorization: `Bearer ${API_KEY}` },
  };
  const via: Target = {
    name: 'via Sightline',
    url: `${sightline.url}/v1/chat/completions`,
    agent: keepAliveAgent(CONFIG.concurrency),
    // Sightline's own credential: the key its first start printed, where the version has API keys.
    headers: sightline.apiKey ? { authorization: `Bearer ${sightline.apiKey}` } : {},
  };
  console.log(`fake OpenAI server ${fake.url} (in this process, tokenIntervalMs 0)`);
  console.log(
    `Sightline pid ${sightline.pid} on ${sightline.url} (embedded log + chDB in ${sightline.dataDir})`,
  );
  console.log(
    `model ${MODEL}; ${CONFIG.rounds} round${CONFIG.rounds === 1 ? '' : 's'}, alternating which path goes first; concurrency ${CONFIG.concurrency}; keep-alive`,
  );

  try {
    const expected = await expectedContent(direct);
    const viaExpected = await expectedContent(via);
    if (viaExpected.completion !== expected.completion || viaExpected.stream !== expected.stream) {
      throw new Error('Sightline answered differently from the provider it proxies');
    }
    fake.requests.length = 0;

    for (const target of [direct, via]) {
      await closedLoop({
        concurrency: CONFIG.concurrency,
        requests: CONFIG.warmup,
        task: completionTask(target, expected.completion),
      });
      await closedLoop({
        concurrency: CONFIG.concurrency,
        requests: Math.ceil(CONFIG.warmup / 4),
        task: streamTask(target, expected.stream),
      });
    }
    fake.requests.length = 0;

    const empty = (): PathRuns => ({ latencies: [], firstContent: [], elapsedMs: 0, requests: 0 });
    const completion = { direct: empty(), via: empty() };
    const stream = { direct: empty(), via: empty() };
    const rounds: RoundFigures[] = [];
    for (let round = 1; round <= CONFIG.rounds; round++) {
      const order = round % 2 === 1 ? [direct, via] : [via, direct];
      const roundLatencies = { direct: [] as number[], via: [] as number[] };
      for (const target of order) {
        const key = target === direct ? 'direct' : 'via';
        const result = await closedLoop({
          concurrency: CONFIG.concurrency,
          requests: CONFIG.requests,
          task: completionTask(target, expected.completion),
        });
        checkUpstream(fake, target, CONFIG.requests);
        completion[key].latencies.push(...result.latencies);
        completion[key].elapsedMs += result.elapsedMs;
        completion[key].requests += CONFIG.requests;
        roundLatencies[key] = result.latencies;
      }
      for (const target of order) {
        const key = target === direct ? 'direct' : 'via';
        const result = await closedLoop({
          concurrency: CONFIG.concurrency,
          requests: CONFIG.streamRequests,
          task: streamTask(target, expected.stream),
        });
        checkUpstream(fake, target, CONFIG.streamRequests);
        stream[key].latencies.push(...result.latencies);
        stream[key].firstContent.push(...result.values);
        stream[key].elapsedMs += result.elapsedMs;
        stream[key].requests += CONFIG.streamRequests;
      }
      rounds.push({
        round,
        order: order.map((t) => (t === direct ? 'direct' : 'via')).join(', '),
        direct: summarize(roundLatencies.direct),
        via: summarize(roundLatencies.via),
      });
      console.log(`round ${round}/${CONFIG.rounds} done`);
    }

    const rps = (runs: PathRuns): number => (runs.requests / runs.elapsedMs) * 1000;
    const figures: GatewayFigures = {
      completion: {
        direct: summarize(completion.direct.latencies),
        via: summarize(completion.via.latencies),
        directRps: rps(completion.direct),
        viaRps: rps(completion.via),
      },
      rounds,
      stream: {
        directTtfc: summarize(stream.direct.firstContent),
        viaTtfc: summarize(stream.via.firstContent),
        directTtlb: summarize(stream.direct.latencies),
        viaTtlb: summarize(stream.via.latencies),
        directRps: rps(stream.direct),
        viaRps: rps(stream.via),
      },
    };
    printGateway(figures);
    return figures;
  } finally {
    direct.agent.destroy();
    via.agent.destroy();
    await sightline.stop();
    await fake.close();
  }
}

const STAT_HEADERS = ['mean ms', 'p50 ms', 'p90 ms', 'p99 ms'];
const stats = (s: Summary): Cell[] => [ms(s.mean), ms(s.p50), ms(s.p90), ms(s.p99)];
const added = (via: Summary, direct: Summary): Cell[] => [
  deltaMs(via.mean - direct.mean),
  deltaMs(via.p50 - direct.p50),
  deltaMs(via.p90 - direct.p90),
  deltaMs(via.p99 - direct.p99),
];
const ratios = (via: Summary, direct: Summary): Cell[] => [
  ratio(via.mean / direct.mean),
  ratio(via.p50 / direct.p50),
  ratio(via.p90 / direct.p90),
  ratio(via.p99 / direct.p99),
];

function printGateway(f: GatewayFigures): void {
  const { completion: c, stream: s } = f;
  printTable(
    `Non-streaming: ${CONFIG.rounds} × ${CONFIG.requests} requests per path, concurrency ${CONFIG.concurrency}, after ${CONFIG.warmup} warm-up per path`,
    ['path', 'requests', 'req/s', ...STAT_HEADERS, 'max ms'],
    [
      ['direct', c.direct.count, int(c.directRps), ...stats(c.direct), ms(c.direct.max)],
      ['via Sightline', c.via.count, int(c.viaRps), ...stats(c.via), ms(c.via.max)],
      ['added (via − direct)', '', '', ...added(c.via, c.direct), ''],
      ['ratio (via / direct)', '', ratio(c.viaRps / c.directRps), ...ratios(c.via, c.direct), ''],
    ],
  );
  printTable(
    'Non-streaming, per round (noise check)',
    ['round', 'order', 'direct p50', 'via p50', 'added p50', 'direct p99', 'via p99', 'added p99'],
    f.rounds.map((r) => [
      String(r.round),
      r.order,
      ms(r.direct.p50),
      ms(r.via.p50),
      deltaMs(r.via.p50 - r.direct.p50),
      ms(r.direct.p99),
      ms(r.via.p99),
      deltaMs(r.via.p99 - r.direct.p99),
    ]),
  );
  printTable(
    `Streaming (stream: true): ${CONFIG.rounds} × ${CONFIG.streamRequests} requests per path, concurrency ${CONFIG.concurrency}; TTFC = first content chunk, TTLB = last byte`,
    ['metric', 'req/s', ...STAT_HEADERS],
    [
      ['TTFC direct', int(s.directRps), ...stats(s.directTtfc)],
      ['TTFC via Sightline', int(s.viaRps), ...stats(s.viaTtfc)],
      ['TTFC added (via − direct)', '', ...added(s.viaTtfc, s.directTtfc)],
      ['TTFC ratio (via / direct)', '', ...ratios(s.viaTtfc, s.directTtfc)],
      ['TTLB direct', int(s.directRps), ...stats(s.directTtlb)],
      ['TTLB via Sightline', int(s.viaRps), ...stats(s.viaTtlb)],
      ['TTLB added (via − direct)', '', ...added(s.viaTtlb, s.directTtlb)],
      ['TTLB ratio (via / direct)', '', ...ratios(s.viaTtlb, s.directTtlb)],
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// b. Pipeline throughput
// ---------------------------------------------------------------------------------------------

interface PipelineFigures {
  readonly events: number;
  readonly generations: number;
  readonly encodeEps: number;
  readonly appendEps: number;
  readonly smallAppended: number;
  readonly smallAppendMs: number;
  readonly smallAppendEps: number;
  readonly smallAppendCallMs: number;
  readonly pipelineMs: number;
  readonly pipelineEps: number;
  readonly batches: number;
  readonly baselineMs: number;
  readonly baselineRows: number;
  readonly baselineRps: number;
  readonly baselineEps: number;
}

async function count(ch: ClickHouse, table: 'events' | 'generations'): Promise<number> {
  const [row] = await ch.query<{ n: string }>('SELECT count() AS n FROM {table:Identifier}', { table });
  return Number(row.n);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Baseline rows, built outside the timing: per 5000-event chunk, its archive rows and generation rows. */
function baselineRows(events: readonly SightlineEvent[]): { archive: object[]; generations: object[] }[] {
  return chunks(events, CONFIG.insertBatch).map((chunk) => ({
    archive: chunk.map(toArchiveRow),
    generations: generationRows(chunk, requestsBySpan(chunk)),
  }));
}

/**
 * Insert the prepared rows, one chunk at a time, each with its own deduplication token.
 * Tokens are required for correctness here, not only for fairness with the projector (which sends
 * one per batch): on chDB a `clickhouse_settings` value sticks to the session, so after the
 * projector's inserts a token-less insert would still carry the projector's last token and be
 * dropped as a duplicate.
 */
async function insertDirect(
  ch: ClickHouse,
  rows: { archive: object[]; generations: object[] }[],
  tokenPrefix: string,
): Promise<void> {
  for (const [i, chunk] of rows.entries()) {
    await ch.insert('events', chunk.archive, `${tokenPrefix}:${i}`);
    await ch.insert('generations', chunk.generations, `${tokenPrefix}:${i}`);
  }
}

/** Empty every read model fed from LLM events, as the registry lists them. */
async function truncate(ch: ClickHouse): Promise<void> {
  for (const table of READ_MODELS.filter((m) => m.source === LLM_EVENTS).flatMap((m) => m.tables)) {
    await ch.command('TRUNCATE TABLE {table:Identifier}', { table });
  }
}

async function pipelineThroughput(): Promise<PipelineFigures> {
  heading('b. Pipeline throughput (lmdb log → ProjectorService → chDB)  vs  direct ClickHouse.insert');
  if (CONFIG.events % 2) throw new Error('BENCH_EVENTS must be even (requested + completed per generation)');
  const generationsWanted = CONFIG.events / 2;
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-pipeline-'));
  console.log(
    `${int(CONFIG.events)} events = ${int(generationsWanted)} generations (requested + completed), ` +
      `${CONFIG.partitions} log partitions, in ${dir}`,
  );
  const { ch } = await openClickHouse({ database: 'default', dataDir: dir });
  const log = LmdbEventLog.open(join(dir, 'eventlog'));
  try {
    await log.ensureTopics(topicSpecs(CONFIG.partitions));

    const events: SightlineEvent[] = [];
    for (let i = 0; i < generationsWanted; i++) events.push(...generationEvents(PROJECT));

    // Validate + serialize, as the gateway's recorder does before appending.
    let start = now();
    const records = events.map((e) => ({ key: e.traceId, value: encodeEvent(e) }));
    const encodeMs = now() - start;

    start = now();
    for (const batch of chunks(records, CONFIG.appendBatch)) await log.append(TOPICS.llm, batch);
    const appendMs = now() - start;
    const appended = (await log.endOffsets(TOPICS.llm)).reduce((a, b) => a + b, 0);
    if (appended !== CONFIG.events) throw new Error(`appended ${appended} of ${CONFIG.events} events`);

    // One generation per append call, awaited one after the other, into a scratch log.
    const scratch = LmdbEventLog.open(join(dir, 'scratch-log'));
    let smallAppended = 0;
    let smallCalls = 0;
    start = now();
    try {
      await scratch.ensureTopics(topicSpecs(CONFIG.partitions));
      start = now();
      while (now() - start < CONFIG.smallAppendSeconds * 1000 && smallAppended < records.length) {
        await scratch.append(TOPICS.llm, records.slice(smallAppended, smallAppended + 2));
        smallAppended += 2;
        smallCalls++;
      }
    } finally {
      await scratch.close();
    }
    const smallAppendMs = now() - start;

    // Warm chDB's insert path once (first inserts pay one-off costs), then start from empty tables.
    const rows = baselineRows(events);
    await insertDirect(ch, rows.slice(0, 1), 'bench-warmup');
    await truncate(ch);

    // Pipeline: the projector consumes the whole log; done when every generation is in ClickHouse.
    // Tombstones live on the control plane: the projector drops erased events before projecting.
    const control = new ControlPlane(log);
    await control.onModuleInit();
    const projector = new ProjectorService(log, ch, control);
    start = now();
    let pipelineMs: number;
    try {
      await projector.onApplicationBootstrap();
      const deadline = Date.now() + 15 * 60_000;
      for (;;) {
        const projected = await count(ch, 'generations');
        if (projected >= generationsWanted) break;
        if (Date.now() > deadline) throw new Error(`projector stalled at ${projected} generations`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      pipelineMs = now() - start;
    } finally {
      await projector.onModuleDestroy();
      await control.onModuleDestroy();
    }
    const batches = projector.batchesApplied;
    const [projectedEvents, projectedGenerations] = [
      await count(ch, 'events'),
      await count(ch, 'generations'),
    ];
    if (projectedEvents !== CONFIG.events || projectedGenerations !== generationsWanted) {
      throw new Error(
        `pipeline wrote ${projectedEvents} events / ${projectedGenerations} generations, ` +
          `expected ${CONFIG.events} / ${generationsWanted}`,
      );
    }

    // Baseline: the same rows, inserted directly into emptied tables.
    await truncate(ch);
    start = now();
    await insertDirect(ch, rows, 'bench-baseline');
    const baselineMs = now() - start;
    const baselineRowCount = rows.reduce((n, r) => n + r.archive.length + r.generations.length, 0);
    const [baseEvents, baseGenerations] = [await count(ch, 'events'), await count(ch, 'generations')];
    if (baseEvents !== CONFIG.events || baseGenerations !== generationsWanted) {
      throw new Error(`baseline wrote ${baseEvents} events / ${baseGenerations} generations`);
    }

    const figures: PipelineFigures = {
      events: CONFIG.events,
      generations: generationsWanted,
      encodeEps: (CONFIG.events / encodeMs) * 1000,
      appendEps: (CONFIG.events / appendMs) * 1000,
      smallAppended,
      smallAppendMs,
      smallAppendEps: (smallAppended / smallAppendMs) * 1000,
      smallAppendCallMs: smallAppendMs / smallCalls,
      pipelineMs,
      pipelineEps: (CONFIG.events / pipelineMs) * 1000,
      batches,
      baselineMs,
      baselineRows: baselineRowCount,
      baselineRps: (baselineRowCount / baselineMs) * 1000,
      baselineEps: (CONFIG.events / baselineMs) * 1000,
    };
    printPipeline(figures);
    return figures;
  } finally {
    await log.close();
    await ch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printPipeline(f: PipelineFigures): void {
  printTable(
    'Embedded log (lmdb), on its own',
    ['step', 'events', 'seconds', 'events/s'],
    [
      [
        'encodeEvent (validate + JSON)',
        int(f.events),
        seconds((f.events / f.encodeEps) * 1000),
        int(f.encodeEps),
      ],
      [
        `append, ${CONFIG.appendBatch} events per call`,
        int(f.events),
        seconds((f.events / f.appendEps) * 1000),
        int(f.appendEps),
      ],
      [
        `append, 2 events per call, sequential (${ms(f.smallAppendCallMs)} ms/call)`,
        int(f.smallAppended),
        seconds(f.smallAppendMs),
        int(f.smallAppendEps),
      ],
    ],
  );
  printTable(
    `Log → ClickHouse (${int(f.events)} events → ${int(f.events)} archive rows + ${int(f.generations)} generation rows)`,
    ['path', 'seconds', 'events/s', 'rows/s', 'vs baseline'],
    [
      [
        `pipeline: ProjectorService, ${CONFIG.partitions} partitions (${f.batches} batches)`,
        seconds(f.pipelineMs),
        int(f.pipelineEps),
        int((f.baselineRows / f.pipelineMs) * 1000),
        ratio(f.pipelineEps / f.baselineEps),
      ],
      [
        `baseline: ClickHouse.insert, ${CONFIG.insertBatch}-event chunks, prepared rows`,
        seconds(f.baselineMs),
        int(f.baselineEps),
        int(f.baselineRps),
        ratio(1),
      ],
    ],
  );
}

// ---------------------------------------------------------------------------------------------

function printSummary(g: GatewayFigures, p: PipelineFigures): void {
  const c = g.completion;
  const s = g.stream;
  const lines = [
    `command : ${command(__filename)}`,
    `machine : ${machine()}`,
    `commit  : ${commit()}`,
    '',
    `Gateway added latency, non-streaming (${MODEL} → local fake OpenAI, ${CONFIG.rounds}×${CONFIG.requests} req/path, concurrency ${CONFIG.concurrency}):`,
    `  p50  direct ${ms(c.direct.p50)} ms, via Sightline ${ms(c.via.p50)} ms → added ${deltaMs(c.via.p50 - c.direct.p50)} ms (${ratio(c.via.p50 / c.direct.p50)})`,
    `  p99  direct ${ms(c.direct.p99)} ms, via Sightline ${ms(c.via.p99)} ms → added ${deltaMs(c.via.p99 - c.direct.p99)} ms (${ratio(c.via.p99 / c.direct.p99)})`,
    `  mean direct ${ms(c.direct.mean)} ms, via Sightline ${ms(c.via.mean)} ms → added ${deltaMs(c.via.mean - c.direct.mean)} ms (${ratio(c.via.mean / c.direct.mean)})`,
    `  throughput direct ${int(c.directRps)} req/s, via Sightline ${int(c.viaRps)} req/s (${ratio(c.viaRps / c.directRps)})`,
    `Gateway added latency, streaming (${CONFIG.rounds}×${CONFIG.streamRequests} req/path):`,
    `  first content chunk p50 ${deltaMs(s.viaTtfc.p50 - s.directTtfc.p50)} ms (${ms(s.directTtfc.p50)} → ${ms(s.viaTtfc.p50)}), p99 ${deltaMs(s.viaTtfc.p99 - s.directTtfc.p99)} ms (${ms(s.directTtfc.p99)} → ${ms(s.viaTtfc.p99)})`,
    `  last byte           p50 ${deltaMs(s.viaTtlb.p50 - s.directTtlb.p50)} ms (${ms(s.directTtlb.p50)} → ${ms(s.viaTtlb.p50)}), p99 ${deltaMs(s.viaTtlb.p99 - s.directTtlb.p99)} ms (${ms(s.directTtlb.p99)} → ${ms(s.viaTtlb.p99)})`,
    `Pipeline log → projector → ClickHouse (embedded: lmdb + chDB, ${int(p.events)} events = ${int(p.generations)} generations):`,
    `  pipeline ${int(p.pipelineEps)} events/s (${seconds(p.pipelineMs)} s)`,
    `  baseline direct ClickHouse.insert of the same rows: ${int(p.baselineRps)} rows/s = ${int(p.baselineEps)} events/s (${seconds(p.baselineMs)} s)`,
    `  pipeline / baseline = ${ratio(p.pipelineEps / p.baselineEps)}`,
    `  lmdb append ${int(p.appendEps)} events/s (${CONFIG.appendBatch} per call); ${int(p.smallAppendEps)} events/s at 2 per call, sequential; encodeEvent ${int(p.encodeEps)} events/s`,
  ];
  const title = ' SUMMARY: gateway-and-pipeline ';
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '='.repeat(Math.max(0, width - title.length));
  console.log(`\n===${title}${bar}\n${lines.join('\n')}\n${'='.repeat(width + 3)}`);
}

async function main(): Promise<void> {
  const started = now();
  console.log(`gateway-and-pipeline · ${machine()}`);
  const gateway = await gatewayLatency();
  const pipeline = await pipelineThroughput();
  printSummary(gateway, pipeline);
  console.log(`(scenario took ${seconds(now() - started)} s)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
