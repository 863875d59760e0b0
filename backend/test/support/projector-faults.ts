import { newEventId, newSpanId, newTraceId } from '@sightline/schemas';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateApiKeyCommand } from '../../src/auth/commands/api-keys.commands';
import { CreateOrganizationCommand, CreateProjectCommand } from '../../src/auth/commands/projects.commands';
import { RegisterUserCommand } from '../../src/auth/commands/users.commands';
import { ClickHouse } from '../../src/clickhouse/clickhouse';
import { SYSTEM } from '../../src/control/control-events';
import { ControlPlane } from '../../src/control/control-plane';
import type { EventLog } from '../../src/eventlog/event-log';
import { KafkaEventLog } from '../../src/eventlog/kafka/kafka-event-log';
import type { KillPoint } from '../../src/eventlog/kill-point';
import { LmdbEventLog } from '../../src/eventlog/lmdb/lmdb-event-log';
import { TOPICS, topicSpecs } from '../../src/eventlog/topics';
import { LLM_EVENTS } from '../../src/projector/sources';
import { accountCommandsOn } from './accounts';
import { startFakeOpenAiServer } from './fake-openai-server';
import { compareTotals, eventsInLog, expectedTotals, projectedTotals } from './fault-totals';
import {
  spawnSightlineChild,
  startSightlineChild,
  type BackendEntry,
  type Exit,
  type SightlineChild,
} from './sightline-child';

export interface ProjectorFaultOptions {
  /** `kafka`: the broker at `kafkaBrokers`; `lmdb`: an embedded log in a temp folder both processes open. */
  readonly log: { readonly kind: 'lmdb' } | { readonly kind: 'kafka'; readonly brokers: string };
  /** SIGKILLs of the projector process. */
  readonly kills: number;
  readonly entry: BackendEntry;
  /** Progress lines. */
  readonly say?: (line: string) => void;
}

export interface ProjectorFaultReport {
  /** SIGKILLs the projector died of, by where: a kill point, or a random moment (`timer`). */
  readonly kills: Readonly<Record<string, number>>;
  readonly gatewayCalls: number;
  readonly ingestedItems: number;
  /** LLM events of the run's projects in the log. */
  readonly events: number;
  /** Figures compared (counts, tokens, cost per project and model/kind/type; traces). */
  readonly figures: number;
  readonly mismatches: readonly string[];
  readonly seconds: number;
}

