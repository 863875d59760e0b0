/**
 * The gateway's figures (issue 9), Sightline against the same fake provider reached directly, in
 * one run, recording on. Three processes: this load generator, the fake OpenAI server
 * (`backend/test/support/fake-openai-server.main.ts`, no token delay) and Sightline (embedded log +
 * chDB, projector on), routing `gpt-*` to the fake.
 *
 * 1. Added latency, non-streaming, at a FIXED arrival rate (open loop; latency from each request's
 *    intended send time, so a stall is not hidden by the generator waiting): p50/p99 direct, via,
 *    added. Rounds alternate which path goes first. When a path cannot keep up with that rate here,
 *    the latencies are queueing: the same is measured again at the highest rate both sustain (tried
 *    down from 70 % of what Sightline achieved, halving).
 * 2. Added time to first content chunk, streaming, open loop at its own rate.
 * 3. Max throughput: a closed loop of many workers, req/s per path.
 * 4. Recording: after Sightline stopped (flushing its recorder), its log is read back: one
 *    `generation.requested` and one end per request sent through it, no event twice.
 *
 * Knobs: BENCH_RATE (500 req/s), BENCH_RATE_REQUESTS (5000 per path and round), BENCH_ROUNDS (2),
 * BENCH_STREAM_RATE (200), BENCH_STREAM_REQUESTS (2000 per path), BENCH_MAX_CONCURRENCY (32),
 * BENCH_MAX_REQUESTS (10000 per path), BENCH_WARMUP (1000 per path), BENCH_CPU_PROF_DIR (write a
 * CPU profile of the Sightline process there), BENCH_SIGHTLINE_ENV (`K=V,K=V` for Sightline, e.g.
 * `SIGHTLINE_ROLES=api` to leave the projector out). BENCH_SHORT=1 divides the request counts by 10 (CI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Agent, OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { command, commit, envInt, machine } from '../harness/environment';
import { startFakeProvider, type FakeProviderProcess } from '../harness/fake-provider-process';
import { keepAliveAgent, postJson, postStream } from '../harness/http';
import { closedLoop } from '../harness/load';
import { openLoop } from '../harness/open-loop';
import { processCpuMs, threadCpuMs } from '../harness/process-cpu';
import { summarize, type Summary } from '../harness/percentiles';
import { recordedGenerations, type RecordedGenerations } from '../harness/recorded-generations';
import { startSightline } from '../harness/sightline-process';
import { deltaMs, heading, int, ms, printTable, ratio } from '../harness/table';

const SHORT = process.env.BENCH_SHORT === '1' ? 10 : 1;
const CONFIG = {
  rate: envInt('BENCH_RATE', 500),
  rateRequests: Math.ceil(envInt('BENCH_RATE_REQUESTS', 5000) / SHORT),
  rounds: envInt('BENCH_ROUNDS', 2),
  streamRate: envInt('BENCH_STREAM_RATE', 200),
  streamRequests: Math.ceil(envInt('BENCH_STREAM_REQUESTS', 2000) / SHORT),
  maxConcurrency: envInt('BENCH_MAX_CONCURRENCY', 32),
  maxRequests: Math.ceil(envInt('BENCH_MAX_REQUESTS', 10_000) / SHORT),
  warmup: Math.ceil(envInt('BENCH_WARMUP', 1000) / SHORT),
  cpuProfDir: process.env.BENCH_CPU_PROF_DIR || undefined,
  sightlineEnv: Object.fromEntries(
    (process.env.BENCH_SIGHTLINE_ENV ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  ) as Record<string, string>,
};

const MODEL = 'gpt-4o-mini';
const API_KEY = 'bench-provider-key';
const MESSAGES = [{ role: 'user', content: 'Say hello to the load test.' }];
const COMPLETION_BODY = JSON.stringify({ model: MODEL, messages: MESSAGES });
const STREAM_BODY = JSON.stringify({ model: MODEL, messages: MESSAGES, stream: true });

type PathName = 'direct' | 'via';

interface Target {
  readonly name: PathName;
  readonly url: string;
  readonly agent: Agent;
  readonly headers: OutgoingHttpHeaders;
  /** Requests sent on this path so far (warm-up and checks included). */
  sent: number;
}

interface Expected {
  readonly completion: string;
  readonly stream: string;
}

function contentOf(body: string): string {
  return (JSON.parse(body) as { choices: { message: { content: string } }[] }).choices[0].message.content;
}

