/**
 * `npm run restate -- ...`: re-price history from the event log at today's prices, in this process,
 * printing progress; Ctrl-C cancels after the batch in hand (the checkpoint stays), `--resume` goes on.
 * Reads the same environment as the server (DATA_DIR, KAFKA_BROKERS, CLICKHOUSE_URL...). Embedded
 * mode: stop the server first (a chDB data folder belongs to one process; while the server holds it,
 * this says so and points to the UI / GraphQL); with Kafka and a ClickHouse server it runs beside
 * the instances. An unknown or deleted `--project` is refused (exit 2) with the projects there are.
 */
import { parseArgs } from 'node:util';
import { ModelCatalog } from '../catalog/model-catalog';
import { Clock } from '../common/clock';
import { ControlProjectModels } from '../catalog/control-project-models';
import { withCliSession } from '../cli/cli-session';
import type { ControlPlane } from '../control/control-plane';
import { CatalogPricing } from '../costs/catalog-pricing';
import { progressOf, type RestatementJob } from './restatement-job';
import { restatementsOver } from './restatement.module';
import type { Restatements } from './restatements.service';

const USAGE = `Usage:
  npm run restate -- --project <id> [--key <idempotency key>]   start (the same key continues its job)
  npm run restate -- --all-projects [--key <key>]                every project (operators)
  npm run restate -- --project <id> --resume <restatement id>    go on from the checkpoint
  npm run restate -- --project <id> --list                       the project's restatements`;

const number = (n: number): string => Math.round(n).toLocaleString('en-US');

/** One progress line: done/total, rate and time left. */
function progressLine(job: RestatementJob): string {
  const p = progressOf(job);
  const rate = p.eventsPerSecond === null ? '' : ` · ${number(p.eventsPerSecond)} events/s`;
  const gens = p.generationsPerSecond === null ? '' : ` · ${number(p.generationsPerSecond)} generations/s`;
  const eta = p.etaSeconds === null ? '' : ` · ETA ${Math.ceil(p.etaSeconds)} s`;
  return (
    `${job.id} ${job.status}: ${(p.fraction * 100).toFixed(1)}% ` +
    `(${number(p.eventsDone)}/${number(p.eventsTotal)} events) · ${number(job.generations)} generations` +
    `${rate}${gens}${eta}`
  );
}

/** Run one job to its end, printing a line a second and the last one; Ctrl-C cancels it. */
async function follow(restatements: Restatements, job: RestatementJob): Promise<RestatementJob> {
  let printed = 0;
  const off = restatements.onChange((j) => {
    if (j.id !== job.id || j.status !== 'running' || Date.now() - printed < 1000) return;
    printed = Date.now();
    console.log(progressLine(j));
  });
  let interrupts = 0;
  let cancelling: Promise<unknown> = Promise.resolve();
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130); // a second Ctrl-C: stop now, resume from the checkpoint
    console.log('cancelling after the batch in hand (Ctrl-C again to stop at once)...');
    cancelling = restatements.cancel(job.projectId, job.id).catch((e: Error) => console.error(e.message));
  };
  process.on('SIGINT', onSigint);
  try {
    await restatements.settled(job.id);
    // The run stops before the cancel is recorded: read the job once it is.
    await cancelling;
    return await restatements.job(job.projectId, job.id);
  } finally {
    off();
    process.off('SIGINT', onSigint);
  }
}

/** Said when the server holds the embedded database: restate through it rather than beside it. */
const THROUGH_THE_SERVER =
  `Restate through the running server instead: Settings → Restatement in the UI ("Restate this project's costs"), or ` +
  'its GraphQL mutation `startRestatement(projectId, idempotencyKey)` (then `restatementProgress`, ' +
  '`cancelRestatement`, `resumeRestatement`).';

/** Null when `projectId` names a live project; else why not, with the projects there are. */
function unknownProject(control: ControlPlane, projectId: string): string | null {
  const project = control.current.projects.get(projectId);
  if (project && !project.deletedAt) return null;
  const live = [...control.current.projects.values()].filter((p) => !p.deletedAt);
  const known = live.slice(0, 10).map((p) => `\n  ${p.projectId}  ${p.name}`);
  if (live.length > 10) known.push(`\n  ... and ${live.length - 10} more`);
  const what = project
    ? `Project '${projectId}' was deleted`
    : `Unknown project '${projectId}': no project has this id`;
  return `${what}; nothing restated. ${live.length ? `Projects here:${known.join('')}` : 'There is no project here yet.'}`;
}

async function run(
  restatements: Restatements,
  control: ControlPlane,
  args: ReturnType<typeof parse>,
): Promise<number> {
  const projectId = args['all-projects'] ? '' : args.project!;
  const unknown = projectId ? unknownProject(control, projectId) : null;
  if (unknown) {
    console.error(unknown);
    return 2;
  }
  if (args.list) {
    for (const job of await restatements.jobs(projectId, 50)) console.log(progressLine(job));
    return 0;
  }
  const job = args.resume
    ? await restatements.resume(projectId, args.resume)
    : await restatements.start(projectId, args.key ?? `cli-${new Date().toISOString()}`);
  console.log(`${args.resume ? 'resumed' : 'started'} ${job.id} (${projectId || 'every project'})`);
  const end = restatements.isActive(job.id) ? await follow(restatements, job) : job;
  console.log(progressLine(end));
  if (end.status === 'cancelled')
    console.log(
      `resume with: npm run restate -- ${args['all-projects'] ? '--all-projects' : `--project ${projectId}`} --resume ${end.id}`,
    );
  if (end.status === 'failed') console.error(`failed: ${end.error}`);
  return end.status === 'finished' ? 0 : end.status === 'cancelled' ? 130 : 1;
}

function parse(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      project: { type: 'string' },
      'all-projects': { type: 'boolean' },
      key: { type: 'string' },
      resume: { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  return values;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help || !!args.project === !!args['all-projects']) {
    console.error(USAGE);
    return args.help ? 0 : 2;
  }
  return withCliSession(
    'sightline-restate',
    ({ config, log, ch, control }) => {
      const catalog = new ModelCatalog();
      const pricing = new CatalogPricing(catalog, new ControlProjectModels(control, catalog), control);
      return run(restatementsOver(log, ch, pricing, control, new Clock(), config), control, args);
    },
    THROUGH_THE_SERVER,
  );
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
