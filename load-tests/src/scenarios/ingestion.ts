/**
 * Sustained trace ingestion through the whole pipeline: `POST /api/ingest` → event log → projector
 * → ClickHouse (chDB), on the embedded lmdb log by default or on a Kafka broker, and how fresh the
 * data is while that load runs.
 *
 * - Throughput: CLIENTS closed-loop clients post batches of nested spans (agent → tool/generation)
 *   for SECONDS. The end-to-end rate counts from the first send until marker traces sent after the
 *   load are queryable: markers land on every partition, and a partition is projected in order.
 * - Freshness, accepted → queryable: a probe span every 100 ms during the load; from its 207 until
 *   `trace(id)` over GraphQL returns it (polled every 10 ms).
 * - No loss: once Sightline has stopped, its `spans` table (FINAL) holds exactly the spans accepted.
 *
 * Knobs: BENCH_SECONDS (20), BENCH_CLIENTS (4), BENCH_TRACES_PER_BATCH (50; 10 spans each),
 * BENCH_RATE (spans/s offered, paced; unset: closed loop, as fast as Sightline answers: freshness is
 * then the backlog's when the projector is the slower side),
 * BENCH_SIGHTLINE_ENV (`K=V,K=V` for Sightline, e.g. `EVENT_PARTITIONS=1,PROJECTOR_LINGER_MS=50`: the
 * projector makes one batch per partition, each writing a part per table, so freshness at a given
 * rate follows the partition count and the linger),
 * BENCH_PROBE_EVERY_MS (100; 0: no probes — every pending probe polls `trace(id)` every 10 ms, and
 * when the projector lags those reads add chDB CPU to the per-span figures: compare builds with and
 * without), BENCH_CPU_PROF_DIR (write a V8 CPU profile of the Sightline process there; read it with
 * `node dist/profile-top.js`), BENCH_KAFKA_BROKERS (a broker with no Sightline topics yet, e.g. a fresh one started with
 * `KAFKA_PORT=9392 KAFKA_CONTROLLER_PORT=9393 KAFKA_DATA_DIR=$(mktemp -d) bash deploy/kafka/start.sh`
 * from another checkout; unset: the embedded log). Target (issue 11): ≥ 20,000 spans/s embedded,
 * ≥ 10,000/s on Kafka; accepted → queryable p99 ≤ 1 s.
 */
import { openClickHouse } from '@sightline/backend/dist/clickhouse/migrator';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchSightlineEnv, command, commit, envInt, machine } from '../harness/environment';
import { keepAliveAgent, postJson } from '../harness/http';
import { processCpuMs, threadCpuMs } from '../harness/process-cpu';
import { rawInserts, type RawInserts } from '../harness/raw-inserts';
import { summarize } from '../harness/percentiles';
import { startSightline, type SightlineProcess } from '../harness/sightline-process';
import { heading, int, ms, printTable, ratio } from '../harness/table';

