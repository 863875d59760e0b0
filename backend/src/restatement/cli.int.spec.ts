import { encodeEvent, type SightlineEvent } from '@sightline/schemas';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generationEvents } from '../../test/support/events';
import { organization, project } from '../../test/support/control-given';
import { openClickHouse } from '../clickhouse/migrator';
import { controlEvent, SYSTEM } from '../control/control-events';
import { ControlPlane } from '../control/control-plane';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { TOPICS, topicSpecs } from '../eventlog/topics';

const PROJECT = 'p-restate-cli';
/** Enough that a run lasts past the Ctrl-C sent when it starts. */
const GENERATIONS = 20_000;

/** The same call served by OpenAI, whose catalog prices gpt-4o-mini. */
function onOpenAi(event: SightlineEvent): SightlineEvent {
  if (event.type === 'generation.requested') return { ...event, data: { ...event.data, provider: 'openai' } };
  if (event.type === 'generation.completed')
    return { ...event, data: { ...event.data, servedBy: { provider: 'openai', model: 'gpt-4o-mini' } } };
  return event;
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `npm run restate` (its sources) over an embedded data folder seeded with known generations: a run
 * cancelled with Ctrl-C keeps its checkpoint and says how to resume; resumed, it ends with every
 * generation restated once; bad arguments get the usage.
 */
describe('the restatement CLI (embedded log and chDB)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sl-restate-cli-'));

  function cli(args: string[], interruptWhen?: (stdout: string) => boolean): Promise<CliRun> {
    const child = spawn(
      process.execPath,
      ['-r', join(__dirname, '../../test/support/swc-register.js'), join(__dirname, 'cli.ts'), ...args],
      { env: { PATH: process.env.PATH, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      if (!interrupted && interruptWhen?.(stdout)) interrupted = child.kill('SIGINT');
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  }

  beforeAll(async () => {
    const log = LmdbEventLog.open(join(dataDir, 'eventlog'));
    await log.ensureTopics(topicSpecs(6));
    const events: SightlineEvent[] = [];
    for (let i = 0; i < GENERATIONS; i++)
      events.push(...generationEvents(PROJECT, { model: 'gpt-4o-mini' }).map(onOpenAi));
    await log.append(
      TOPICS.llm,
      events.map((e) => ({ key: e.traceId, value: encodeEvent(e) })),
    );
    // The project, as the server would have created it.
    const control = new ControlPlane(log);
    await control.onModuleInit();
    await control.append(
      [organization('org-restate-cli'), project(PROJECT, 'org-restate-cli')].map((e) =>
        controlEvent(SYSTEM, new Date(), e),
      ),
    );
    await control.onModuleDestroy();
    await log.close();
  }, 60_000);

  it('cancelled by Ctrl-C keeps its checkpoint and prints how to resume; resumed, it restates every generation once', async () => {
    const cancelled = await cli(
      ['--project', PROJECT, '--key', 'cli-test'],
      // Its first progress line: it follows the run now, and Ctrl-C cancels.
      (out) => out.includes(' running: '),
    );
    expect(cancelled.stderr).toBe('');
    expect(cancelled.code).toBe(130);
    const id = /started (\S+) \(p-restate-cli\)/.exec(cancelled.stdout)![1];
    expect(cancelled.stdout).toContain('cancelling after the batch in hand');
    expect(cancelled.stdout).toMatch(new RegExp(`${id} cancelled: \\d+\\.\\d% \\([\\d,]+/[\\d,]+ events\\)`));
    expect(cancelled.stdout).toContain(`resume with: npm run restate -- --project ${PROJECT} --resume ${id}`);

    const resumed = await cli(['--project', PROJECT, '--resume', id]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`resumed ${id}`);
    expect(resumed.stdout).toMatch(
      new RegExp(`${id} finished: 100\\.0% \\([\\d,]+/[\\d,]+ events\\) · 20,000 generations`),
    );

    const listed = await cli(['--project', PROJECT, '--list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${id} finished: 100\\.0%`, 'm'));

    // Every generation once, at the catalog's gpt-4o-mini price.
    const { ch } = await openClickHouse({ database: 'default', dataDir });
    try {
      const [row] = await ch.query<{ n: string; priced: string }>(
        `SELECT toString(uniqExact(span_id)) AS n, toString(countIf(total_nano_usd > 0)) AS priced
         FROM restated_costs FINAL WHERE project_id = {p:String}`,
        { p: PROJECT },
      );
      expect(row).toEqual({ n: String(GENERATIONS), priced: String(GENERATIONS) });
    } finally {
      await ch.close();
    }
  }, 180_000);

  it('answers bad arguments with the usage and exit code 2', async () => {
    const run = await cli(['--resume', 'rs_x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Usage:\n {2}npm run restate -- --project <id>/);
  }, 30_000);

  it('refuses an unknown project with exit code 2, naming it and the projects there are, and starts nothing', async () => {
    for (const args of [
      ['--project', 'nope'],
      ['--project', 'nope', '--list'],
    ]) {
      const run = await cli(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `Unknown project 'nope': no project has this id; nothing restated. Projects here:\n  ${PROJECT}  ${PROJECT}\n`,
      );
    }
    const listed = await cli(['--all-projects', '--list']);
    expect(listed.stdout).not.toContain('nope');
  }, 60_000);

  it('says the running server holds the embedded database and how to restate through it, exit code 1', async () => {
    // This process holds the chDB folder, as a running server does.
    const { ch } = await openClickHouse({ database: 'default', dataDir });
    try {
      const run = await cli(['--project', PROJECT, '--key', 'beside-the-server']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `The embedded database in ${dataDir} is in use by process ${process.pid}, most likely the running Sightline ` +
          `server (one process owns a chDB folder). Restate through the running server instead: Settings → ` +
          `Restatement in the UI ("Restate this project's costs"), or its GraphQL mutation ` +
          '`startRestatement(projectId, idempotencyKey)` (then `restatementProgress`, `cancelRestatement`, ' +
          '`resumeRestatement`). Or stop the server and run this command again.\n',
      );
    } finally {
      await ch.close();
    }
  }, 60_000);
});