/** Where the i-th kill aims, in turn (a short run meets the points that leave a batch half done first); `undefined`: a random moment. */
const PLAN: readonly (KillPoint | undefined)[] = [
  'batch-applied',
  'stage-applied',
  'range-noted',
  undefined,
  'committed',
];
const MODELS = ['gpt-4o-mini', 'gpt-4o'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Project {
  readonly projectId: string;
  readonly apiKey: string;
}

/** Two projects with a key each, through the control plane on the shared log. */
export async function createProjects(log: EventLog): Promise<Project[]> {
  const control = new ControlPlane(log);
  await control.onModuleInit();
  try {
    const commands = await accountCommandsOn(control);
    const suffix = randomBytes(4).toString('hex');
    const user = await commands.execute(
      new RegisterUserCommand(SYSTEM, {
        email: `faults-${suffix}@example.com`,
        name: 'faults',
        password: null,
      }),
    );
    const org = await commands.execute(new CreateOrganizationCommand(SYSTEM, `faults ${suffix}`));
    // One after the other: concurrent control commands race for the log (and on a fresh broker
    // can lose every retry while the group coordinator starts).
    const projects: { projectId: string; apiKey: string }[] = [];
    for (const name of ['a', 'b']) {
      const { projectId } = await commands.execute(
        new CreateProjectCommand(SYSTEM, org.organizationId, `faults ${suffix} ${name}`, user.userId),
      );
      const { full } = await commands.execute(new CreateApiKeyCommand(SYSTEM, projectId, 'faults'));
      projects.push({ projectId, apiKey: full });
    }
    return projects;
  } finally {
    await control.onModuleDestroy();
  }
}

/** One agent trace: a root span, two generations with tokens under it, and a tool span. */
function ingestBatch(i: number) {
  const traceId = newTraceId();
  const root = newSpanId();
  const at = new Date().toISOString();
  const span = (body: Record<string, unknown>) => ({
    id: newEventId(),
    type: body.kind === 'generation' ? 'generation' : 'span',
    body: { traceId, spanId: newSpanId(), parentSpanId: root, startedAt: at, endedAt: at, ...body },
  });
  return {
    batch: [
      {
        id: newEventId(),
        type: 'span',
        body: { traceId, spanId: root, kind: 'agent', name: `agent ${i}`, startedAt: at, endedAt: at },
      },
      span({
        kind: 'generation',
        model: 'claude-sonnet-4',
        usage: { inputTokens: 10 + (i % 7), outputTokens: 3 + (i % 5) },
      }),
      span({
        kind: 'generation',
        model: 'gpt-4o',
        usage: { inputTokens: 20 + (i % 11), outputTokens: 1 + (i % 3) },
      }),
      span({ kind: 'tool', name: 'search' }),
    ],
  };
}

/** Gateway calls and ingest batches from a few workers until `stop`; counts what was answered. */
function produce(api: SightlineChild, projects: readonly Project[], stop: () => boolean) {
  const answered = { gatewayCalls: 0, ingestedItems: 0, failures: 0 };
  const post = (project: Project, path: string, body: unknown) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${project.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const worker = async (w: number) => {
    for (let i = 0; !stop(); i++) {
      const project = projects[(w + i) % projects.length];
      try {
        if (w % 2 === 0) {
          const res = await post(project, '/v1/chat/completions', {
            model: MODELS[i % MODELS.length],
            messages: [{ role: 'user', content: `fault test ${w}/${i}` }],
            stream: i % 4 === 3,
          });
          await res.text();
          if (res.status === 200) answered.gatewayCalls++;
          else answered.failures++;
        } else {
          const res = await post(project, '/api/ingest', ingestBatch(i));
          const body = (await res.json()) as { successes?: unknown[] };
          answered.ingestedItems += body.successes?.length ?? 0;
          if (res.status !== 207) answered.failures++;
        }
      } catch {
        answered.failures++;
      }
    }
  };
  return { answered, done: Promise.all([0, 1, 2, 3].map(worker)) };
}

/**
 * Waits until `projector` dies at its kill point, or SIGKILLs it `afterMs` after it became healthy
 * (a random moment; or its kill point was not reached: no batch came).
 */
async function killOrWait(projector: SightlineChild, afterMs: number): Promise<Exit & { byUs: boolean }> {
  let byUs = false;
  let timer: NodeJS.Timeout | undefined;
  void projector.healthy.then(
    () =>
      (timer = setTimeout(() => {
        byUs = true;
        projector.kill('SIGKILL');
      }, afterMs)),
    () => undefined,
  );
  const exit = await projector.exited;
  clearTimeout(timer);
  return { ...exit, byUs };
}

/**
 * The effectively-once fault test: an api process takes gateway and ingest traffic while the
 * projector, a process of its own, is SIGKILLed `kills` times — at a random kill point of its batch
 * (`SIGHTLINE_KILL_AT`, the n-th time) or at a random moment — and started again. Then a last
 * projector catches up, and every total of the read models is compared with the totals computed
 * from the events in the log.
 */
export async function runProjectorFaults(options: ProjectorFaultOptions): Promise<ProjectorFaultReport> {
  const say = options.say ?? (() => undefined);
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'sightline-faults-'));
  const runId = randomBytes(4).toString('hex');
  const openLog = (): EventLog =>
    options.log.kind === 'kafka'
      ? new KafkaEventLog({
          brokers: options.log.brokers.split(','),
          clientId: `faults-${runId}`,
          logLevel: 1,
        })
      : LmdbEventLog.open(join(dir, 'eventlog'));
  const logEnv: Record<string, string> =
    options.log.kind === 'kafka'
      ? { KAFKA_BROKERS: options.log.brokers, EVENT_PARTITIONS: '3' }
      : { EVENT_LOG_DIR: join(dir, 'eventlog') };
  const common = { ...logEnv, SIGHTLINE_SECRET_KEY: randomBytes(32).toString('base64') };
  const projectorEnv = {
    ...common,
    SIGHTLINE_ROLES: 'projector',
    DATA_DIR: join(dir, 'projector'),
    PROJECTOR_GROUP_SUFFIX: `faults-${runId}`,
    // Short batches: more batch boundaries to die at.
    PROJECTOR_LINGER_MS: '50',
  };
  const fake = await startFakeOpenAiServer({ apiKey: 'faults' });
  const log = openLog();
  let api: SightlineChild | undefined;
  let projector: SightlineChild | undefined;
  try {
    await log.ensureTopics(topicSpecs(3));
    const projects = await createProjects(log);
    api = await startSightlineChild(options.entry, {
      ...common,
      SIGHTLINE_ROLES: 'api',
      DATA_DIR: join(dir, 'api'),
      OPENAI_BASE_URL: fake.url,
      OPENAI_API_KEY: 'faults',
      GATEWAY_RATE_LIMIT_RPS: '1000000',
      API_RATE_LIMIT_RPS: '1000000',
    });
    let producing = true;
    const producer = produce(api, projects, () => !producing);

    const kills: Record<string, number> = {};
    let attempt = 0;
    while (Object.values(kills).reduce((a, b) => a + b, 0) < options.kills) {
      const point = PLAN[attempt++ % PLAN.length];
      const at = point ? `${point}:${randomInt(1, 6)}` : undefined;
      projector = await spawnSightlineChild(options.entry, {
        ...projectorEnv,
        ...(at ? { SIGHTLINE_KILL_AT: at } : {}),
      });
      const exit = await killOrWait(projector, at ? 20_000 : randomInt(0, 2000));
      if (exit.signal !== 'SIGKILL')
        throw new Error(`the projector exited with ${exit.code ?? exit.signal}, not killed`);
      const where = exit.byUs || !at ? 'timer' : at.split(':')[0];
      kills[where] = (kills[where] ?? 0) + 1;
      say(
        `kill ${Object.values(kills).reduce((a, b) => a + b, 0)}/${options.kills} at ${at ?? 'a random moment'}; answered so far ${JSON.stringify(producer.answered)}`,
      );
    }
    producing = false;
    await producer.done;
    await api.stop();

    // The last projector, left to catch up with everything in the log.
    projector = await startSightlineChild(options.entry, projectorEnv);
    const group = `${LLM_EVENTS.group}-faults-${runId}`;
    const ends = await log.endOffsets(TOPICS.llm);
    for (let deadline = Date.now() + 120_000; ; await sleep(250)) {
      const committed = await log.committedOffsets(group, TOPICS.llm);
      if (committed.every((c, p) => c >= ends[p])) break;
      if (Date.now() > deadline) throw new Error(`the projector did not catch up: ${committed} of ${ends}`);
    }
    const exit = await projector.stop();
    if (exit.code !== 0 && exit.signal !== 'SIGTERM')
      throw new Error(`the last projector exited with ${exit.code ?? exit.signal}`);

    const mine = new Set(projects.map((p) => p.projectId));
    const events = await eventsInLog(log, mine);
    const expected = expectedTotals(events);
    const ch = ClickHouse.connect({ dataDir: join(dir, 'projector'), database: 'default' });
    const projected = await projectedTotals(ch, mine);
    await ch.close();
    const { answered } = producer;
    if (answered.failures) say(`${answered.failures} calls failed`);
    return {
      kills,
      gatewayCalls: answered.gatewayCalls,
      ingestedItems: answered.ingestedItems,
      events: events.length,
      figures: expected.size,
      mismatches: compareTotals(expected, projected),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    projector?.kill('SIGKILL');
    api?.kill('SIGKILL');
    await log.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
