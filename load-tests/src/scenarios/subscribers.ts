/**
 * Live subscribers at scale: 200 graphql-ws subscribers (one socket each) with mixed server-side
 * filters while generations are ingested at 2,000 events/s, and one subscriber that stops reading.
 *
 * - Delivery latency: from the send of the `POST /api/ingest` batch holding a generation until a
 *   subscriber gets it (`generationRecorded`, or the final row of `liveGenerations`).
 * - Fairness: per subscriber, what it got of what its filter selects (the bench knows what it sent)
 *   and its own p99; no subscriber may starve while the others are served.
 * - Phases, one Sightline process, the same load each: a baseline with 1 unfiltered subscriber;
 *   the 200; the 200 with one of them stalled (its socket paused for the phase, then resumed: it
 *   is told how many changes it `missed`). The stall stays under graphql-ws's keep-alive (a client
 *   that leaves a ping unanswered 12 s is dropped).
 *
 * - Cost: CPU time of Sightline's event loop per second of load (from /proc, until delivered):
 *   unlike latency, it hardly moves when other processes load the machine.
 *
 * Knobs: BENCH_RATE (2000 events/s), BENCH_SECONDS (8 per phase), BENCH_SUBSCRIBERS (200),
 * BENCH_CPU_PROF_DIR (a V8 CPU profile of the Sightline process there; the scenario prints each
 * phase's window in it for `node dist/profile-top.js <file> [top] <from-to>`).
 * Target (issue 12): delivery p99 ≤ 100 ms with 200 subscribers at 2,000 events/s; none starves.
 */
import { createClient, type Client } from 'graphql-ws';
import { randomBytes, randomUUID } from 'node:crypto';
import type { ClientRequestArgs } from 'node:http';
import type { Socket } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { command, commit, envInt, machine } from '../harness/environment';
import { keepAliveAgent, postJson } from '../harness/http';
import { summarize, type Summary } from '../harness/percentiles';
import { mainThreadCpuMs } from '../harness/process-cpu';
import { startSightline } from '../harness/sightline-process';
import { heading, int, ms, printTable, ratio } from '../harness/table';

const CONFIG = {
  rate: envInt('BENCH_RATE', 2000),
  seconds: envInt('BENCH_SECONDS', 8),
  subscribers: envInt('BENCH_SUBSCRIBERS', 200),
  batchesPerSecond: 40,
  models: ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet-4', 'gemini-2.5-flash'],
  users: 200,
  tags: 50,
  cpuProfDir: process.env.BENCH_CPU_PROF_DIR || undefined,
};
const agent = keepAliveAgent(8);
/** µs of the monotonic clock, what a V8 CPU profile's sample times read (`profile-top.js … from-to`). */
const micros = () => process.hrtime.bigint() / 1000n;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

interface Sent {
  readonly model: string;
  readonly user: string;
  readonly tag: string;
}

/** One subscriber: its filter, as GraphQL and as the predicate the bench checks deliveries against. */
interface Kind {
  readonly label: string;
  readonly live: boolean;
  readonly filter: Record<string, unknown> | null;
  readonly selects: (s: Sent) => boolean;
}

/**
 * The mix (for 200): 2 unfiltered dashboards, 100 on one end user, 50 on one tag, 30 on a model and
 * a user, 17 `liveGenerations` on one user, and the 1 that stalls (`liveGenerations`, unfiltered).
 */
function mix(count: number): Kind[] {
  const user = (i: number) => `u${i % CONFIG.users}`;
  const kinds: Kind[] = [{ label: 'stalled (live, all)', live: true, filter: null, selects: () => true }];
  for (let i = 0; kinds.length < count; i++) {
    const slot = i % 100;
    if (slot < 1) kinds.push({ label: 'all', live: false, filter: null, selects: () => true });
    else if (slot < 51)
      kinds.push({
        label: 'user',
        live: false,
        filter: { userIds: [user(i)] },
        selects: (s) => s.user === user(i),
      });
    else if (slot < 76) {
      const tag = `t${i % CONFIG.tags}`;
      kinds.push({ label: 'tag', live: false, filter: { tags: [tag] }, selects: (s) => s.tag === tag });
    } else if (slot < 91) {
      const model = CONFIG.models[i % CONFIG.models.length];
      kinds.push({
        label: 'model+user',
        live: false,
        filter: { models: [model], userIds: [user(i)] },
        selects: (s) => s.model === model && s.user === user(i),
      });
    } else
      kinds.push({
        label: 'live, user',
        live: true,
        filter: { userIds: [user(i)] },
        selects: (s) => s.user === user(i),
      });
  }
  return kinds;
}

const RECORDED = `subscription($filter: GenerationFilter) { generationRecorded(filter: $filter) { spanId } }`;
const LIVE = `subscription($filter: GenerationFilter) {
  liveGenerations(filter: $filter) { generation { spanId status } missed }
}`;

