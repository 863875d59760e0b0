/**
 * The gateway's CPU per proxied request, this build against another one, in one run: the same fake
 * OpenAI server behind two Sightlines (A: the baseline build given, B: `backend/dist`), both started
 * at once, each warmed up, then closed-loop rounds alternating which goes first. CPU per request
 * hardly moves with the machine's load within a run, unlike latency, so the two builds are compared
 * round by round on a busy machine. Counts from /proc: the main thread, the other Node threads
 * (projector worker, GC, libuv), native threads (chDB).
 *
 *   git stash / checkout the baseline, npm run build -w backend, cp -r backend/dist backend/dist-base,
 *   back to this build, npm run build -w backend, then
 *   node load-tests/dist/gateway-cpu-ab.js backend/dist-base/main.js
 *
 * The baseline must resolve its packages (`node_modules` at or above its folder, hence a copy inside
 * the repo); both builds load the same `@sightline/schemas` build through that link. Knobs:
 * BENCH_ROUNDS (6), BENCH_REQUESTS (3000 per build and round), BENCH_CONCURRENCY (16),
 * BENCH_WARMUP (1500 per build).
 */
import { loadavg } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { command, commit, envInt, machine } from './harness/environment';
import { startFakeProvider } from './harness/fake-provider-process';
import { keepAliveAgent, postJson } from './harness/http';
import { closedLoop } from './harness/load';
import { threadCpuMs } from './harness/process-cpu';
import { startSightline, type SightlineProcess } from './harness/sightline-process';
import { heading, int, printTable, ratio } from './harness/table';

/** CPU ms per request: a few hundredths apart between builds, so three decimals. */
const ms = (value: number): string => value.toFixed(3);

const CONFIG = {
  rounds: envInt('BENCH_ROUNDS', 6),
  requests: envInt('BENCH_REQUESTS', 3000),
  concurrency: envInt('BENCH_CONCURRENCY', 16),
  warmup: envInt('BENCH_WARMUP', 1500),
};
const API_KEY = 'bench-provider-key';
const BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Say hello to the load test.' }],
});

type Build = 'A' | 'B';
interface Round {
  readonly build: Build;
  readonly round: number;
  readonly main: number;
  readonly node: number;
  readonly native: number;
  readonly rps: number;
}

async function start(build: Build, main: string, fakeUrl: string): Promise<SightlineProcess> {
  // The harness reads the build to start from BENCH_SIGHTLINE_MAIN (unset: backend/dist).
  if (main) process.env.BENCH_SIGHTLINE_MAIN = main;
  else delete process.env.BENCH_SIGHTLINE_MAIN;
  return startSightline({
    env: { OPENAI_BASE_URL: fakeUrl, OPENAI_API_KEY: API_KEY, MOCK_TOKEN_INTERVAL_MS: '0' },
    logPrefix: `[${build}] `,
  });
}

async function main(): Promise<void> {
  const given = process.argv[2];
  if (!given) throw new Error('usage: node dist/gateway-cpu-ab.js <baseline backend/dist/main.js>');
  const baseline = isAbsolute(given) ? given : resolve(given);
  heading(`gateway CPU per request: A ${baseline} | B backend/dist`);
  console.log(machine());
  const fake = await startFakeProvider({ apiKey: API_KEY });
  const sightlines = { A: await start('A', baseline, fake.url), B: await start('B', '', fake.url) };
  const agents = { A: keepAliveAgent(64), B: keepAliveAgent(64) };
  const send = async (build: Build): Promise<void> => {
    const s = sightlines[build];
    const headers = s.apiKey ? { authorization: `Bearer ${s.apiKey}` } : {};
    const res = await postJson(agents[build], `${s.url}/v1/chat/completions`, BODY, headers);
    if (res.status !== 200) throw new Error(`${build}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  };
  const rounds: Round[] = [];
  try {
    for (const build of ['A', 'B'] as const) {
      await closedLoop({ concurrency: CONFIG.concurrency, requests: CONFIG.warmup, task: () => send(build) });
    }
    for (let round = 0; round < CONFIG.rounds; round++) {
      for (const build of round % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
        const pid = sightlines[build].pid;
        const before = threadCpuMs(pid);
        const result = await closedLoop({
          concurrency: CONFIG.concurrency,
          requests: CONFIG.requests,
          task: () => send(build),
        });
        const after = threadCpuMs(pid);
        const per = (kind: keyof typeof after): number => (after[kind] - before[kind]) / CONFIG.requests;
        rounds.push({
          build,
          round,
          main: per('main'),
          node: per('node'),
          native: per('native'),
          rps: result.throughput,
        });
      }
    }
  } finally {
    agents.A.destroy();
    agents.B.destroy();
    await Promise.all([sightlines.A.stop(), sightlines.B.stop()]);
    await fake.stop();
  }
  print(rounds, baseline);
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

function print(rounds: readonly Round[], baseline: string): void {
  printTable(
    `Per round (closed loop of ${CONFIG.concurrency}, ${CONFIG.requests} requests), CPU ms per request`,
    ['round', 'build', 'main thread', 'other node threads', 'native (chDB)', 'req/s'],
    rounds.map((r) => [String(r.round + 1), r.build, ms(r.main), ms(r.node), ms(r.native), int(r.rps)]),
  );
  const of = (build: Build, pick: (r: Round) => number): number =>
    mean(rounds.filter((r) => r.build === build).map(pick));
  const total = (r: Round): number => r.main + r.node + r.native;
  const lower = rounds
    .filter((r) => r.build === 'B')
    .filter((b) => b.main < (rounds.find((a) => a.build === 'A' && a.round === b.round)?.main ?? 0)).length;
  const lines = [
    `command : ${command(__filename)} ${baseline}`,
    `machine : ${machine()}`,
    `commit  : B ${commit()}`,
    `load avg: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} (at the end)`,
    '',
    `Main thread CPU per request: A ${ms(of('A', (r) => r.main))} ms, B ${ms(of('B', (r) => r.main))} ms (B/A ${ratio(of('B', (r) => r.main) / of('A', (r) => r.main))}; B lower in ${lower} of ${CONFIG.rounds} rounds)`,
    `Whole process: A ${ms(of('A', total))} ms, B ${ms(of('B', total))} ms (B/A ${ratio(of('B', total) / of('A', total))})`,
  ];
  const title = ' SUMMARY: gateway CPU per request, A/B ';
  const width = Math.max(...lines.map((l) => l.length));
  console.log(
    `\n===${title}${'='.repeat(Math.max(0, width - title.length))}\n${lines.join('\n')}\n${'='.repeat(width + 3)}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
