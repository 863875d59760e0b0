/**
 * Control-plane start-up: how long `ControlPlane.onModuleInit` (rebuilding the state from the
 * control topic, then following it) takes with a large control log, on both event-log adapters.
 *
 * The log holds BENCH_CONTROL_EVENTS (100000) valid control events of a busy instance: per ten
 * events one user, one membership, one API key, five key uses and two ended sessions. Each run opens
 * a fresh log client (lmdb: reopened folder; Kafka: new client on a topic of its own) and times one
 * `onModuleInit`; the rebuilt state is checked against what was appended.
 *
 * Knobs (environment): BENCH_CONTROL_EVENTS (100000, a multiple of 10), BENCH_CONTROL_RUNS (3),
 * BENCH_KAFKA_BROKERS (127.0.0.1:9092; the broker `npm run kafka:start` runs).
 */
import { ControlPlane } from '@sightline/backend/dist/control/control-plane';
import { controlEvent, SYSTEM, type NewControlEvent } from '@sightline/backend/dist/control/control-events';
import type { EventLog } from '@sightline/backend/dist/eventlog/event-log';
import { KafkaEventLog } from '@sightline/backend/dist/eventlog/kafka/kafka-event-log';
import { LmdbEventLog } from '@sightline/backend/dist/eventlog/lmdb/lmdb-event-log';
import { topicSpecs } from '@sightline/backend/dist/eventlog/topics';
import { encodeControlEvent, type ControlEvent } from '@sightline/schemas';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { command, commit, envInt, machine } from '../harness/environment';
import { heading, int, ms, printTable } from '../harness/table';

const CONFIG = {
  events: envInt('BENCH_CONTROL_EVENTS', 100_000),
  runs: envInt('BENCH_CONTROL_RUNS', 3),
  brokers: (process.env.BENCH_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()),
  appendBatch: 1000,
};

const HASH = 'a'.repeat(64);
const at = new Date('2026-01-01T00:00:00.000Z');
const iso = at.toISOString();

/** Ten events of one user: registered, member, a key, five key uses, two ended sessions. */
function tenEvents(i: number): ControlEvent[] {
  const userId = `usr_${i}`;
  const projectId = `prj_${i % 100}`;
  const keyId = `key_${i}`;
  const event = (body: NewControlEvent) => controlEvent(SYSTEM, at, body);
  return [
    event({
      type: 'user.registered',
      entityKey: `user:${userId}`,
      projectId: null,
      data: { userId, email: `u${i}@example.com`, name: `User ${i}`, passwordHashEnc: null, createdAt: iso },
    }),
    event({
      type: 'membership.granted',
      entityKey: `membership:${projectId}/${userId}`,
      projectId,
      data: { projectId, userId, role: 'member' },
    }),
    event({
      type: 'api-key.created',
      entityKey: `api-key:${keyId}`,
      projectId,
      data: {
        keyId,
        projectId,
        name: 'bench',
        secretHash: HASH,
        preview: 'sl_bench',
        createdAt: iso,
        createdBy: userId,
        revokedAt: null,
      },
    }),
    ...Array.from({ length: 5 }, (_, n) =>
      event({
        type: 'api-key.used',
        entityKey: `api-key-used:${keyId}`,
        projectId,
        data: { keyId, lastUsedAt: new Date(at.getTime() + n * 60_000).toISOString() },
      }),
    ),
    ...Array.from({ length: 2 }, (_, n) =>
      event({
        type: 'session.ended',
        entityKey: `session:${userId}-${n}`,
        projectId: null,
        data: { sessionId: `ses_${i}_${n}`, userId, endedAt: iso },
      }),
    ),
  ];
}

async function fill(log: EventLog, topic: string): Promise<void> {
  for (let done = 0; done < CONFIG.events;) {
    const records = [];
    for (let i = done / 10; records.length < CONFIG.appendBatch && done < CONFIG.events; i++) {
      records.push(...tenEvents(i).map((e) => ({ key: e.entityKey, value: encodeControlEvent(e) })));
      done += 10;
    }
    await log.append(topic, records);
  }
}

/** One cold start: a fresh ControlPlane on a fresh client, timed through `onModuleInit`. */
async function startOnce(open: () => Promise<EventLog>, topic: string): Promise<number> {
  const log = await open();
  const control = new ControlPlane(log, topic);
  try {
    const start = performance.now();
    await control.onModuleInit();
    const elapsed = performance.now() - start;
    const users = CONFIG.events / 10;
    const state = control.current;
    if (
      state.users.size !== users ||
      state.apiKeys.size !== users ||
      state.endedSessions.size !== 2 * users
    ) {
      throw new Error(
        `rebuilt ${state.users.size} users, ${state.apiKeys.size} keys, ${state.endedSessions.size} sessions; ` +
          `expected ${users}, ${users}, ${2 * users}`,
      );
    }
    return elapsed;
  } finally {
    await control.onModuleDestroy();
    await log.close();
  }
}

interface Figures {
  readonly adapter: string;
  readonly fillMs: number;
  readonly runs: number[];
}

async function measure(adapter: string, open: () => Promise<EventLog>, topic: string): Promise<Figures> {
  const log = await open();
  let fillMs: number;
  try {
    await log.ensureTopics([{ ...topicSpecs(1)[1], name: topic }]);
    const start = performance.now();
    await fill(log, topic);
    fillMs = performance.now() - start;
    const [end] = await log.endOffsets(topic);
    if (end < CONFIG.events) throw new Error(`${adapter}: the control topic ends at ${end}`);
  } finally {
    await log.close();
  }
  const runs: number[] = [];
  for (let run = 0; run < CONFIG.runs; run++) {
    runs.push(await startOnce(open, topic));
    console.log(`${adapter}: start-up ${run + 1} took ${ms(runs[run])} ms`);
  }
  return { adapter, fillMs, runs };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main(): Promise<void> {
  if (CONFIG.events % 10) throw new Error('BENCH_CONTROL_EVENTS must be a multiple of 10');
  console.log(`control-plane-startup · ${machine()}`);
  heading(`Control plane start-up with ${int(CONFIG.events)} control events`);
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-control-'));
  const figures: Figures[] = [];
  try {
    const path = join(dir, 'eventlog');
    figures.push(await measure('embedded lmdb', async () => LmdbEventLog.open(path), 'sightline.control'));
    const topic = `bench.control.${randomUUID().slice(0, 8)}`;
    const kafka = async () =>
      new KafkaEventLog({ brokers: CONFIG.brokers, clientId: 'bench-control', logLevel: 1 /* ERROR */ });
    figures.push(await measure(`Kafka (${CONFIG.brokers.join(',')})`, kafka, topic));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(
    'ControlPlane.onModuleInit (rebuild of the state), ms per cold start',
    ['adapter', ...figures[0].runs.map((_, i) => `run ${i + 1}`), 'median', 'log filled in'],
    figures.map((f) => [f.adapter, ...f.runs.map(ms), ms(median(f.runs)), ms(f.fillMs)]),
  );
  const lines = [
    `command : ${command(__filename)}`,
    `machine : ${machine()}`,
    `commit  : ${commit()}`,
    '',
    `ControlPlane start-up (onModuleInit = rebuild from the control topic), ${int(CONFIG.events)} events, ${CONFIG.runs} cold starts:`,
    ...figures.map(
      (f) =>
        `  ${f.adapter}: median ${ms(median(f.runs))} ms (runs ${f.runs.map(ms).join(', ')} ms; log filled in ${ms(f.fillMs)} ms)`,
    ),
  ];
  const title = ' SUMMARY: control-plane-startup ';
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