/** A graphql-ws subscriber on its own socket, recording when each generation reached it. */
class Subscriber {
  readonly latencies: number[] = [];
  got = 0;
  expected = 0;
  missed = 0;
  private socket: Socket | undefined;
  private readonly client: Client;
  /** Resolves once the server acknowledged the connection. */
  readonly connected: Promise<void>;

  constructor(
    url: string,
    apiKey: string,
    readonly kind: Kind,
    private readonly sentAt: Map<string, number>,
  ) {
    const tap = (socket: Socket) => (this.socket = socket);
    class TappedWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[], options?: ClientRequestArgs) {
        super(address, protocols, options);
        this.once('open', () => tap((this as unknown as { _socket: Socket })._socket));
      }
    }
    let connected!: () => void;
    this.connected = new Promise((resolve) => (connected = resolve));
    this.client = createClient({
      url,
      webSocketImpl: TappedWebSocket,
      connectionParams: { authorization: `Bearer ${apiKey}` },
      lazy: false,
      on: { connected: () => connected() },
    });
    this.client.subscribe<Record<string, unknown>>(
      { query: kind.live ? LIVE : RECORDED, variables: { filter: kind.filter } },
      {
        next: ({ data }) => this.onUpdate(data ?? {}),
        error: (error) => console.error(`subscriber ${kind.label}:`, error),
        complete: () => undefined,
      },
    );
  }

  private onUpdate(data: Record<string, unknown>): void {
    const now = performance.now();
    let spanId: string | undefined;
    if (this.kind.live) {
      const update = data.liveGenerations as {
        generation: { spanId: string; status: string } | null;
        missed: number;
      };
      this.missed += update.missed;
      if (update.generation && update.generation.status !== 'IN_FLIGHT') spanId = update.generation.spanId;
    } else spanId = (data.generationRecorded as { spanId: string }).spanId;
    const sent = spanId && this.sentAt.get(spanId);
    if (!sent) return; // a warm-up generation, or one of another phase
    this.got++;
    this.latencies.push(now - sent);
  }

  reset(): void {
    this.latencies.length = 0;
    this.got = this.expected = this.missed = 0;
  }

  pause(): void {
    this.socket!.pause();
  }

  resume(): void {
    this.socket!.resume();
  }

  close(): Promise<void> {
    return this.client.dispose() as Promise<void>;
  }
}

/** Generations at `rate`/s for `seconds`, in batches sent open-loop (a late batch does not delay the next). */
async function load(base: string, apiKey: string, subscribers: Subscriber[], sentAt: Map<string, number>) {
  const perBatch = Math.round(CONFIG.rate / CONFIG.batchesPerSecond);
  const batches = CONFIG.seconds * CONFIG.batchesPerSecond;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  let lateMs = 0;
  for (let b = 0; b < batches; b++) {
    const due = started + (b * 1000) / CONFIG.batchesPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else lateMs = Math.max(lateMs, -wait);
    const sent: Sent[] = [];
    const items = Array.from({ length: perBatch }, (_, i) => {
      const s: Sent = {
        model: CONFIG.models[(b + i) % CONFIG.models.length],
        user: `u${Math.floor(Math.random() * CONFIG.users)}`,
        tag: `t${Math.floor(Math.random() * CONFIG.tags)}`,
      };
      sent.push(s);
      const spanId = hex(8);
      return { spanId, s };
    });
    const at = performance.now();
    const body = items.map(({ spanId, s }) => {
      sentAt.set(spanId, at);
      return {
        id: randomUUID(),
        type: 'generation',
        body: {
          traceId: hex(16),
          spanId,
          name: 'answer',
          model: s.model,
          userId: s.user,
          tags: [s.tag],
          startedAt: new Date(Date.now() - 800).toISOString(),
          endedAt: new Date().toISOString(),
          output: 'Your parcel left the depot this morning.',
          usage: { inputTokens: 120, outputTokens: 12 },
        },
      };
    });
    for (const s of sent) for (const sub of subscribers) if (sub.kind.selects(s)) sub.expected++;
    inFlight.push(
      postJson(agent, `${base}/api/ingest`, JSON.stringify({ batch: body }), {
        authorization: `Bearer ${apiKey}`,
      }).then((res) => {
        if (res.status !== 207 && res.status !== 200)
          throw new Error(`ingest answered ${res.status}: ${res.body}`);
      }),
    );
  }
  await Promise.all(inFlight);
  return { seconds: (performance.now() - started) / 1000, lateMs };
}