const CONFIG = {
  seconds: envInt('BENCH_SECONDS', 20),
  clients: envInt('BENCH_CLIENTS', 4),
  tracesPerBatch: envInt('BENCH_TRACES_PER_BATCH', 50),
  /** Spans/s offered in all (clients pace their batches); unset: as fast as answers come (closed loop). */
  rate: process.env.BENCH_RATE ? envInt('BENCH_RATE', 1) : undefined,
  kafka: process.env.BENCH_KAFKA_BROKERS || undefined,
  cpuProfDir: process.env.BENCH_CPU_PROF_DIR || undefined,
  /** 0: no probes. Each pending probe polls `trace(id)`, and those reads cost chDB CPU too. */
  probeEveryMs: process.env.BENCH_PROBE_EVERY_MS === '0' ? 0 : envInt('BENCH_PROBE_EVERY_MS', 100),
  pollEveryMs: 10,
  markers: 64,
};
const SPANS_PER_TRACE = 10;
const agent = keepAliveAgent(CONFIG.clients + 8);

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** One trace: an agent span with 3 tool spans and 6 generations under it, ended. */
function traceItems(traceId = hex(16)): unknown[] {
  const root = hex(8);
  const now = Date.now();
  const at = (ms: number) => new Date(now + ms).toISOString();
  const items: unknown[] = [
    {
      id: randomUUID(),
      type: 'span',
      body: {
        traceId,
        spanId: root,
        kind: 'agent',
        name: 'planner',
        startedAt: at(0),
        endedAt: at(900),
        userId: `u-${now % 97}`,
        sessionId: `s-${now % 31}`,
        input: { goal: 'book a trip' },
      },
    },
  ];
  for (let i = 1; i < SPANS_PER_TRACE; i++) {
    const generation = i % 3 !== 0;
    items.push({
      id: randomUUID(),
      type: generation ? 'generation' : 'span',
      body: {
        traceId,
        spanId: hex(8),
        parentSpanId: root,
        ...(generation
          ? {
              model: 'gpt-4o-mini',
              usage: { inputTokens: 120 + i, outputTokens: 40 + i },
              input: [{ role: 'user', content: `step ${i}` }],
              output: 'ok',
            }
          : { kind: 'tool', name: 'search', input: { q: `step ${i}` }, output: { hits: i } }),
        name: generation ? 'llm' : 'search',
        startedAt: at(i * 80),
        endedAt: at(i * 80 + 60),
      },
    });
  }
  return items;
}

interface Ingestor {
  ingest(items: readonly unknown[]): Promise<number>;
}

function ingestor(sightline: SightlineProcess): Ingestor {
  const headers = { authorization: `Bearer ${sightline.apiKey}` };
  return {
    async ingest(items) {
      const res = await postJson(
        agent,
        `${sightline.url}/api/ingest`,
        JSON.stringify({ batch: items }),
        headers,
      );
      if (res.status !== 207) throw new Error(`ingest answered ${res.status}: ${res.body.slice(0, 300)}`);
      const answer = JSON.parse(res.body) as { successes: unknown[]; errors: unknown[] };
      if (answer.errors.length) throw new Error(`ingest refused items: ${JSON.stringify(answer.errors[0])}`);
      return answer.successes.length;
    },
  };
}

async function queryable(sightline: SightlineProcess, traceId: string): Promise<boolean> {
  const body = JSON.stringify({
    query: 'query($id: ID!) { trace(id: $id) { trace { id } } }',
    variables: { id: traceId },
  });
  const res = await postJson(agent, `${sightline.url}/graphql`, body, {
    authorization: `Bearer ${sightline.apiKey}`,
  });
  return res.status === 200 && (JSON.parse(res.body) as { data?: { trace: unknown } }).data?.trace != null;
}

