/**
 * What pricing costs on the gateway path (issue 10's figure): the gateway benchmark's fixed-rate
 * and max-throughput parts through Sightline with pricing on, and with it off
 * (`SIGHTLINE_BENCH_NO_PRICING=1`: every generation unpriced, nothing computed), in one run of this
 * load generator against one fake OpenAI server. Each run starts a fresh Sightline (embedded log +
 * chDB, projector on); rounds alternate which mode goes first. Afterwards each run's log is read
 * back: every request recorded once, priced from the catalog when on, unpriced when off.
 *
 * Knobs: BENCH_RATE (500 req/s), BENCH_RATE_REQUESTS (4000 per run), BENCH_MAX_CONCURRENCY (32),
 * BENCH_MAX_REQUESTS (8000 per run), BENCH_WARMUP (1000 per run), BENCH_ROUNDS (2: on and off each
 * round). BENCH_SHORT=1 divides the request counts by 10 (CI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { command, commit, envInt, machine } from '../harness/environment';
import { startFakeProvider, type FakeProviderProcess } from '../harness/fake-provider-process';
import { keepAliveAgent, postJson } from '../harness/http';
import { closedLoop } from '../harness/load';
import { openLoop } from '../harness/open-loop';
import { mainThreadCpuMs, processCpuMs } from '../harness/process-cpu';
import { summarize } from '../harness/percentiles';
import { recordedGenerations } from '../harness/recorded-generations';
import { startSightline } from '../harness/sightline-process';
import { heading, int, ms, printTable, ratio } from '../harness/table';

const SHORT = process.env.BENCH_SHORT === '1' ? 10 : 1;
const CONFIG = {
  rate: envInt('BENCH_RATE', 500),
  rateRequests: Math.ceil(envInt('BENCH_RATE_REQUESTS', 4000) / SHORT),
  maxConcurrency: envInt('BENCH_MAX_CONCURRENCY', 32),
  maxRequests: Math.ceil(envInt('BENCH_MAX_REQUESTS', 8000) / SHORT),
  warmup: Math.ceil(envInt('BENCH_WARMUP', 1000) / SHORT),
  rounds: envInt('BENCH_ROUNDS', 2),
};

const API_KEY = 'bench-provider-key';
const BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Say hello to the load test.' }],
});

type Mode = 'on' | 'off';

interface Run {
  readonly mode: Mode;
  readonly round: number;
  readonly latencies: readonly number[];
  readonly achievedRate: number;
  readonly maxRps: number;
  /** Sightline's CPU ms per request of the max-throughput part: all threads, and its main thread. */
  readonly cpuMs: number;
  readonly mainThreadMs: number;
}

