import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startGatewayApp, type GatewayApp } from '../../test/support/gateway-app';
import { priceMock, recordOriginals } from '../../test/support/recorded-originals';

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `npm run replay` as an operator runs it: the CLI in its own process against a live Sightline on
 * loopback (the whole app, the mock provider behind the gateway), read from its output and exit code.
 */
describe('the replay CLI against a live Sightline', () => {
  let gw: GatewayApp;
  let projectId: string;
  const tag = `cli-${randomUUID().slice(0, 8)}`;
  const ORIGINALS = 6;
  const filter = JSON.stringify({ tags: [tag] });

  /** The CLI from its sources (what `npm run replay` builds); `whenOutput` sees stderr as it arrives. */
  function cli(
    args: string[],
    options: {
      apiKey?: string;
      url?: string;
      whenOutput?: (stderr: string, signal: () => void) => void;
    } = {},
  ): Promise<CliRun> {
    const child = spawn(
      process.execPath,
      ['-r', join(__dirname, '../../test/support/swc-register.js'), join(__dirname, 'cli.ts'), ...args],
      {
        env: {
          PATH: process.env.PATH,
          SIGHTLINE_URL: options.url ?? gw.base,
          SIGHTLINE_API_KEY: options.apiKey ?? gw.apiKey,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      options.whenOutput?.(stderr, () => child.kill('SIGINT'));
    });
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  }

  /** The progress lines (piped output: one a second, and the last at the end). */
  const barLines = (stderr: string) => stderr.split('\n').filter((l) => / replays \| /.test(l));
  /** The comparison table's rows, cells by column name (columns are two or more spaces apart). */
  function table(stdout: string): Record<string, string>[] {
    const lines = stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('side '));
    const cells = (l: string) => l.trim().split(/\s{2,}/);
    const head = cells(lines[at]);
    const rows = lines.slice(at + 2).filter((l) => l.trim() && !l.startsWith('resume with'));
    return rows.map((r) => Object.fromEntries(cells(r).map((c, i) => [head[i], c])));
  }

  beforeAll(async () => {
    // Each answer waits 400 ms (the mock's delay hook), replays too: 6 one at a time last about 2.4 s.
    gw = await startGatewayApp('replay-cli', {});
    const res = await fetch(`${gw.base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ project { id } }' }),
    });
    projectId = ((await res.json()) as { data: { project: { id: string } } }).data.project.id;
    await priceMock(gw, projectId, 'mock-large', { perRequestUsd: 0.01 });
    await recordOriginals(gw, projectId, tag, ORIGINALS, (i) => `Where is parcel ${i}? [mock:delay:400]`);
  }, 120_000);
  afterAll(() => gw.app.close());

  it('replays what the filter matches on another model with a progress bar, then prints the comparison; exit 0', async () => {
    const run = await cli([
      '--filter',
      filter,
      '--model',
      'mock-large',
      '--concurrency',
      '2',
      '--budget',
      '1',
    ]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^started exp_\\w+: ${ORIGINALS} generations × 1 configuration\\(s\\), estimate \\$0\\.06 of budget \\$1`,
      ),
    );
    const bars = barLines(run.stderr);
    expect(bars[0]).toContain(`0/${ORIGINALS} replays`);
    expect(bars.at(-1)).toMatch(
      new RegExp(`100% \\| ${ORIGINALS}/${ORIGINALS} replays \\| .* spent \\$0\\.0600 \\| 0 failed`),
    );
    expect(run.stdout).toMatch(/\) FINISHED\n/);
    const rows = table(run.stdout);
    expect(rows.map((r) => [r.side, r.requests, r['error rate'], r['cost $']])).toEqual([
      ['original', String(ORIGINALS), '0.0%', `${ORIGINALS} unpriced`],
      ['c1 mock-large', String(ORIGINALS), '0.0%', '0.0600'],
    ]);
    // mock-large answers another text than mock-1: alike, not equal.
    const similarity = Number(rows[1].similarity);
    expect(similarity).toBeGreaterThan(0);
    expect(similarity).toBeLessThan(1);
  }, 60_000);

  it('cancels on Ctrl-C (in-flight replays end), exits 130 naming the resume command, and --resume finishes it', async () => {
    let interrupted = false;
    const cancelled = await cli(
      ['--filter', filter, '--model', 'mock-1', '--concurrency', '1', '--budget', '1'],
      {
        whenOutput: (stderr, sigint) => {
          if (!interrupted && barLines(stderr).length) {
            interrupted = true;
            setTimeout(sigint, 500);
          }
        },
      },
    );
    expect(cancelled.code).toBe(130);
    expect(cancelled.stdout).toMatch(/\) CANCELLED\n/);
    const id = /resume with: npm run replay -- --resume (exp_\w+)/.exec(cancelled.stdout)?.[1];
    expect(id).toBeDefined();
    const doneAtCancel = Number(/(\d+)\/6 replays/.exec(barLines(cancelled.stderr).at(-1)!)?.[1]);
    expect(doneAtCancel).toBeLessThan(ORIGINALS);

    const resumed = await cli(['--resume', id!]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`resumed ${id}`);
    // Its first line shows what was done before, not 0/N.
    const firstDone = Number(/(\d+)\/6 replays/.exec(barLines(resumed.stderr)[0])?.[1]);
    expect(firstDone).toBeGreaterThanOrEqual(doneAtCancel);
    expect(barLines(resumed.stderr).at(-1)).toContain(`${ORIGINALS}/${ORIGINALS} replays`);
    expect(table(resumed.stdout)[1]).toMatchObject({ side: 'c1 mock-1', requests: String(ORIGINALS) });
  }, 60_000);

  it('names replays on a model without a price in the estimate and the spend, never an unmarked $0', async () => {
    const run = await cli([
      '--filter',
      JSON.stringify({ tags: [tag] }),
      '--model',
      'mock-unpriced',
      '--concurrency',
      String(ORIGINALS),
      '--budget',
      '1',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^started exp_\\w+: ${ORIGINALS} generations × 1 configuration\\(s\\), estimate unpriced \\(${ORIGINALS} replays without a price\\) of budget \\$1`,
      ),
    );
    expect(barLines(run.stderr).at(-1)).toMatch(
      new RegExp(
        `100% \\| ${ORIGINALS}/${ORIGINALS} replays \\| .* spent \\$0\\.0000 \\+ ${ORIGINALS} unpriced \\| 0 failed`,
      ),
    );
  }, 60_000);

  it('refuses bad input with a clear message and a non-zero exit, starting nothing', async () => {
    const usage = await cli(['--filter', filter, '--model', 'mock-1']);
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(usage.stderr).toMatch(/^Usage:/);

    const notJson = await cli(['--filter', '{tags:', '--model', 'mock-1', '--budget', '1']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^--filter is not JSON \(.+\): \{tags:/);

    const concurrency = await cli(['--model', 'mock-1', '--budget', '1', '--concurrency', 'lots']);
    expect(concurrency.code).toBe(2);
    expect(concurrency.stderr.trim()).toBe("--concurrency must be a whole number, got 'lots'");

    const params = await cli(['--filter', filter, '--model', 'mock-1', '--params', 'hot', '--budget', '1']);
    expect(params.code).toBe(2);
    expect(params.stderr.trim()).toBe(`--params must be a JSON object such as '{"temperature":0}', got hot`);

    for (const variables of ['customer=Ada', '["Ada"]', '{"customer":1}']) {
      const bad = await cli([
        ...['--filter', filter, '--prompt', 'p@1', '--variables', variables, '--budget', '1'],
      ]);
      expect(bad).toMatchObject({ code: 2, stdout: '' });
      expect(bad.stderr.trim()).toBe(
        `--variables must be a JSON object of texts such as '{"customer":"Ada"}', got ${variables}`,
      );
    }

    const prompt = await cli([
      ...['--filter', filter, '--model', 'mock-1', '--params', '{"temperature":0}'],
      ...['--prompt', 'no-such-prompt@production', '--budget', '1'],
    ]);
    expect(prompt.code).toBe(1);
    expect(prompt.stderr).toMatch(/^NOT_FOUND \(prompt_not_found\)/);

    const noModel = await cli(['--filter', filter, '--model', 'nonexistent-model-x', '--budget', '1']);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toMatch(
      /^BAD_USER_INPUT \(model_not_found\): Configuration 1 \(c1\): No provider serves the model 'nonexistent-model-x'/,
    );
    expect(noModel.stdout).toBe('');

    const overBudget = await cli(['--filter', filter, '--model', 'mock-large', '--budget', '0.05']);
    expect(overBudget.code).toBe(1);
    expect(overBudget.stderr).toMatch(/^BAD_USER_INPUT \(over_budget\): .*\$0\.06.*\$0\.05/);
    expect(overBudget.stdout).toBe('');

    const badKey = await cli(['--filter', filter, '--model', 'mock-1', '--budget', '1'], {
      apiKey: 'sl_not_a_key',
    });
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(/^UNAUTHENTICATED/);

    const nobody = await cli(['--model', 'mock-1', '--budget', '1'], { url: 'http://127.0.0.1:9' });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(
      /^Cannot reach Sightline at http:\/\/127\.0\.0\.1:9\/graphql \(SIGHTLINE_URL\)/,
    );
  }, 60_000);

  it('gives a prompt version its variables with --variables; without them names where they go', async () => {
    const res = await fetch(`${gw.base}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation ($input: PromptVersionInput!) { createPromptVersion(input: $input) { version } }`,
        variables: {
          input: {
            name: 'cli/vars',
            messages: JSON.stringify([{ role: 'system', content: 'You help {{customer}}.' }]),
            labels: ['production'],
          },
        },
      }),
    });
    expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    const args = [
      '--filter',
      filter,
      '--prompt',
      'cli/vars@production',
      '--concurrency',
      '6',
      '--budget',
      '1',
    ];

    const missing = await cli(args);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr.trim()).toBe(
      `BAD_USER_INPUT (invalid_prompt_variables): Configuration 1 (c1): Prompt 'cli/vars' version 1 needs {{customer}}, which the recorded request has no value for: give them in the configuration's variables. ${ORIGINALS} of the ${ORIGINALS} requests matched would fail; nothing was sent`,
    );

    const run = await cli([...args, '--variables', '{"customer":"Ada"}']);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\) FINISHED\n/);
    expect(table(run.stdout).map((r) => [r.side, r.requests, r['error rate']])).toEqual([
      ['original', String(ORIGINALS), '0.0%'],
      ['c1 prompt cli/vars@production · variables customer', String(ORIGINALS), '0.0%'],
    ]);
  }, 60_000);
});