async function completion(target: Target, expected: string): Promise<void> {
  target.sent++;
  const res = await postJson(target.agent, target.url, COMPLETION_BODY, target.headers);
  if (res.status !== 200) throw new Error(`${target.name}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  const content = contentOf(res.body);
  if (content !== expected) throw new Error(`${target.name}: unexpected content ${JSON.stringify(content)}`);
}

/** Resolves with the time to the first content chunk from `startedAt`. */
async function stream(target: Target, expected: string, startedAt?: number): Promise<number> {
  target.sent++;
  const res = await postStream(target.agent, target.url, STREAM_BODY, target.headers, startedAt);
  if (res.status !== 200 || !res.done || res.content !== expected) {
    throw new Error(
      `${target.name}: stream ended badly (HTTP ${res.status}, done=${res.done}, ${JSON.stringify(res.content.slice(0, 80))})`,
    );
  }
  return res.firstContentMs;
}

/** Each request of a phase reached the fake exactly once. */
async function checkUpstream(fake: FakeProviderProcess, target: Target, sentBefore: number): Promise<void> {
  const reached = await fake.takeCount();
  const sent = target.sent - sentBefore;
  if (reached !== sent) throw new Error(`${target.name}: ${sent} requests sent, ${reached} reached the fake`);
}

/** Runs `phase` on each target in turn (order alternating by `round`), checking the fake's count after each. */
async function bothPaths<T>(
  fake: FakeProviderProcess,
  targets: readonly [Target, Target],
  round: number,
  phase: (target: Target) => Promise<T>,
): Promise<Record<PathName, T>> {
  const order = round % 2 === 0 ? targets : ([targets[1], targets[0]] as const);
  const out: Partial<Record<PathName, T>> = {};
  for (const target of order) {
    const before = target.sent;
    out[target.name] = await phase(target);
    await checkUpstream(fake, target, before);
  }
  return out as Record<PathName, T>;
}

interface SustainableRate {
  /** Rates tried, highest first; the last is the one measured if `summary` is set. */
  readonly tried: readonly number[];
  readonly summary: Record<PathName, Summary> | undefined;
}

interface Figures {
  readonly rate: Record<PathName, Summary>;
  readonly rateRounds: Record<PathName, Summary>[];
  readonly achievedRate: Record<PathName, number>;
  readonly maxInFlight: Record<PathName, number>;
  /** The fixed-rate figures again at a rate both paths sustain, when BENCH_RATE was not. */
  readonly sustainable: SustainableRate | undefined;
  readonly ttfc: Record<PathName, Summary>;
  readonly maxRps: Record<PathName, number>;
  /**
   * CPU ms per request: the fake answering one (direct), Sightline proxying and recording one (all
   * threads), and that split by thread (`threadCpuMs`): the main thread (the event loop serving the
   * gateway), the other `node` threads (the projector's worker, GC, lmdb...), chDB's own threads.
   */
  readonly cpuPerRequest: {
    readonly fake: number;
    readonly sightline: number;
    readonly threads: ReturnType<typeof threadCpuMs>;
  };
  readonly viaSent: number;
  readonly recorded: RecordedGenerations;
}

async function run(): Promise<Figures> {
  const fake = await startFakeProvider({ apiKey: API_KEY });
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-gateway-'));
  const sightline = await startSightline({
    dataDir,
    env: {
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: API_KEY,
      MOCK_TOKEN_INTERVAL_MS: '0',
      ...CONFIG.sightlineEnv,
    },
    nodeArgs: CONFIG.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${CONFIG.cpuProfDir}`] : [],
  });
  // Open loops need sockets for every request in flight; never let the agent queue them.
  const sockets = Math.max(256, CONFIG.maxConcurrency);
  const direct: Target = {
    name: 'direct',
    url: `${fake.url}/chat/completions`,
    agent: keepAliveAgent(sockets),
    headers: { authorization: `Bearer ${API_KEY}` },
    sent: 0,
  };
  const via: Target = {
    name: 'via',
    url: `${sightline.url}/v1/chat/completions`,
    agent: keepAliveAgent(sockets),
    headers: sightline.apiKey ? { authorization: `Bearer ${sightline.apiKey}` } : {},
    sent: 0,
  };
  const targets = [direct, via] as const;
  console.log(`fake OpenAI server pid ${fake.pid} on ${fake.url} (own process, no token delay)`);
  console.log(`Sightline pid ${sightline.pid} on ${sightline.url} (embedded log + chDB, recording on)`);
  console.log(`load generator pid ${process.pid}`);

  let stopped = false;
  try {
    const expected = await probe(fake, targets);
    for (const target of targets) {
      const before = target.sent;
      await closedLoop({
        concurrency: 8,
        requests: CONFIG.warmup,
        task: () => completion(target, expected.completion),
      });
      await closedLoop({
        concurrency: 8,
        requests: Math.ceil(CONFIG.warmup / 4),
        task: () => stream(target, expected.stream),
      });
      await checkUpstream(fake, target, before);
    }

    const rateRounds: Record<PathName, Summary>[] = [];
    const rateAll: Record<PathName, number[]> = { direct: [], via: [] };
    const achievedRate = { direct: Infinity, via: Infinity };
    const maxInFlight = { direct: 0, via: 0 };
    for (let round = 0; round < CONFIG.rounds; round++) {
      const result = await bothPaths(fake, targets, round, (target) =>
        openLoop({
          rate: CONFIG.rate,
          requests: CONFIG.rateRequests,
          task: () => completion(target, expected.completion),
        }),
      );
      for (const name of ['direct', 'via'] as const) {
        rateAll[name].push(...result[name].latencies);
        achievedRate[name] = Math.min(achievedRate[name], result[name].achievedRate);
        maxInFlight[name] = Math.max(maxInFlight[name], result[name].maxInFlight);
      }
      rateRounds.push({ direct: summarize(result.direct.latencies), via: summarize(result.via.latencies) });
      console.log(`fixed-rate round ${round + 1}/${CONFIG.rounds} done`);
    }
    const sustainable = keptUp(achievedRate, CONFIG.rate, maxInFlight)
      ? undefined
      : await atSustainableRate(fake, targets, expected.completion, achievedRate.via);

    const ttfc = await bothPaths(fake, targets, 0, async (target) => {
      const result = await openLoop({
        rate: CONFIG.streamRate,
        requests: CONFIG.streamRequests,
        task: (intendedAt) => stream(target, expected.stream, intendedAt),
      });
      return summarize(result.values);
    });
    console.log('streaming done');

    // CPU per request hardly moves when other processes load the machine, unlike latency. Sightline's
    // is taken over both paths' runs, so the projector catching up after its own run is counted.
    const sightlineCpuBefore = processCpuMs(sightline.pid);
    const threadsBefore = threadCpuMs(sightline.pid);
    const max = await bothPaths(fake, targets, 1, async (target) => {
      const fakeCpuBefore = processCpuMs(fake.pid);
      const result = await closedLoop({
        concurrency: CONFIG.maxConcurrency,
        requests: CONFIG.maxRequests,
        task: () => completion(target, expected.completion),
      });
      return {
        rps: result.throughput,
        fakeCpuMs: (processCpuMs(fake.pid) - fakeCpuBefore) / CONFIG.maxRequests,
      };
    });
    const sightlineCpuMs = (processCpuMs(sightline.pid) - sightlineCpuBefore) / CONFIG.maxRequests;
    const threadsAfter = threadCpuMs(sightline.pid);
    const perRequest = (kind: keyof typeof threadsAfter): number =>
      (threadsAfter[kind] - threadsBefore[kind]) / CONFIG.maxRequests;
    const threads = { main: perRequest('main'), node: perRequest('node'), native: perRequest('native') };
    console.log('max throughput done');

    for (const target of targets) target.agent.destroy();
    await sightline.stop();
    stopped = true;
    const recorded = await recordedGenerations(dataDir);
    return {
      rate: { direct: summarize(rateAll.direct), via: summarize(rateAll.via) },
      rateRounds,
      achievedRate,
      maxInFlight,
      sustainable,
      ttfc,
      maxRps: { direct: max.direct.rps, via: max.via.rps },
      cpuPerRequest: { fake: max.direct.fakeCpuMs, sightline: sightlineCpuMs, threads },
      viaSent: via.sent,
      recorded,
    };
  } finally {
    for (const target of targets) target.agent.destroy();
    if (!stopped) await sightline.stop();
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Whether both paths kept up with `rate`: achieved it within 5 %, and (when `maxInFlight` is given)
 * never held more than 50 ms of arrivals in flight. Else the queue, not the proxy, sets the latency.
 */
function keptUp(
  achieved: Record<PathName, number>,
  rate: number,
  maxInFlight?: Record<PathName, number>,
): boolean {
  const queued = maxInFlight ? Math.max(maxInFlight.direct, maxInFlight.via) : 0;
  return Math.min(achieved.direct, achieved.via) >= rate * 0.95 && queued <= Math.max(4, rate * 0.05);
}

/**
 * The non-streaming latencies at the highest rate both paths sustain: tried from 70 % of what
 * Sightline achieved at BENCH_RATE, halving, at most four rates.
 */
async function atSustainableRate(
  fake: FakeProviderProcess,
  targets: readonly [Target, Target],
  completionText: string,
  achievedVia: number,
): Promise<SustainableRate> {
  const tried: number[] = [];
  for (
    let rate = Math.max(10, Math.floor((achievedVia * 0.7) / 10) * 10);
    tried.length < 4;
    rate = Math.floor(rate / 2)
  ) {
    tried.push(rate);
    const result = await bothPaths(fake, targets, tried.length, (target) =>
      openLoop({
        rate,
        requests: Math.min(CONFIG.rateRequests, rate * 10),
        task: () => completion(target, completionText),
      }),
    );
    console.log(`fixed rate ${rate} req/s done`);
    const achieved = { direct: result.direct.achievedRate, via: result.via.achievedRate };
    if (keptUp(achieved, rate, { direct: result.direct.maxInFlight, via: result.via.maxInFlight })) {
      return {
        tried,
        summary: { direct: summarize(result.direct.latencies), via: summarize(result.via.latencies) },
      };
    }
    if (rate < 20) break;
  }
  return { tried, summary: undefined };
}

/** Sightline must answer what the provider answers, streamed or not. */
async function probe(fake: FakeProviderProcess, targets: readonly [Target, Target]): Promise<Expected> {
  const answers = await bothPaths(fake, targets, 0, async (target): Promise<Expected> => {
    target.sent++;
    const res = await postJson(target.agent, target.url, COMPLETION_BODY, target.headers);
    if (res.status !== 200) throw new Error(`${target.name}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    target.sent++;
    const streamed = await postStream(target.agent, target.url, STREAM_BODY, target.headers);
    return { completion: contentOf(res.body), stream: streamed.content };
  });
  if (answers.via.completion !== answers.direct.completion || answers.via.stream !== answers.direct.stream) {
    throw new Error('Sightline answered differently from the provider it proxies');
  }
  return answers.direct;
}

function recordingVerdict(f: Figures): string {
  const r = f.recorded;
  const ok =
    r.generations === f.viaSent &&
    r.complete === f.viaSent &&
    r.incomplete === 0 &&
    r.doubled === 0 &&
    r.invalid === 0 &&
    r.duplicateEventIds === 0;
  const ends = Object.entries(r.ends)
    .map(([type, n]) => `${type.replace('generation.', '')} ${int(n)}`)
    .join(', ');
  return `${ok ? 'OK' : 'MISMATCH'}: ${int(f.viaSent)} requests sent through Sightline, ${int(r.generations)} generations recorded (${int(r.events)} events; ends: ${ends}), ${int(r.incomplete)} incomplete, ${int(r.doubled)} doubled, ${int(r.duplicateEventIds)} duplicate event ids, ${int(r.invalid)} invalid`;
}

/** The fixed-rate figures at a sustainable rate, when BENCH_RATE was not sustained. */
function sustainableLines(s: SustainableRate | undefined): string[] {
  if (!s) return [];
  const { summary: r, tried } = s;
  if (!r) return [`  no lower rate was sustained either (tried ${tried.join(', ')} req/s)`];
  const rate = tried[tried.length - 1];
  return [
    `  at ${rate} req/s, the highest rate sustained here (tried ${tried.join(', ')} req/s):`,
    `    p50 direct ${ms(r.direct.p50)} ms, via ${ms(r.via.p50)} ms → added ${deltaMs(r.via.p50 - r.direct.p50)} ms`,
    `    p99 direct ${ms(r.direct.p99)} ms, via ${ms(r.via.p99)} ms → added ${deltaMs(r.via.p99 - r.direct.p99)} ms`,
  ];
}

function print(f: Figures): boolean {
  const { rate, ttfc, maxRps } = f;
  printTable(
    `Non-streaming at a fixed ${CONFIG.rate} req/s (open loop, from intended send time): ${CONFIG.rounds} × ${CONFIG.rateRequests} per path`,
    ['path', 'achieved req/s', 'max in flight', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'],
    (['direct', 'via'] as const).map((p) => [
      p === 'via' ? 'via Sightline' : p,
      int(f.achievedRate[p]),
      f.maxInFlight[p],
      ms(rate[p].p50),
      ms(rate[p].p90),
      ms(rate[p].p99),
      ms(rate[p].max),
    ]),
  );
  printTable(
    'Per round (noise check)',
    ['round', 'direct p50', 'via p50', 'added p50', 'direct p99', 'via p99', 'added p99'],
    f.rateRounds.map((r, i) => [
      String(i + 1),
      ms(r.direct.p50),
      ms(r.via.p50),
      deltaMs(r.via.p50 - r.direct.p50),
      ms(r.direct.p99),
      ms(r.via.p99),
      deltaMs(r.via.p99 - r.direct.p99),
    ]),
  );
  const verdict = recordingVerdict(f);
  const lines = [
    `command : ${command(__filename)}`,
    `machine : ${machine()}`,
    `commit  : ${commit()}`,
    '',
    `Added latency, non-streaming, fixed ${CONFIG.rate} req/s open loop (${CONFIG.rounds}×${CONFIG.rateRequests} req/path; target p50 ≤ 0.5 ms, p99 ≤ 1 ms):`,
    `  p50 direct ${ms(rate.direct.p50)} ms, via ${ms(rate.via.p50)} ms → added ${deltaMs(rate.via.p50 - rate.direct.p50)} ms (${ratio(rate.via.p50 / rate.direct.p50)})`,
    `  p99 direct ${ms(rate.direct.p99)} ms, via ${ms(rate.via.p99)} ms → added ${deltaMs(rate.via.p99 - rate.direct.p99)} ms (${ratio(rate.via.p99 / rate.direct.p99)})`,
    `  achieved direct ${int(f.achievedRate.direct)} req/s, via ${int(f.achievedRate.via)} req/s${keptUp(f.achievedRate, CONFIG.rate, f.maxInFlight) ? '' : ` — NOT SUSTAINED (fell behind or queued over 50 ms of arrivals): these latencies are queueing, not overhead`}`,
    ...sustainableLines(f.sustainable),
    `Added time to first content chunk, streaming, fixed ${CONFIG.streamRate} req/s (${CONFIG.streamRequests} req/path; target p50 ≤ 1 ms):`,
    `  p50 direct ${ms(ttfc.direct.p50)} ms, via ${ms(ttfc.via.p50)} ms → added ${deltaMs(ttfc.via.p50 - ttfc.direct.p50)} ms; p99 ${ms(ttfc.direct.p99)} → ${ms(ttfc.via.p99)} ms`,
    `Max throughput, closed loop of ${CONFIG.maxConcurrency} (${CONFIG.maxRequests} req/path; target via ≥ 3,000 req/s):`,
    `  direct ${int(maxRps.direct)} req/s, via Sightline ${int(maxRps.via)} req/s (${ratio(maxRps.via / maxRps.direct)})`,
    `  CPU per request: the fake ${ms(f.cpuPerRequest.fake)} ms, Sightline ${ms(f.cpuPerRequest.sightline)} ms (proxy + recording + projection; ${ratio(f.cpuPerRequest.sightline / f.cpuPerRequest.fake)})`,
    `    by thread: main ${ms(f.cpuPerRequest.threads.main)} ms, other node threads (projector worker, GC, lmdb) ${ms(f.cpuPerRequest.threads.node)} ms, chDB's ${ms(f.cpuPerRequest.threads.native)} ms`,
    `Recording: ${verdict}`,
  ];
  const title = ' SUMMARY: gateway ';
  const width = Math.max(...lines.map((l) => l.length));
  console.log(
    `\n===${title}${'='.repeat(Math.max(0, width - title.length))}\n${lines.join('\n')}\n${'='.repeat(width + 3)}`,
  );
  return verdict.startsWith('OK');
}

async function main(): Promise<void> {
  const started = performance.now();
  heading('gateway: client → fake OpenAI  vs  client → Sightline → fake OpenAI (3 processes)');
  console.log(machine());
  const figures = await run();
  const ok = print(figures);
  console.log(`(scenario took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (!ok) throw new Error('recording lost or doubled events');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