interface PhaseResult {
  readonly name: string;
  readonly all: Summary;
  readonly perSubscriberP99: Summary;
  readonly minShare: number;
  readonly worst: string;
  readonly delivered: number;
  readonly load: string;
  readonly lateMs: number;
  /** The load's window in the CPU profile, `from-to` µs. */
  readonly window: string;
  /** CPU time of Sightline's main thread (its event loop) from the load's start until delivered, ms: hardly moved by a busy machine. */
  readonly sightlineCpuMs: number;
  /** CPU time of this process (the 200 clients and the sender) over the same span, ms. */
  readonly benchCpuMs: number;
}

async function phase(
  name: string,
  pid: number,
  base: string,
  apiKey: string,
  subscribers: Subscriber[],
  measured: Subscriber[],
  sentAt: Map<string, number>,
): Promise<PhaseResult> {
  subscribers.forEach((s) => s.reset());
  sentAt.clear();
  const from = micros();
  const cpuBefore = mainThreadCpuMs(pid);
  const benchBefore = process.cpuUsage();
  const { lateMs } = await load(base, apiKey, subscribers, sentAt);
  const to = micros();
  const load1 = loadavg()[0].toFixed(2);
  // Drain: everything sent is delivered within a few seconds, or counted missing.
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline && measured.some((s) => s.got < s.expected))
    await new Promise((r) => setTimeout(r, 50));
  // Until drained: a fan-out that falls behind does part of its work after the load.
  const sightlineCpuMs = mainThreadCpuMs(pid) - cpuBefore;
  const bench = process.cpuUsage(benchBefore);
  const all = summarize(measured.flatMap((s) => s.latencies));
  const perSubscriberP99 = summarize(
    measured.filter((s) => s.latencies.length).map((s) => summarize(s.latencies).p99),
  );
  const shares = measured.map((s) => ({ s, share: s.expected ? s.got / s.expected : 1 }));
  const worst = shares.reduce((a, b) => (b.share < a.share ? b : a));
  return {
    name,
    all,
    perSubscriberP99,
    minShare: worst.share,
    worst: `${worst.s.kind.label} ${int(worst.s.got)}/${int(worst.s.expected)}`,
    delivered: measured.reduce((n, s) => n + s.got, 0),
    load: load1,
    lateMs,
    window: `${from}-${to}`,
    sightlineCpuMs,
    benchCpuMs: (bench.user + bench.system) / 1000,
  };
}

