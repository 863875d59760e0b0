/**
 * Effectively-once under SIGKILL (issue 11): the projector runs as its own process and is SIGKILLed
 * BENCH_KILLS times (default 24) — at kill points between reading a batch, inserting it and
 * committing it, and at random moments — while an api process takes gateway calls (priced, with
 * tokens) and `/api/ingest` traces. Then a last projector catches up and every total of the read
 * models is compared with the totals computed from the events in the log. On the embedded lmdb log
 * and on the Kafka broker at BENCH_KAFKA_BROKERS (default 127.0.0.1:9092). Fails on any mismatch.
 */
import { join } from 'node:path';
import {
  runProjectorFaults,
  type ProjectorFaultReport,
} from '@sightline/backend/dist-support/test/support/projector-faults';
import { command, commit, envInt, machine, REPO_ROOT } from '../harness/environment';
import { int, printTable } from '../harness/table';

const KILLS = envInt('BENCH_KILLS', 24);
const BROKERS = process.env.BENCH_KAFKA_BROKERS ?? '127.0.0.1:9092';
const ENTRY = { execArgv: [], main: join(REPO_ROOT, 'backend', 'dist', 'main.js') };

async function main(): Promise<void> {
  const runs: [string, ProjectorFaultReport][] = [];
  for (const [name, log] of [
    ['embedded lmdb', { kind: 'lmdb' }],
    [`Kafka (${BROKERS})`, { kind: 'kafka', brokers: BROKERS }],
  ] as const) {
    const say = (line: string) => console.log(`[${name}] ${line}`);
    runs.push([name, await runProjectorFaults({ log, kills: KILLS, entry: ENTRY, say })]);
  }
  printTable(
    'Projector SIGKILLed mid-batch, then every total compared with the events in the log',
    ['log', 'kills', 'where', 'gateway calls', 'ingested items', 'events', 'figures', 'mismatches', 's'],
    runs.map(([name, r]) => [
      name,
      int(Object.values(r.kills).reduce((a, b) => a + b, 0)),
      Object.entries(r.kills)
        .map(([at, n]) => `${at} ${n}`)
        .join(', '),
      int(r.gatewayCalls),
      int(r.ingestedItems),
      int(r.events),
      int(r.figures),
      int(r.mismatches.length),
      r.seconds.toFixed(0),
    ]),
  );
  for (const [name, r] of runs) for (const m of r.mismatches) console.log(`MISMATCH ${name}: ${m}`);
  const lines = [
    `command : ${command(__filename)}`,
    `machine : ${machine()}`,
    `commit  : ${commit()}`,
    '',
    ...runs.map(
      ([name, r]) =>
        `${name}: ${Object.values(r.kills).reduce((a, b) => a + b, 0)} kills (${JSON.stringify(r.kills)}), ` +
        `${r.events} events (${r.gatewayCalls} gateway calls, ${r.ingestedItems} ingested items), ` +
        `${r.figures} totals compared, ${r.mismatches.length} mismatches`,
    ),
  ];
  const title = ' SUMMARY: fault-projector ';
  const width = Math.max(...lines.map((l) => l.length));
  console.log(
    `\n===${title}${'='.repeat(Math.max(0, width - title.length))}\n${lines.join('\n')}\n${'='.repeat(width + 3)}`,
  );
  if (runs.some(([, r]) => r.mismatches.length)) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