/** One fresh Sightline, pricing `mode`: warm-up, the fixed-rate part, the max-throughput part, the log checked. */
async function run(fake: FakeProviderProcess, mode: Mode, round: number): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), `sightline-bench-pricing-${mode}-`));
  const sightline = await startSightline({
    dataDir,
    env: {
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: API_KEY,
      MOCK_TOKEN_INTERVAL_MS: '0',
      SIGHTLINE_BENCH_NO_PRICING: mode === 'off' ? '1' : '0',
    },
  });
  const agent = keepAliveAgent(Math.max(256, CONFIG.maxConcurrency));
  const headers = sightline.apiKey ? { authorization: `Bearer ${sightline.apiKey}` } : {};
  let sent = 0;
  const completion = async (): Promise<void> => {
    sent++;
    const res = await postJson(agent, `${sightline.url}/v1/chat/completions`, BODY, headers);
    if (res.status !== 200) throw new Error(`pricing ${mode}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  };
  try {
    await closedLoop({ concurrency: 8, requests: CONFIG.warmup, task: completion });
    const fixed = await openLoop({ rate: CONFIG.rate, requests: CONFIG.rateRequests, task: completion });
    const cpuBefore = processCpuMs(sightline.pid);
    const mainBefore = mainThreadCpuMs(sightline.pid);
    const max = await closedLoop({
      concurrency: CONFIG.maxConcurrency,
      requests: CONFIG.maxRequests,
      task: completion,
    });
    const cpuMs = (processCpuMs(sightline.pid) - cpuBefore) / CONFIG.maxRequests;
    const mainThreadMs = (mainThreadCpuMs(sightline.pid) - mainBefore) / CONFIG.maxRequests;
    agent.destroy();
    await sightline.stop();
    await checkRecorded(dataDir, mode, sent);
    console.log(`round ${round + 1}, pricing ${mode}: done`);
    return {
      mode,
      round,
      latencies: fixed.latencies,
      achievedRate: fixed.achievedRate,
      maxRps: max.throughput,
      cpuMs,
      mainThreadMs,
    };
  } finally {
    agent.destroy();
    await sightline.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Every request recorded once; all priced from the catalog with pricing on, none with it off. */
async function checkRecorded(dataDir: string, mode: Mode, sent: number): Promise<void> {
  const r = await recordedGenerations(dataDir);
  const price = mode === 'on' ? 'catalog' : 'none';
  if (r.generations !== sent || r.complete !== sent || (r.prices[price] ?? 0) !== sent) {
    throw new Error(
      `pricing ${mode}: ${sent} sent, ${r.generations} recorded (${r.complete} complete), prices ${JSON.stringify(r.prices)}`,
    );
  }
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

function print(runs: readonly Run[]): void {
  printTable(
    `Per run: fixed ${CONFIG.rate} req/s (${CONFIG.rateRequests} req, open loop), then max throughput (closed loop of ${CONFIG.maxConcurrency}, ${CONFIG.maxRequests} req)`,
    [
      'round',
      'pricing',
      'achieved req/s',
      'p50 ms',
      'p99 ms',
      'max req/s',
      'CPU ms/req',
      'main thread ms/req',
    ],
    runs.map((r) => {
      const s = summarize(r.latencies);
      return [
        String(r.round + 1),
        r.mode,
        int(r.achievedRate),
        ms(s.p50),
        ms(s.p99),
        int(r.maxRps),
        ms(r.cpuMs),
        ms(r.mainThreadMs),
      ];
    }),
  );
  const of = (mode: Mode) => runs.filter((r) => r.mode === mode);
  const pooled = (mode: Mode) => summarize(of(mode).flatMap((r) => r.latencies));
  const [on, off] = [pooled('on'), pooled('off')];
  const rps = (mode: Mode) => mean(of(mode).map((r) => r.maxRps));
  const cpu = (mode: Mode) => mean(of(mode).map((r) => r.cpuMs));
  const main = (mode: Mode) => mean(of(mode).map((r) => r.mainThreadMs));
  const lines = [
    `command : ${command(__filename)}`,
    `machine : ${machine()}`,
    `commit  : ${commit()}`,
    `load avg: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} (at the end)`,
    '',
    `Fixed ${CONFIG.rate} req/s, ${CONFIG.rounds}×${CONFIG.rateRequests} req per mode, latency through Sightline:`,
    `  p50 on ${ms(on.p50)} ms, off ${ms(off.p50)} ms (on/off ${ratio(on.p50 / off.p50)}); p99 on ${ms(on.p99)} ms, off ${ms(off.p99)} ms (${ratio(on.p99 / off.p99)})`,
    `Max throughput, closed loop of ${CONFIG.maxConcurrency}, mean of ${CONFIG.rounds} runs per mode:`,
    `  on ${int(rps('on'))} req/s, off ${int(rps('off'))} req/s (on/off ${ratio(rps('on') / rps('off'))})`,
    `  Sightline CPU per request: on ${ms(cpu('on'))} ms, off ${ms(cpu('off'))} ms (${ratio(cpu('on') / cpu('off'))}); main thread on ${ms(main('on'))} ms, off ${ms(main('off'))} ms (${ratio(main('on') / main('off'))})`,
    `Recording: every request recorded once in each run, priced from the catalog with pricing on, unpriced with it off`,
  ];
  const title = ' SUMMARY: pricing on/off on the gateway path ';
  const width = Math.max(...lines.map((l) => l.length));
  console.log(
    `\n===${title}${'='.repeat(Math.max(0, width - title.length))}\n${lines.join('\n')}\n${'='.repeat(width + 3)}`,
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  heading('pricing overhead: client → Sightline (pricing on | off) → fake OpenAI');
  console.log(machine());
  const fake = await startFakeProvider({ apiKey: API_KEY });
  const runs: Run[] = [];
  try {
    for (let round = 0; round < CONFIG.rounds; round++) {
      const order: Mode[] = round % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
      for (const mode of order) runs.push(await run(fake, mode, round));
    }
  } finally {
    await fake.stop();
  }
  print(runs);
  console.log(`(scenario took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