async function main(): Promise<void> {
  heading(`live subscribers: ${CONFIG.subscribers} graphql-ws subscribers at ${int(CONFIG.rate)} events/s`);
  const sightline = await startSightline({
    nodeArgs: CONFIG.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${CONFIG.cpuProfDir}`] : [],
  });
  const subscribers: Subscriber[] = [];
  try {
    const url = `${sightline.url.replace('http', 'ws')}/graphql`;
    const apiKey = sightline.apiKey!;
    const sentAt = new Map<string, number>();
    const results: PhaseResult[] = [];

    const baseline = new Subscriber(
      url,
      apiKey,
      { label: 'all', live: false, filter: null, selects: () => true },
      sentAt,
    );
    subscribers.push(baseline);
    await warmUp(sightline.url, apiKey, [baseline], sentAt);
    results.push(
      await phase(
        'baseline: 1 subscriber (all)',
        sightline.pid,
        sightline.url,
        apiKey,
        [baseline],
        [baseline],
        sentAt,
      ),
    );
    await baseline.close();
    subscribers.length = 0;

    const kinds = mix(CONFIG.subscribers);
    for (let i = 0; i < kinds.length; i += 20) {
      const wave = kinds.slice(i, i + 20).map((k) => new Subscriber(url, apiKey, k, sentAt));
      subscribers.push(...wave);
      await Promise.all(wave.map((s) => s.connected));
    }
    const [stalled, ...others] = subscribers;
    await warmUp(sightline.url, apiKey, subscribers, sentAt);
    results.push(
      await phase(
        `${subscribers.length} subscribers`,
        sightline.pid,
        sightline.url,
        apiKey,
        subscribers,
        subscribers,
        sentAt,
      ),
    );

    stalled.pause();
    const stalledPhase = await phase(
      `${subscribers.length} subscribers, 1 stalled`,
      sightline.pid,
      sightline.url,
      apiKey,
      subscribers,
      others,
      sentAt,
    );
    results.push(stalledPhase);
    const gotWhilePaused = stalled.got;
    stalled.resume();
    const settle = performance.now() + 5000;
    while (performance.now() < settle && stalled.got + stalled.missed < stalled.expected)
      await new Promise((r) => setTimeout(r, 50));

    printTable(
      'Delivery latency, ingest batch sent → subscriber got the generation (ms)',
      [
        'phase',
        'deliveries',
        'p50',
        'p90',
        'p99',
        'max',
        'load avg 1m',
        'Sightline loop CPU ms/s',
        'bench CPU ms/s',
      ],
      results.map((r) => [
        r.name,
        int(r.delivered),
        ms(r.all.p50),
        ms(r.all.p90),
        ms(r.all.p99),
        ms(r.all.max),
        r.load,
        int(r.sightlineCpuMs / CONFIG.seconds),
        int(r.benchCpuMs / CONFIG.seconds),
      ]),
    );
    printTable(
      'Fairness: each subscriber’s own p99 (ms), and the smallest share of its selection it got',
      ['phase', 'p99 min', 'p99 median', 'p99 max', 'min got/expected', 'that subscriber', 'sender late ms'],
      results.map((r) => [
        r.name,
        ms(r.perSubscriberP99.min),
        ms(r.perSubscriberP99.p50),
        ms(r.perSubscriberP99.max),
        `${(r.minShare * 100).toFixed(1)} %`,
        r.worst,
        ms(r.lateMs),
      ]),
    );
    printTable(
      'The stalled subscriber (liveGenerations, unfiltered, socket paused for the phase)',
      ['selected', 'got while paused', 'got after resuming', 'told missed', 'got + missed'],
      [
        [
          int(stalled.expected),
          int(gotWhilePaused),
          int(stalled.got - gotWhilePaused),
          int(stalled.missed),
          int(stalled.got + stalled.missed),
        ],
      ],
    );

    const [base, many, withStall] = results;
    console.log(`\n=== SUMMARY: subscribers ===`);
    console.log(`command : ${command('subscribers')}`);
    console.log(`machine : ${machine()}`);
    console.log(`commit  : ${commit()}`);
    console.log(
      `${subscribers.length} subscribers at ${int(CONFIG.rate)} events/s: delivery p99 ${ms(many.all.p99)} ms ` +
        `(${ratio(many.all.p99 / base.all.p99)} the 1-subscriber baseline's ${ms(base.all.p99)} ms; target ≤ 100 ms), ` +
        `worst subscriber p99 ${ms(many.perSubscriberP99.max)} ms, least served got ${(many.minShare * 100).toFixed(1)} % of its selection`,
    );
    console.log(
      `With one stalled: the others' p99 ${ms(withStall.all.p99)} ms (${ratio(withStall.all.p99 / many.all.p99)} without the stall), ` +
        `least served ${(withStall.minShare * 100).toFixed(1)} %; the stalled one was told it missed ${int(stalled.missed)} of ${int(stalled.expected)}`,
    );
    console.log(
      `Sightline's event loop CPU per second of load (until delivered): ${int(base.sightlineCpuMs / CONFIG.seconds)} ms/s with 1 subscriber, ` +
        `${int(many.sightlineCpuMs / CONFIG.seconds)} ms/s with ${subscribers.length} (fan-out ${int((many.sightlineCpuMs - base.sightlineCpuMs) / CONFIG.seconds)} ms/s)`,
    );
    console.log(
      `load average (1m, 5m, 15m) at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    if (CONFIG.cpuProfDir)
      console.log(
        `profile : ${CONFIG.cpuProfDir}/CPU.*.cpuprofile (the main thread's is …0.001); profile-top's windows: ` +
          results.map((r) => `${r.name}: ${r.window}`).join('; '),
      );
  } finally {
    await Promise.all(subscribers.map((s) => s.close()));
    await sightline.stop();
  }
}

/** A generation per second until every subscriber got one: their subscriptions are registered. */
async function warmUp(base: string, apiKey: string, subscribers: Subscriber[], sentAt: Map<string, number>) {
  const seen = new Set<Subscriber>();
  const deadline = performance.now() + 60_000;
  while (seen.size < subscribers.length) {
    if (performance.now() > deadline)
      throw new Error(`${subscribers.length - seen.size} subscribers never got a generation`);
    const items = subscribers.map((s) => ({
      id: randomUUID(),
      type: 'generation',
      body: warmUpBody(s.kind),
    }));
    const before = subscribers.map((s) => s.got);
    items.forEach((item) => sentAt.set(item.body.spanId, performance.now()));
    await postJson(agent, `${base}/api/ingest`, JSON.stringify({ batch: items }), {
      authorization: `Bearer ${apiKey}`,
    });
    await new Promise((r) => setTimeout(r, 1000));
    subscribers.forEach((s, i) => s.got > before[i] && seen.add(s));
  }
  sentAt.clear();
}

/** A generation every filter of `kind` selects. */
function warmUpBody(kind: Kind) {
  const f = (kind.filter ?? {}) as { userIds?: string[]; tags?: string[]; models?: string[] };
  return {
    traceId: hex(16),
    spanId: hex(8),
    name: 'warm-up',
    model: f.models?.[0] ?? CONFIG.models[0],
    userId: f.userIds?.[0] ?? 'u0',
    tags: f.tags ?? ['t0'],
    startedAt: new Date(Date.now() - 800).toISOString(),
    endedAt: new Date().toISOString(),
    usage: { inputTokens: 1, outputTokens: 1 },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
