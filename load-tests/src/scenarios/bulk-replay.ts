/**
 * Bulk replay (issue 14's figure): requests/s a bulk replay reaches at concurrency 32, and what it
 * adds per request over the gateway's own handling of the same requests, in the same Sightline.
 *
 * Three processes: this load generator, the fake OpenAI server (no token delay) and Sightline
 * (embedded log + chDB, projector on), routing `gpt-*` to the fake.
 * 1. BENCH_REPLAY_REQUESTS (10,000; 1,000 with BENCH_SHORT=1) requests sent straight through the
 *    gateway at concurrency 32, tagged: wall time and Sightline CPU per request (the gateway's own).
 * 2. Once the read model holds them, one experiment replays every one of them (`startExperiment`,
 *    concurrency 32, on the same model) until FINISHED: requests/s, wall and Sightline CPU per request.
 * 3. Checks: the fake received exactly one request per replay; `done` = total, none failed.
 */
import type { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { command, commit, envInt, machine } from '../harness/environment';
import { startFakeProvider } from '../harness/fake-provider-process';
import { keepAliveAgent, postJson } from '../harness/http';
import { closedLoop } from '../harness/load';
import { processCpuMs } from '../harness/process-cpu';
import { startSightline, type SightlineProcess } from '../harness/sightline-process';
import { heading, int, ms, printTable } from '../harness/table';

const SHORT = process.env.BENCH_SHORT === '1';
const CONFIG = {
  requests: envInt('BENCH_REPLAY_REQUESTS', SHORT ? 1000 : 10_000),
  concurrency: envInt('BENCH_REPLAY_CONCURRENCY', 32),
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
  });
  const agent = keepAliveAgent(Math.max(64, CONFIG.concurrency * 2));
  console.log(
    `fake OpenAI server pid ${fake.pid}; Sightline pid ${sightline.pid}; load generator pid ${process.pid}`,
  );
  try {
    heading(
      `Recording ${int(CONFIG.requests)} requests through the gateway (concurrency ${CONFIG.concurrency})`,
    );
    const body = (i: number) =>
      JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: `Where is parcel ${i}?` }] });
    let i = 0;
    const cpuBefore = processCpuMs(sightline.pid);
    const recorded = await closedLoop({
      concurrency: CONFIG.concurrency,
      requests: CONFIG.requests,
      task: async () => {
        const res = await postJson(agent, `${sightline.url}/v1/chat/completions`, body(i++), {
          authorization: `Bearer ${sightline.apiKey}`,
          'x-sightline-tags': TAG,
        });
        if (res.status !== 200) throw new Error(`gateway: HTTP ${res.status} ${res.body.slice(0, 200)}`);
      },
    });
    const gatewayCpu = processCpuMs(sightline.pid) - cpuBefore;
    await fake.takeCount();

    // The experiment replays what the read model holds: wait until it holds every request.
    const estimateQuery = `query($input: StartExperimentInput!) { experimentEstimate(input: $input, idempotencyKey: "bench") { requests } }`;
    for (;;) {
      const { experimentEstimate } = await graphql<{ experimentEstimate: { requests: number } }>(
        sightline,
        agent,
        estimateQuery,
        { input: INPUT },
      );
      if (experimentEstimate.requests >= CONFIG.requests) break;
      await new Promise((r) => setTimeout(r, 500));
    }

    heading(`Bulk replay of ${int(CONFIG.requests)} recorded requests (concurrency ${CONFIG.concurrency})`);
    const E = 'id status error { message } progress { done total failed requestsPerSecond spent }';
    const replayCpuBefore = processCpuMs(sightline.pid);
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
    const reached = await fake.takeCount();
    if (experiment.status !== 'FINISHED')
      throw new Error(`experiment ${experiment.status}: ${experiment.error?.message}`);
    if (experiment.progress.done !== CONFIG.requests || experiment.progress.failed !== 0)
      throw new Error(`replayed ${experiment.progress.done}, ${experiment.progress.failed} failed`);
    if (reached !== CONFIG.requests)
      throw new Error(`${CONFIG.requests} replays, ${reached} reached the fake`);

    const n = CONFIG.requests;
    const gatewayWall = recorded.elapsedMs / n;
    const replayWall = replayMs / n;
    printTable(
      `Per request, same Sightline process, concurrency ${CONFIG.concurrency}`,
      ['', 'requests/s', 'wall ms/request', 'Sightline CPU ms/request'],
      [
        ['gateway (sent straight through)', int(recorded.throughput), ms(gatewayWall), ms(gatewayCpu / n)],
        ['bulk replay (experiment)', int((n / replayMs) * 1000), ms(replayWall), ms(replayCpu / n)],
        ['added by replay', '', ms(replayWall - gatewayWall), ms((replayCpu - gatewayCpu) / n)],
      ],
    );
    console.log(
      [
        '',
        `bulk replay: ${int(n)} replays in ${(replayMs / 1000).toFixed(1)} s (start incl. matching + estimate: ${int(startMs)} ms), ` +
          `${int((n / replayMs) * 1000)} requests/s; every replay reached the fake once; none failed`,
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
