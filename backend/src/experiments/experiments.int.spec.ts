import { randomUUID } from 'node:crypto';
import { eventually } from '../../test/support/events';
import { startGatewayApp, type GatewayApp } from '../../test/support/gateway-app';
import { priceMock, recordOriginals } from '../../test/support/recorded-originals';
import { ClickHouse } from '../clickhouse/clickhouse';
import { ControlPlane } from '../control/control-plane';
import { RecordedRequests } from '../playground/recorded-requests';
import { similarity } from './experiment-progress';

/**
 * Bulk replay through the whole app (chDB, embedded log, the mock provider through the gateway,
 * the real ReplayService): budget refused before start, enforced during the run, cancel and resume
 * without a generation replayed twice, and the comparison exact on a known set.
 */
describe('Experiments (bulk replay) over the app', () => {
  let gw: GatewayApp;
  let ch: ClickHouse;
  let projectId: string;
  const tag = `set-${randomUUID().slice(0, 8)}`;
  const ORIGINALS = 8;

  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${gw.base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
    };
  };
  const E = `id status items estimate estimateUnpriced budget error { code message }
    progress { done total failed fraction spent unpriced }`;
  const start = (input: Record<string, unknown>, key = randomUUID()) =>
    graphql<{ startExperiment: Experiment }>(
      `mutation($input: StartExperimentInput!, $key: String!) { startExperiment(input: $input, idempotencyKey: $key) { ${E} } }`,
      { input, key },
    );
  const experiment = async (id: string): Promise<Experiment> =>
    (await graphql<{ experiment: Experiment }>(`query($id: ID!) { experiment(id: $id) { ${E} } }`, { id }))
      .data!.experiment;
  const until = (id: string, ok: (e: Experiment) => boolean, timeoutMs = 60_000) =>
    eventually(() => experiment(id), ok, timeoutMs);
  const filter = { tags: [tag] };

  beforeAll(async () => {
    gw = await startGatewayApp('experiments', { MOCK_TOKEN_INTERVAL_MS: '4', PROJECTOR_LINGER_MS: '1000' });
    ch = gw.app.get(ClickHouse);
    projectId = (await graphql<{ project: { id: string } }>('{ project { id } }')).data!.project.id;
    await priceMock(gw, projectId, 'mock-1', { perRequestUsd: 0.01 });
    await priceMock(gw, projectId, 'mock-large', { outputPerMTok: 1000 });
    // Each answer waits 300 ms (a mock hook kept in the recorded request), so a run at concurrency 1
    // outlasts the cancel below rather than racing it.
    await recordOriginals(
      gw,
      projectId,
      tag,
      ORIGINALS,
      (i) => `Question ${i} about parcels? [mock:delay:300]`,
    );
  }, 120_000);
  afterAll(() => gw.app.close());

  const replaysOf = (id: string) =>
    ch.query<{
      span_id: string;
      replay_of: string;
      output: string;
      latency_ms: number;
      cost: string;
      status: string;
    }>(
      `SELECT span_id, replay_of, ifNull(output, '') AS output, latency_ms, toString(cost_usd) AS cost, toString(status) AS status
       FROM generations WHERE project_id = {p:String} AND metadata['sightline.experiment'] = {e:String}`,
      { p: projectId, e: id },
    );

  it('refuses a run whose estimate is over its budget before anything is sent, naming both', async () => {
    const out = await start({ filter, configurations: [{ model: 'mock-1' }], budget: '0.05' });
    expect(out.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'over_budget' });
    expect(out.errors?.[0].message).toContain('$0.08');
    expect(out.errors?.[0].message).toContain('$0.05');
    const estimate = await graphql<{
      experimentEstimate: { requests: number; cost: string; overBudget: boolean };
    }>(
      `
        query ($input: StartExperimentInput!) {
          experimentEstimate(input: $input, idempotencyKey: "k") {
            requests
            cost
            overBudget
          }
        }
      `,
      { input: { filter, configurations: [{ model: 'mock-1' }], budget: '0.05' } },
    );
    expect(estimate.data!.experimentEstimate).toEqual({
      requests: ORIGINALS,
      cost: '0.080000000',
      overBudget: true,
    });
    expect(
      [...gw.app.get(ControlPlane).current.experiments.values()].filter((e) => e.projectId === projectId),
    ).toEqual([]);
    const replays = await ch.query<{ n: string }>(
      `SELECT count() AS n FROM generations WHERE project_id = {p:String} AND replay_of != ''`,
      { p: projectId },
    );
    expect(Number(replays[0].n)).toBe(0);
  });

  it('cancels after some replays and resumes without replaying any generation twice; the comparison is exact', async () => {
    const key = randomUUID();
    const input = { filter, configurations: [{ model: 'mock-1' }], concurrency: 1, budget: '1' };
    const started = (await start(input, key)).data!.startExperiment;
    expect(started).toMatchObject({ status: 'RUNNING', items: ORIGINALS, estimate: '0.08', budget: '1' });
    expect((await start(input, key)).data!.startExperiment.id).toBe(started.id); // the same key: the same run

    await until(started.id, (e) => e.progress.done >= 2);
    const cancelled = await graphql<{ cancelExperiment: Experiment }>(
      `mutation($id: ID!) { cancelExperiment(id: $id) { ${E} } }`,
      { id: started.id },
    );
    expect(cancelled.data!.cancelExperiment.status).toBe('CANCELLED');
    const doneAtCancel = cancelled.data!.cancelExperiment.progress.done;
    expect(doneAtCancel).toBeLessThan(ORIGINALS);
    await new Promise((r) => setTimeout(r, 300));
    expect((await experiment(started.id)).progress.done).toBe(doneAtCancel); // nothing started after it

    const resumed = await graphql<{ resumeExperiment: Experiment }>(
      `mutation($id: ID!) { resumeExperiment(id: $id) { ${E} } }`,
      { id: started.id },
    );
    expect(resumed.data!.resumeExperiment.status).toBe('RUNNING');
    // The answer carries the progress so far, not a run starting from zero.
    expect(resumed.data!.resumeExperiment.progress.done).toBe(doneAtCancel);
    // Nor does the first read after it (the CLI's first progress line), while the run loads its past.
    expect((await experiment(started.id)).progress.done).toBeGreaterThanOrEqual(doneAtCancel);
    const finished = await until(started.id, (e) => e.status === 'FINISHED');
    // Once it shows as finished, the comparison counts every replay (read at once, no waiting).
    const atEnd = await graphql<{ experiment: { comparison: Comparison[] } }>(
      `
        query ($id: ID!) {
          experiment(id: $id) {
            comparison {
              requests
              cost
            }
          }
        }
      `,
      { id: started.id },
    );
    expect(atEnd.data!.experiment.comparison.map((c) => c.requests)).toEqual([ORIGINALS, ORIGINALS]);
    expect(finished.progress).toMatchObject({
      done: ORIGINALS,
      total: ORIGINALS,
      failed: 0,
      fraction: 1,
      spent: '0.080000000',
    });

    const replays = await eventually(
      () => replaysOf(started.id),
      (rows) => rows.length >= ORIGINALS,
    );
    expect(replays).toHaveLength(ORIGINALS);
    expect(new Set(replays.map((r) => r.replay_of)).size).toBe(ORIGINALS);

    const originals = await ch.query<{ span_id: string; output: string; latency_ms: number }>(
      `SELECT span_id, ifNull(output, '') AS output, latency_ms FROM generations
       WHERE project_id = {p:String} AND has(tags, {t:String})`,
      { p: projectId, t: tag },
    );
    const exactQuantile = (values: number[], level: number) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length * level)];
    const outputOf = new Map(originals.map((o) => [o.span_id, o.output]));
    const meanSimilarity =
      replays.reduce((sum, r) => sum + similarity(outputOf.get(r.replay_of)!, r.output), 0) / replays.length;

    const { data } = await graphql<{ experiment: { comparison: Comparison[] } }>(
      `
        query ($id: ID!) {
          experiment(id: $id) {
            comparison {
              configuration {
                id
                model
                label
              }
              requests
              errors
              errorRate
              cost
              latencyP50Ms
              latencyP95Ms
              outputSimilarity
              compared
              scores {
                name
              }
            }
          }
        }
      `,
      { id: started.id },
    );
    const [original, replayed] = data!.experiment.comparison;
    expect(original).toEqual({
      configuration: null,
      requests: ORIGINALS,
      errors: 0,
      errorRate: 0,
      cost: '0.080000000',
      latencyP50Ms: exactQuantile(
        originals.map((o) => Number(o.latency_ms)),
        0.5,
      ),
      latencyP95Ms: exactQuantile(
        originals.map((o) => Number(o.latency_ms)),
        0.95,
      ),
      outputSimilarity: 1,
      compared: ORIGINALS,
      scores: [],
    });
    expect(replayed).toEqual({
      configuration: { id: 'c1', model: 'mock-1', label: 'mock-1' },
      requests: ORIGINALS,
      errors: 0,
      errorRate: 0,
      cost: '0.080000000',
      latencyP50Ms: exactQuantile(
        replays.map((r) => Number(r.latency_ms)),
        0.5,
      ),
      latencyP95Ms: exactQuantile(
        replays.map((r) => Number(r.latency_ms)),
        0.95,
      ),
      outputSimilarity: meanSimilarity,
      compared: ORIGINALS,
      scores: [],
    });
  }, 120_000);

  it('stops starting replays once what was spent plus the next estimate would pass the budget', async () => {
    // The estimate counts the originals' short answers; mock-large answers at length, so it costs more.
    const input = { filter, configurations: [{ model: 'mock-large' }], concurrency: 1 };
    const estimate = await graphql<{ experimentEstimate: { cost: string } }>(
      `
        query ($input: StartExperimentInput!) {
          experimentEstimate(input: $input, idempotencyKey: "b") {
            cost
          }
        }
      `,
      { input: { ...input, budget: '100' } },
    );
    const budget = (Number(estimate.data!.experimentEstimate.cost) * 2).toFixed(9);
    const started = (await start({ ...input, budget })).data!.startExperiment;
    const ended = await until(started.id, (e) => e.status !== 'RUNNING', 90_000);
    expect(ended.status).toBe('FAILED');
    expect(ended.error?.code).toBe('budget_reached');
    expect(ended.progress.done).toBeLessThan(ORIGINALS);

    const rows = await ch.query<{ cost: string; est: string }>(
      `SELECT toString(r.cost_nano_usd) AS cost, toString(i.estimate_nano_usd) AS est
       FROM experiment_results AS r
       INNER JOIN experiment_items AS i ON i.project_id = r.project_id AND i.experiment_id = r.experiment_id
         AND i.configuration_id = r.configuration_id AND i.generation_id = r.generation_id
       WHERE r.project_id = {p:String} AND r.experiment_id = {e:String}
       ORDER BY r.recorded_at`,
      { p: projectId, e: started.id },
    );
    const pending = await ch.query<{ est: string }>(
      `SELECT toString(estimate_nano_usd) AS est FROM experiment_items
       WHERE project_id = {p:String} AND experiment_id = {e:String}
         AND generation_id NOT IN (SELECT generation_id FROM experiment_results WHERE experiment_id = {e:String})
       ORDER BY ord LIMIT 1`,
      { p: projectId, e: started.id },
    );
    const limit = BigInt(Math.round(Number(budget) * 1e9));
    let spent = 0n;
    for (const row of rows) {
      expect(spent + BigInt(row.est)).toBeLessThanOrEqual(limit); // each was affordable when it started
      spent += BigInt(row.cost);
    }
    expect(spent + BigInt(pending[0].est)).toBeGreaterThan(limit); // the next one was not
  }, 120_000);

  it('says how many replays its estimate and its spend could not price, never an unmarked $0', async () => {
    // Served by the mock provider, but no price in this project or the catalog.
    const input = { filter, configurations: [{ model: 'mock-unpriced' }], concurrency: 8, budget: '1' };
    const started = (await start(input)).data!.startExperiment;
    expect(started).toMatchObject({ status: 'RUNNING', estimate: '0', estimateUnpriced: ORIGINALS });
    const finished = await until(started.id, (e) => e.status === 'FINISHED');
    expect(finished.progress).toMatchObject({ done: ORIGINALS, spent: '0.000000000', unpriced: ORIGINALS });
    // A priced run says none.
    const priced = (await start({ ...input, configurations: [{ model: 'mock-1' }] })).data!.startExperiment;
    expect(priced).toMatchObject({ estimate: '0.08', estimateUnpriced: 0 });
    expect((await until(priced.id, (e) => e.status === 'FINISHED')).progress.unpriced).toBe(0);
  }, 120_000);

  it('with the empty filter takes originals only; replays only when the filter asks for them', async () => {
    const replays = Number(
      (
        await ch.query<{ n: string }>(
          `SELECT count() AS n FROM generations WHERE project_id = {p:String} AND replay_of != ''`,
          { p: projectId },
        )
      )[0].n,
    );
    expect(replays).toBeGreaterThan(0); // the runs above replayed some
    const estimate = (filter: Record<string, unknown>) =>
      graphql<{ experimentEstimate: { generations: number } }>(
        `
          query ($input: StartExperimentInput!) {
            experimentEstimate(input: $input, idempotencyKey: "o") {
              generations
            }
          }
        `,
        { input: { filter, configurations: [{ model: 'mock-1' }], budget: '100' } },
      );

    const all = await estimate({});
    const asked = await estimate({ sources: ['replay'] });

    expect(all.data!.experimentEstimate.generations).toBe(ORIGINALS);
    expect(asked.data!.experimentEstimate.generations).toBe(replays);
  });

  it('refuses at start a configuration whose model has no tool support over requests that use tools, naming both', async () => {
    const withTools = `tools-${randomUUID().slice(0, 8)}`;
    const tools = [{ type: 'function', function: { name: 'track_parcel', parameters: { type: 'object' } } }];
    for (const content of ['Where is parcel 1?', 'Where is parcel 2?']) {
      const res = await fetch(`${gw.base}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${gw.apiKey}`,
          'content-type': 'application/json',
          'x-sightline-tags': withTools,
        },
        body: JSON.stringify({ model: 'mock-1', tools, messages: [{ role: 'user', content }] }),
      });
      expect(res.status).toBe(200);
      await res.text();
    }
    const input = (model: string) => ({
      filter: { tags: [withTools] },
      configurations: [{ model: 'mock-large' }, { model }],
      budget: '100',
    });
    await eventually(
      () =>
        graphql<{ experimentEstimate: { generations: number } }>(
          `
            query ($input: StartExperimentInput!) {
              experimentEstimate(input: $input, idempotencyKey: "t") {
                generations
              }
            }
          `,
          { input: input('mock-1') },
        ),
      (a) => a.data?.experimentEstimate.generations === 2,
    );
    const before = [...gw.app.get(ControlPlane).current.experiments.values()].length;

    const out = await start(input('deepseek-reasoner'));

    expect(out.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'tools_not_supported',
      param: 'configurations.1',
    });
    expect(out.errors?.[0].message).toMatch(
      /^Configuration 2 \(c2\): deepseek-reasoner does not support tools.*2 of the 2 requests matched would fail; nothing was sent$/,
    );
    expect([...gw.app.get(ControlPlane).current.experiments.values()].length).toBe(before);
    const withoutTools = await graphql<{ experimentEstimate: { generations: number } }>(
      `
        query ($input: StartExperimentInput!) {
          experimentEstimate(input: $input, idempotencyKey: "t") {
            generations
          }
        }
      `,
      {
        input: {
          ...input('deepseek-reasoner'),
          configurations: [{ model: 'deepseek-reasoner', params: '{"tools":null}' }],
        },
      },
    );
    expect(withoutTools.errors).toBeUndefined(); // replaying without the tools is allowed
  });

  it('refuses at estimate and start a configuration whose model no provider serves, offering the closest', async () => {
    const input = { filter, configurations: [{ model: 'mock-1' }, { model: 'mocklarge' }], budget: '100' };
    const estimateOf = (configurations: { model: string }[]) =>
      graphql<{ experimentEstimate: { generations: number } }>(
        `
          query ($input: StartExperimentInput!) {
            experimentEstimate(input: $input, idempotencyKey: "t") {
              generations
            }
          }
        `,
        { input: { ...input, configurations } },
      );
    await eventually(
      () => estimateOf([{ model: 'mock-1' }]),
      (a) => a.data?.experimentEstimate.generations === ORIGINALS,
    );
    const before = [...gw.app.get(ControlPlane).current.experiments.values()].length;
    const estimate = await graphql(
      `
        query ($input: StartExperimentInput!) {
          experimentEstimate(input: $input, idempotencyKey: "t") {
            generations
          }
        }
      `,
      { input },
    );
    const out = await start(input);

    for (const refused of [estimate, out]) {
      expect(refused.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'model_not_found',
        suggestions: expect.arrayContaining(['mock-large']),
      });
      expect(refused.errors?.[0].message).toMatch(
        /^Configuration 2 \(c2\): No provider serves the model 'mocklarge'.*nothing was sent$/,
      );
    }
    expect([...gw.app.get(ControlPlane).current.experiments.values()].length).toBe(before);
  });

  it('counts replays refused before anything was recorded as requests with errors: 100 % errors, not no data', async () => {
    const refusedTag = `refused-${randomUUID().slice(0, 8)}`;
    await recordOriginals(gw, projectId, refusedTag, 2, (i) => `Is parcel ${i} lost?`);
    // A catalog model whose provider has no credential here: each replay is refused by the gateway.
    const started = await start({
      filter: { tags: [refusedTag] },
      configurations: [{ model: 'gpt-4o-mini' }],
      budget: '100',
    });
    expect(started.errors).toBeUndefined();
    const ended = await until(started.data!.startExperiment.id, (e) => e.status === 'FINISHED');
    expect(ended.progress).toMatchObject({ done: 2, failed: 2 });
    const read = await graphql<{ experiment: { comparison: Comparison[] } }>(
      `
        query ($id: ID!) {
          experiment(id: $id) {
            comparison {
              requests
              errors
              errorRate
            }
          }
        }
      `,
      { id: ended.id },
    );
    expect(read.data!.experiment.comparison).toEqual([
      { requests: 2, errors: 0, errorRate: 0 },
      { requests: 2, errors: 2, errorRate: 1 },
    ]);
  });

  it('two configurations of fast replays: the comparison read at FINISHED counts each one', async () => {
    const fast = `fast-${randomUUID().slice(0, 8)}`;
    await recordOriginals(gw, projectId, fast, 2, (i) => `Is parcel ${i} insured?`);
    const started = (
      await start({
        filter: { tags: [fast] },
        configurations: [
          { model: 'mock-1' },
          { model: 'mock-large', params: '{"temperature":0.2,"max_tokens":50}' },
        ],
        budget: '100',
      })
    ).data!.startExperiment;
    await until(started.id, (e) => e.status === 'FINISHED');
    const atEnd = await graphql<{ experiment: { comparison: Comparison[] } }>(
      `
        query ($id: ID!) {
          experiment(id: $id) {
            comparison {
              requests
              cost
            }
          }
        }
      `,
      { id: started.id },
    );
    expect(atEnd.data!.experiment.comparison.map((c) => c.requests)).toEqual([2, 2, 2]);
  });

  it('prices a configuration whose prompt version sets the model at that model', async () => {
    const saved = await graphql<{ createPromptVersion: { version: number } }>(
      `
        mutation ($input: PromptVersionInput!) {
          createPromptVersion(input: $input) {
            version
          }
        }
      `,
      {
        input: {
          name: 'experiments/on-large',
          model: 'mock-large',
          messages: JSON.stringify([{ role: 'system', content: 'Answer about parcels.' }]),
          labels: ['production'],
        },
      },
    );
    expect(saved.errors).toBeUndefined();
    const cost = async (configuration: Record<string, unknown>) =>
      (
        await graphql<{ experimentEstimate: { cost: string } }>(
          `
            query ($input: StartExperimentInput!) {
              experimentEstimate(input: $input, idempotencyKey: "p") {
                cost
              }
            }
          `,
          { input: { filter, configurations: [configuration], budget: '100' } },
        )
      ).data!.experimentEstimate.cost;

    const byPrompt = await cost({ prompt: 'experiments/on-large@production' });

    expect(byPrompt).toBe(await cost({ model: 'mock-large' }));
    expect(byPrompt).not.toBe(await cost({})); // as recorded: mock-1, priced per request
  });

  it('fills a prompt version’s variables from the configuration: refused without them (saying where to give them), replayed with them', async () => {
    const plain = `vars-${randomUUID().slice(0, 8)}`;
    await recordOriginals(gw, projectId, plain, 2, (i) => `Where is parcel ${i}?`);
    const saved = await graphql<{ createPromptVersion: { version: number } }>(
      `
        mutation ($input: PromptVersionInput!) {
          createPromptVersion(input: $input) {
            version
          }
        }
      `,
      {
        input: {
          name: 'experiments/vars',
          messages: JSON.stringify([{ role: 'system', content: 'You help {{customer}} with parcels.' }]),
          labels: [],
        },
      },
    );
    expect(saved.errors).toBeUndefined();
    const prompt = `experiments/vars@${saved.data!.createPromptVersion.version}`;
    const input = (variables?: string) => ({
      filter: { tags: [plain] },
      configurations: [{ model: 'mock-1' }, { model: 'mock-1', prompt, ...(variables ? { variables } : {}) }],
      budget: '100',
    });
    const estimate = (variables?: string) =>
      graphql<{ experimentEstimate: { requests: number } }>(
        `
          query ($input: StartExperimentInput!) {
            experimentEstimate(input: $input, idempotencyKey: "v") {
              requests
            }
          }
        `,
        { input: input(variables) },
      );
    const before = [...gw.app.get(ControlPlane).current.experiments.values()].length;

    for (const out of [await estimate(), await start(input())]) {
      expect(out.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'invalid_prompt_variables',
        param: 'configurations.1.variables',
      });
      expect(out.errors?.[0].message).toBe(
        `Configuration 2 (c2): Prompt 'experiments/vars' version ${saved.data!.createPromptVersion.version} needs {{customer}}, which the recorded request has no value for: give them in the configuration's variables. 2 of the 2 requests matched would fail; nothing was sent`,
      );
    }
    const unknown = await start(input('{"customer":"Ada","cutsomer":"Ada"}'));
    expect(unknown.errors?.[0].extensions).toMatchObject({
      reason: 'invalid_prompt_variables',
      param: 'configurations.1',
    });
    expect(unknown.errors?.[0].message).toMatch(
      /^Configuration 2 \(c2\): Prompt 'experiments\/vars' version \d+ has no variable \{\{cutsomer\}\}; its variables: \{\{customer\}\}/,
    );
    const notTexts = await start(input('{"customer":1}'));
    expect(notTexts.errors?.[0].extensions).toMatchObject({
      reason: 'invalid_prompt_variables',
      param: 'configurations.1.variables',
    });
    expect([...gw.app.get(ControlPlane).current.experiments.values()].length).toBe(before);
    expect((await estimate('{"customer":"Ada"}')).data!.experimentEstimate.requests).toBe(4);

    const started = await start(input('{"customer":"Ada"}'));
    expect(started.errors).toBeUndefined();
    const id = started.data!.startExperiment.id;
    const done = await until(id, (e) => e.status !== 'RUNNING');
    expect(done).toMatchObject({ status: 'FINISHED', progress: { done: 4, failed: 0 } });
    const configurations = await graphql<{
      experiment: { configurations: { id: string; label: string; variables: string | null }[] };
    }>(
      `
        query ($id: ID!) {
          experiment(id: $id) {
            configurations {
              id
              label
              variables
            }
          }
        }
      `,
      { id },
    );
    expect(configurations.data!.experiment.configurations[1]).toEqual({
      id: 'c2',
      label: `mock-1 · prompt ${prompt} · variables customer`,
      variables: '{"customer":"Ada"}',
    });
    const replays = await eventually(
      () =>
        ch.query<{ span_id: string; configuration: string }>(
          `SELECT span_id, metadata['sightline.configuration'] AS configuration FROM generations
           WHERE project_id = {p:String} AND metadata['sightline.experiment'] = {e:String}`,
          { p: projectId, e: id },
        ),
      (rows) => rows.length === 4,
    );
    const firstMessages = async (configuration: string) =>
      Promise.all(
        replays
          .filter((r) => r.configuration === configuration)
          .map(async (r) => (await gw.app.get(RecordedRequests).get(projectId, r.span_id)).data.messages[0]),
      );
    expect(await firstMessages('c2')).toEqual([
      { role: 'system', content: 'You help Ada with parcels.' },
      { role: 'system', content: 'You help Ada with parcels.' },
    ]);
    expect((await firstMessages('c1')).map((m) => m.role)).toEqual(['user', 'user']); // as recorded
  });
});

interface Experiment {
  id: string;
  status: string;
  items: number;
  estimate: string;
  estimateUnpriced: number | null;
  budget: string;
  error: { code: string; message: string } | null;
  progress: {
    done: number;
    total: number;
    failed: number;
    fraction: number;
    spent: string;
    unpriced: number;
  };
}

interface Comparison {
  requests: number;
  cost: string | null;
  errors?: number;
  errorRate?: number | null;
}
