/**
 * Bulk replay (issue 14's figure): the requests/s a bulk replay of BENCH_REPLAY_REQUESTS recorded
 * requests reaches at concurrency 32 against the fake provider, and the overhead it adds per request
 * over the gateway answering the same requests directly, in the same Sightline process.
 *
 * Three processes: this load generator, the fake OpenAI server (no token delay) and Sightline
 * (embedded log + chDB, projector on), routing `gpt-*` to the fake.
 * 1. Recording: BENCH_REPLAY_REQUESTS (10,000; 1,000 with BENCH_SHORT=1) requests through the
 *    gateway at concurrency 32, tagged (this also warms Sightline up).
 * 2. The gateway's own: the same requests sent straight through again (another tag), measured: wall
 *    time and Sightline CPU per request.
 * 3. Bulk replay: once the read model holds the recorded ones, one experiment replays every one of
 *    them (`startExperiment`, concurrency 32, the same model) until FINISHED, measured the same way.
 * Checks: the fake received exactly one request per replay; `done` = total, none failed.
 * BENCH_CPU_PROF_DIR: a V8 CPU profile of Sightline; the scenario prints the replay's window in it
 * for `node dist/profile-top.js <profile> 25 <from-to>`.
 */
import type { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { command, commit, envInt, machine } from '../harness/environment';
import { startFakeProvider } from '../harness/fake-provider-process';
import { keepAliveAgent, postJson } from '../harness/http';
import { closedLoop } from '../harness/load';
import { processCpuMs } from '../harness/process-cpu';
import { startSightline, type SightlineProcess } from '../harness/sightline-process';
import { deltaMs, heading, int, ms, printTable, ratio } from '../harness/table';

const SHORT = process.env.BENCH_SHORT === '1';
const CONFIG = {
  requests: envInt('BENCH_REPLAY_REQUESTS', SHORT ? 1000 : 10_000),
  concurrency: envInt('BENCH_REPLAY_CONCURRENCY', 32),
  cpuProfDir: process.env.BENCH_CPU_PROF_DIR || undefined,
};
const MODEL = 'gpt-4o-mini';
const API_KEY = 'bench-provider-key';
const TAG = `bulk-replay-bench`;

interface Experiment {
  id: string;
  status: string;
  error: { message: string } | null;
  progress: { done: number; total: number; failed: number; requestsPerSecond: number | null; spent: string };
}

async function graphql<T>(
  sightline: SightlineProcess,
  agent: Agent,
  query: string,
  variables: object,
): Promise<T> {
  const res = await postJson(agent, `${sightline.url}/graphql`, JSON.stringify({ query, variables }), {
    authorization: `Bearer ${sightline.apiKey}`,
    'content-type': 'application/json',
  });
  const body = JSON.parse(res.body) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(`GraphQL: ${body.errors[0].message}`);
  return body.data!;
}

/** Now on the monotonic clock of V8's CPU profiles, µs (the same in every process of the machine). */
const micros = () => process.hrtime.bigint() / 1000n;

const INPUT = {
  filter: { tags: [TAG] },
  configurations: [{ model: MODEL }],
  concurrency: CONFIG.concurrency,
  budget: '1000',
};

async function run(): Promise<void> {
  const fake = await startFakeProvider({ apiKey: API_KEY });
  const sightline = await startSightline({
    env: { OPENAI_BASE_URL: fake.url, OPENAI_API_KEY: API_KEY },
    nodeArgs: CONFIG.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${CONFIG.cpuProfDir}`] : [],
  });
  const agent = keepAliveAgent(Math.max(64, CONFIG.concurrency * 2));
  console.log(
    `fake OpenAI server pid ${fake.pid}; Sightline pid ${sightline.pid}; load generator pid ${process.pid}`,
  );
  try {
    const body = (i: number) =>
      JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: `Where is parcel ${i}?` }] });
    /** The N requests straight through the gateway, tagged `tag`: wall time and Sightline CPU. */
    const direct = async (tag: string) => {
      let i = 0;
      const from = micros();
      const cpuBefore = processCpuMs(sightline.pid);
      const run = await closedLoop({
        concurrency: CONFIG.concurrency,
        requests: CONFIG.requests,
        task: async () => {
          const res = await postJson(agent, `${sightline.url}/v1/chat/completions`, body(i++), {
            authorization: `Bearer ${sightline.apiKey}`,
            'x-sightline-tags': tag,
          });
          if (res.status !== 200) throw new Error(`gateway: HTTP ${res.status} ${res.body.slice(0, 200)}`);
        },
      });
      const cpuMs = processCpuMs(sightline.pid) - cpuBefore;
      if ((await fake.takeCount()) !== CONFIG.requests) throw new Error('the fake missed requests');
      return { wallMs: run.elapsedMs, cpuMs, throughput: run.throughput, window: `${from}-${micros()}` };
    };
    /** Waits until the read model holds the N requests tagged `tag` (nothing measured meanwhile). */
    const projected = async (tag: string) => {
      const query = `query($input: StartExperimentInput!) { experimentEstimate(input: $input, idempotencyKey: "probe") { requests } }`;
      const input = { ...INPUT, filter: { tags: [tag] } };
      for (;;) {
        const { experimentEstimate } = await graphql<{ experimentEstimate: { requests: number } }>(
          sightline,
          agent,
          query,
          { input },
        );
        if (experimentEstimate.requests >= CONFIG.requests) return;
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    heading(
      `Recording ${int(CONFIG.requests)} requests through the gateway (concurrency ${CONFIG.concurrency})`,
    );
    await direct(TAG);
    await projected(TAG);
    heading(`The gateway's own: the same ${int(CONFIG.requests)} requests sent straight through again`);
    const gateway = await direct(`${TAG}-direct`);
    // Each measured phase starts with the projector idle: none of the other's work counts in it.
    await projected(`${TAG}-direct`);

    heading(`Bulk replay of ${int(CONFIG.requests)} recorded requests (concurrency ${CONFIG.concurrency})`);
    const E = 'id status error { message } progress { done total failed requestsPerSecond spent }';
    const replayCpuBefore = processCpuMs(sightline.pid);
    const windowFrom = micros();
    const t0 = performance.now();
    let experiment = (
      await graphql<{ startExperiment: Experiment }>(
        sightline,
        agent,
        `mutation($input: StartExperimentInput!) { startExperiment(input: $input, idempotencyKey: "bench") { ${E} } }`,
        { input: INPUT },
      )
    ).startExperiment;
    const startMs = performance.now() - t0;
    while (experiment.status === 'RUNNING') {
      await new Promise((r) => setTimeout(r, 200));
      experiment = (
        await graphql<{ experiment: Experiment }>(
          sightline,
          agent,
          `query($id: ID!) { experiment(id: $id) { ${E} } }`,
          {
            id: experiment.id,
          },
        )
      ).experiment;
    }
    const replayMs = performance.now() - t0;
    const replayCpu = processCpuMs(sightline.pid) - replayCpuBefore;
    const replayWindow = `${windowFrom}-${micros()}`;
    const reached = await fake.takeCount();
    if (experiment.status !== 'FINISHED')
      throw new Error(`experiment ${experiment.status}: ${experiment.error?.message}`);
    if (experiment.progress.done !== CONFIG.requests || experiment.progress.failed !== 0)
      throw new Error(`replayed ${experiment.progress.done}, ${experiment.progress.failed} failed`);
    if (reached !== CONFIG.requests)
      throw new Error(`${CONFIG.requests} replays, ${reached} reached the fake`);

    const n = CONFIG.requests;
    const per = { gatewayWall: gateway.wallMs / n, gatewayCpu: gateway.cpuMs / n };
    const replay = { wall: replayMs / n, cpu: replayCpu / n, throughput: (n / replayMs) * 1000 };
    printTable(
      `Per request, the same ${int(n)} requests, same Sightline process, concurrency ${CONFIG.concurrency}`,
      ['', 'requests/s', 'wall ms/request', 'Sightline CPU ms/request'],
      [
        ['gateway, sent straight through', int(gateway.throughput), ms(per.gatewayWall), ms(per.gatewayCpu)],
        ['bulk replay (experiment)', int(replay.throughput), ms(replay.wall), ms(replay.cpu)],
        ['added by replay', '', deltaMs(replay.wall - per.gatewayWall), deltaMs(replay.cpu - per.gatewayCpu)],
        ['replay / gateway', '', ratio(replay.wall / per.gatewayWall), ratio(replay.cpu / per.gatewayCpu)],
      ],
    );
    console.log(
      [
        '',
        `bulk replay of ${int(n)} recorded requests against the fake provider: ${int(replay.throughput)} requests/s at concurrency ${CONFIG.concurrency}`,
        `added overhead per request over the gateway's own: ${deltaMs(replay.cpu - per.gatewayCpu)} ms Sightline CPU ` +
          `(${ratio(replay.cpu / per.gatewayCpu)}), ${deltaMs(replay.wall - per.gatewayWall)} ms wall (${ratio(replay.wall / per.gatewayWall)})`,
        `(${(replayMs / 1000).toFixed(1)} s; start incl. matching + estimate ${int(startMs)} ms; every replay reached the fake once; none failed)`,
        ...(CONFIG.cpuProfDir
          ? [
              `profile : ${CONFIG.cpuProfDir}/CPU.*.cpuprofile; profile-top's windows: replay ${replayWindow}, gateway ${gateway.window}`,
            ]
          : []),
        `load    : ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')} (1, 5, 15 min)`,
        `command : ${command(__filename)}`,
        `commit  : ${commit()}`,
        `machine : ${machine()}`,
      ].join('\n'),
    );
  } finally {
    agent.destroy();
    await sightline.stop();
    await fake.stop();
  }
}

run().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