async function untilQueryable(
  sightline: SightlineProcess,
  traceId: string,
  timeoutMs = 120_000,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (!(await queryable(sightline, traceId))) {
    if (performance.now() > deadline)
      throw new Error(`trace ${traceId} not queryable within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, CONFIG.pollEveryMs));
  }
  return performance.now();
}

/**
 * From a stopped Sightline's data folder: the spans in its `spans` read model, and the same rows
 * its projector wrote inserted again directly (the floor the projector is compared with).
 */
async function projectedSpans(dataDir: string): Promise<{ spans: number; raw: RawInserts }> {
  const { ch } = await openClickHouse({ database: 'default', dataDir });
  try {
    const [row] = await ch.query<{ n: string }>('SELECT count() AS n FROM spans FINAL', {});
    return { spans: Number(row.n), raw: await rawInserts(ch) };
  } finally {
    await ch.close();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-ingestion-'));
  const sightline = await startSightline({
    dataDir,
    env: {
      ...(CONFIG.kafka
        ? { KAFKA_BROKERS: CONFIG.kafka, SIGHTLINE_SECRET_KEY: randomBytes(32).toString('base64') }
        : {}),
      ...benchSightlineEnv(),
    },
    nodeArgs: CONFIG.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${CONFIG.cpuProfDir}`] : [],
  });
  if (!sightline.apiKey)
    throw new Error('Sightline printed no API key: a Kafka run needs a broker with no Sightline topics yet');
  const api = ingestor(sightline);
  const spanCount = { accepted: 0 };
  try {
    // Warm-up (JIT, first parts): 2 s, not counted.
    const warmUntil = performance.now() + 2000;
    while (performance.now() < warmUntil) {
      const accepted = await api.ingest(traceItems());
      spanCount.accepted += accepted;
    }

    const start = performance.now();
    // CPU per span hardly moves when other processes load the machine, unlike the rates: it is the
    // figure to compare two builds by on a shared machine.
    const cpuBefore = processCpuMs(sightline.pid);
    const threadsBefore = threadCpuMs(sightline.pid);
    const end = start + CONFIG.seconds * 1000;
    let loadSpans = 0;
    // Paced: each client sends a batch every `every` ms, so that all together offer CONFIG.rate.
    const every = CONFIG.rate
      ? (CONFIG.tracesPerBatch * SPANS_PER_TRACE * CONFIG.clients * 1000) / CONFIG.rate
      : 0;
    const clients = Array.from({ length: CONFIG.clients }, async (_, client) => {
      for (let sent = 0; performance.now() < end; sent++) {
        const due = start + (sent + client / CONFIG.clients) * every;
        if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
        const batch = Array.from({ length: CONFIG.tracesPerBatch }, () => traceItems()).flat();
        const accepted = await api.ingest(batch);
        loadSpans += accepted;
      }
    });
    const freshness: number[] = [];
    const probes = (async () => {
      const pending: Promise<void>[] = [];
      while (CONFIG.probeEveryMs > 0 && performance.now() < end) {
        const traceId = hex(16);
        const items = traceItems(traceId).slice(0, 1);
        pending.push(
          api.ingest(items).then(async (n) => {
            loadSpans += n;
            const accepted = performance.now();
            freshness.push((await untilQueryable(sightline, traceId)) - accepted);
          }),
        );
        await new Promise((r) => setTimeout(r, CONFIG.probeEveryMs));
      }
      await Promise.all(pending);
    })();
    await Promise.all(clients);
    const acceptedAt = performance.now();
    const markers = Array.from({ length: CONFIG.markers }, () => hex(16));
    const markerSpans = await api.ingest(markers.flatMap((id) => traceItems(id).slice(0, 1)));
    loadSpans += markerSpans;
    let projectedAt = 0;
    for (const id of markers) projectedAt = Math.max(projectedAt, await untilQueryable(sightline, id));
    const cpuUs = ((processCpuMs(sightline.pid) - cpuBefore) * 1000) / loadSpans;
    const threadsAfter = threadCpuMs(sightline.pid);
    const perSpanUs = (kind: keyof typeof threadsAfter) =>
      ((threadsAfter[kind] - threadsBefore[kind]) * 1000) / loadSpans;
    const apiCpuUs = perSpanUs('main');
    // Everything but the API thread: the projector's worker (with GC, lmdb) and chDB's threads.
    const projectionCpuUs = cpuUs - apiCpuUs;
    await probes;
    spanCount.accepted += loadSpans;

    const seconds = (projectedAt - start) / 1000;
    const fresh = summarize(freshness);
    heading(
      `ingestion (${CONFIG.kafka ? `Kafka ${CONFIG.kafka}` : 'embedded lmdb log'} → chDB, ${CONFIG.rate ? `offered ${int(CONFIG.rate)} spans/s` : 'closed loop'})`,
    );
    printTable(
      'Sustained load',
      [
        'clients',
        'spans/batch',
        'load s',
        'spans accepted',
        'accepted spans/s',
        'end-to-end s',
        'queryable spans/s',
      ],
      [
        [
          CONFIG.clients,
          CONFIG.tracesPerBatch * SPANS_PER_TRACE,
          ((acceptedAt - start) / 1000).toFixed(1),
          int(loadSpans),
          int(loadSpans / ((acceptedAt - start) / 1000)),
          seconds.toFixed(1),
          int(loadSpans / seconds),
        ],
      ],
    );
    printTable(
      'Sightline CPU (every thread: API, projector, chDB), from the first send until queryable',
      [
        'µs per span',
        'API thread',
        'other node threads (projector worker, GC, lmdb)',
        "chDB's threads",
        'spans/s the 2 cores would carry',
      ],
      [
        [
          cpuUs.toFixed(1),
          apiCpuUs.toFixed(1),
          perSpanUs('node').toFixed(1),
          perSpanUs('native').toFixed(1),
          int(2e6 / cpuUs),
        ],
      ],
    );
    printTable(
      'Accepted → queryable (probe traces during the load)',
      ['probes', 'p50', 'p90', 'p99', 'max'],
      [[fresh.count, ms(fresh.p50), ms(fresh.p90), ms(fresh.p99), ms(fresh.max)]],
    );
    await sightline.stop();
    const { spans: projected, raw } = await projectedSpans(dataDir);
    const allSpans = spanCount.accepted; // warm-up included, like the rows read back
    printTable(
      'Rows the projector wrote per span (read back after the run), by table',
      ['table', 'rows', 'per span', 'views it feeds'],
      raw.tables
        .filter((t) => t.rows > 0)
        .map((t) => [t.table, int(t.rows), (t.rows / allSpans).toFixed(2), t.views]),
    );
    const rawCpuUs = (raw.cpuMs * 1000) / allSpans;
    printTable(
      'The same rows inserted directly (ClickHouse.insert, blocks of 5,000, views included) in this process',
      ['CPU µs per span', 'wall µs per span', 'pipeline (all but the API thread) ÷ direct, CPU per span'],
      [[rawCpuUs.toFixed(1), ((raw.wallMs * 1000) / allSpans).toFixed(1), ratio(projectionCpuUs / rawCpuUs)]],
    );

    console.log(`\n=== SUMMARY: ingestion ===`);
    console.log(`command : ${command('ingestion')}`);
    console.log(`machine : ${machine()}`);
    console.log(`commit  : ${commit()}`);
    console.log(
      `Sustained ingestion, API → ${CONFIG.kafka ? 'Kafka' : 'embedded log'} → projector → chDB: ${int(loadSpans / seconds)} spans/s end-to-end ` +
        `(accepted at ${int(loadSpans / ((acceptedAt - start) / 1000))}/s; target ≥ ${CONFIG.kafka ? '10,000' : '20,000'})`,
    );
    console.log(
      `Sightline CPU per span: ${cpuUs.toFixed(1)} µs, API thread ${apiCpuUs.toFixed(1)} µs (all threads: API + projector + chDB; 2 cores carry ${int(2e6 / cpuUs)} spans/s at that cost)`,
    );
    console.log(
      `Projection CPU per span (all but the API thread): ${projectionCpuUs.toFixed(1)} µs; the same rows inserted directly: ${rawCpuUs.toFixed(1)} µs → pipeline ${ratio(projectionCpuUs / rawCpuUs)} the direct inserts' CPU (direct ÷ pipeline ${(rawCpuUs / projectionCpuUs).toFixed(2)})`,
    );
    console.log(
      `Accepted → queryable: p50 ${ms(fresh.p50)} ms, p99 ${ms(fresh.p99)} ms at ${CONFIG.rate ? `an offered ${int(CONFIG.rate)} spans/s` : 'the closed loop'}, linger ${process.env.BENCH_SIGHTLINE_ENV?.match(/PROJECTOR_LINGER_MS=(\d+)/)?.[1] ?? 'default'} (target p99 ≤ 1000 ms)`,
    );
    const lost = spanCount.accepted - projected;
    console.log(
      `Loss: ${int(spanCount.accepted)} spans accepted, ${int(projected)} in the spans table → ${lost === 0 ? 'none' : `${int(lost)} MISSING`}`,
    );
    if (lost !== 0) process.exitCode = 1;
  } finally {
    await sightline.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
