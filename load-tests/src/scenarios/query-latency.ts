/**
 * Query latency at scale (issue 12's figures): chDB seeded with a month of traces, then the queries
 * the UI runs, each timed through Sightline's own handlers (the SQL the API runs):
 *
 *   trace list, first page with a filter (a model, the last 7 days)     target p95 ≤ 50 ms at 10M
 *   trace by id (trace row, span rows, archived events)                target p95 ≤ 20 ms
 *   30-day dashboard: hourly p50/p95/p99 latency and cost by model      target p95 ≤ 250 ms
 *   full-text search over inputs and outputs, first page               target p95 ≤ 500 ms
 *
 * Seeding (`harness/seed-month.ts`): a template month (`harness/synthetic-traces.ts`) written through the
 * projections' row builders, then copied by ClickHouse under new ids and days, and copied traces checked
 * against their events projected again: 20,000 generations by default, `--size 10m` (or
 * BENCH_QUERY_GENERATIONS=10m) for 10 million. `--data <dir>` keeps the chDB folder and reuses it when
 * it already holds that size. A migration's background rewrite of a reused folder (e.g. 0042's REWRITE
 * PARTS) is waited for before timing, so figures are of the settled tables. Prints the EXPLAIN of the
 * slowest query.
 */
import { EventArchive } from '@sightline/backend/dist/archive/event-archive';
import { GenerationAnalytics } from '@sightline/backend/dist/analytics/generation-analytics';
import type { ClickHouse } from '@sightline/backend/dist/clickhouse/clickhouse';
import { openClickHouse } from '@sightline/backend/dist/clickhouse/migrator';
import { Clock } from '@sightline/backend/dist/common/clock';
import {
  ListGenerationsHandler,
  ListGenerationsQuery,
} from '@sightline/backend/dist/generations/list-generations.query';
import {
  GetTraceHandler,
  ListTracesHandler,
  ListTracesQuery,
} from '@sightline/backend/dist/traces/trace-queries';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { command, commit, machine } from '../harness/environment';
import { summarize } from '../harness/percentiles';
import { checkCopies, copyTemplate, insertRows, rowsOf } from '../harness/seed-month';
import { NEEDLES, syntheticTraces } from '../harness/synthetic-traces';
import { int, ms, printTable } from '../harness/table';

const PROJECT = 'bench-project';
const END = Date.parse('2026-11-30T00:00:00.000Z');
const DAY_MS = 86_400_000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** `10m`, `250k`, `100000`. */
function size(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`--size must look like 100k, 10m or 250000, got "${text}"`);
  return Math.round(Number(match[1]) * { '': 1, k: 1e3, m: 1e6 }[match[2].toLowerCase() as '' | 'k' | 'm']);
}

/** Generations per template month (projected in JS); ClickHouse copies it up to the size asked. */
const TEMPLATE_MAX = 50_000;
const COPIES_PER_INSERT = 10;

/** The template month through the row builders, then its copies: at least two, so copying is always checked. */
async function seed(ch: ClickHouse, generations: number): Promise<void> {
  const copies = Math.max(2, Math.ceil(generations / TEMPLATE_MAX));
  const template = Math.round(generations / copies);
  const started = performance.now();
  const rate = (n: number) => `${int(n / ((performance.now() - started) / 1000))}/s`;
  let done = 0;
  for (const traces of syntheticTraces({ generations: template, end: END, projectId: PROJECT }, 10_000)) {
    await insertRows(ch, rowsOf(traces));
    done += traces.flat().length / 2;
    process.stdout.write(`\r  template: ${int(done)} / ${int(template)} generations (${rate(done)})   `);
  }
  await copyTemplate(ch, {
    end: END,
    copies,
    perInsert: COPIES_PER_INSERT,
    progress: (n) =>
      process.stdout.write(
        `\r  copies: ${n} / ${copies} (${int(n * template)} generations, ${rate(n * template)})      `,
      ),
  });
  process.stdout.write('\n');
}

/** Waits until no mutation is pending (a migration's background rewrite); returns the seconds waited. */
async function settle(ch: ClickHouse): Promise<number> {
  const started = performance.now();
  for (;;) {
    const [pending] = await ch.query<{ n: string; parts: string }>(
      'SELECT count() AS n, sum(parts_to_do) AS parts FROM system.mutations WHERE NOT is_done',
    );
    if (Number(pending.n) === 0) return (performance.now() - started) / 1000;
    process.stdout.write(
      `\r  waiting for ${pending.n} background mutation(s), ${pending.parts} part(s) to do   `,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

interface Timed {
  readonly name: string;
  readonly target: number;
  readonly samples: number[];
  /** This process's CPU time per run (chDB runs in it): what the query costs, much less sensitive to other load than wall time. */
  readonly cpu: number[];
  readonly sql?: { text: string; params: Record<string, unknown> };
}

/** The last SQL sent through `ch`, to EXPLAIN afterwards: the handlers' own text and parameters. */
function recordSql(ch: ClickHouse): { last: Timed['sql'] } {
  const recorder: { last: Timed['sql'] } = { last: undefined };
  const query = ch.query.bind(ch);
  ch.query = (text, params = {}) => {
    recorder.last = { text, params };
    return query(text, params);
  };
  return recorder;
}

/** Timed runs of each query (`--runs`, default 40), after 3 to warm up. */
const RUNS = Number(arg('runs') ?? 40);

async function time(
  recorder: { last: Timed['sql'] },
  name: string,
  target: number,
  run: (i: number) => Promise<unknown>,
): Promise<Timed> {
  for (let i = 0; i < 3; i++) await run(i); // warm caches and the connection
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const used = process.cpuUsage();
    await run(i);
    samples.push(performance.now() - start);
    const { user, system } = process.cpuUsage(used);
    cpu.push((user + system) / 1000);
  }
  return { name, target, samples, cpu, sql: recorder.last };
}

async function main(): Promise<void> {
  const generations = size(arg('size') ?? process.env.BENCH_QUERY_GENERATIONS ?? '20k');
  const keep = arg('data');
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'sightline-query-bench-'));
  mkdirSync(dir, { recursive: true });
  const marker = join(dir, 'seeded.json');
  const { ch } = await openClickHouse({ database: 'default', dataDir: dir });
  try {
    const held = existsSync(marker)
      ? (JSON.parse(readFileSync(marker, 'utf8')) as { generations: number })
      : null;
    if (held && held.generations !== generations)
      throw new Error(`${dir} holds ${int(held.generations)} generations: pass another --data folder`);
    const seeded = held !== null;
    const seedStart = performance.now();
    if (!seeded) {
      console.log(`Seeding ${int(generations)} generations into ${dir}`);
      await seed(ch, generations);
      await ch.command('OPTIMIZE TABLE traces FINAL');
      writeFileSync(marker, JSON.stringify({ generations }));
    }
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const settleSeconds = await settle(ch);
    if (settleSeconds > 1)
      console.log(`\n  background mutations finished after ${settleSeconds.toFixed(0)} s`);
    const counts = await ch.query<{ t: string; n: string }>(
      `SELECT 'traces' AS t, count() AS n FROM traces UNION ALL SELECT 'spans', count() FROM spans
       UNION ALL SELECT 'generations', count() FROM generations UNION ALL SELECT 'events', count() FROM events`,
    );
    const traceIds = (
      await ch.query<{ trace_id: string }>(
        'SELECT trace_id FROM traces WHERE project_id = {p:String} ORDER BY cityHash64(trace_id) LIMIT 50',
        { p: PROJECT },
      )
    ).map((r) => r.trace_id);
    await checkCopies(ch, PROJECT, traceIds.slice(0, 20));
    console.log(
      `Seeded rows of ${Math.min(20, traceIds.length)} traces equal their archived events projected again`,
    );

    const recorder = recordSql(ch);
    const traces = new ListTracesHandler(ch);
    const trace = new GetTraceHandler(ch, new EventArchive(ch));
    const analytics = new GenerationAnalytics(ch);
    const list = new ListGenerationsHandler(ch, new Clock(), { interruptedAfterMs: 3_600_000 });
    const week = { from: new Date(END - 7 * DAY_MS).toISOString(), to: new Date(END).toISOString() };
    const month = { from: new Date(END - 30 * DAY_MS).toISOString(), to: new Date(END).toISOString() };
    const models = ['gpt-4o', 'claude-sonnet-4-5', 'llama-3.3-70b', 'gemini-2.5-flash'];
    const newest = { field: 'STARTED_AT', direction: 'DESC' } as const;

    const results = [
      await time(recorder, 'trace list, first page, filter: a model, last 7 days', 50, (i) =>
        traces.execute(
          new ListTracesQuery(PROJECT, { ...week, models: [models[i % 4]] }, newest, 50, undefined),
        ),
      ),
      await time(recorder, 'trace by id (with spans and archived events)', 20, async (i) => {
        if (!(await trace.execute({ projectId: PROJECT, traceId: traceIds[i % traceIds.length] } as never)))
          throw new Error('a seeded trace was not found');
      }),
      await time(recorder, '30-day dashboard: hourly p50/p95/p99 latency and cost by model', 250, () =>
        analytics.series(PROJECT, month, 'HOUR', { dimension: 'MODEL' }, 10),
      ),
      await time(recorder, 'full-text search over inputs and outputs, first page', 500, (i) =>
        list.execute(new ListGenerationsQuery(PROJECT, 50, undefined, { ...month, search: NEEDLES[i % 3] })),
      ),
    ];

    const rows = results.map((r) => {
      const s = summarize(r.samples);
      return [
        r.name,
        ms(s.p50),
        ms(percentileOf(r.samples, 95)),
        ms(s.max),
        ms(percentileOf(r.cpu, 50)),
        `≤ ${r.target}`,
      ];
    });
    printTable(
      `Query latency over ${int(generations)} generations (${RUNS} runs each, ms; cpu: this process's CPU time per run)`,
      ['query', 'p50', 'p95', 'max', 'cpu p50', 'target'],
      rows,
    );
    await explainSlowest(ch, results);
    const lines = [
      `command : ${command(__filename)}${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
      `machine : ${machine()} · load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at the end`,
      `commit  : ${commit()}`,
      '',
      `Rows: ${counts.map((c) => `${c.t} ${int(Number(c.n))}`).join(', ')}${seeded ? ' (reused)' : ` (seeded in ${seedSeconds.toFixed(0)} s)`}`,
      ...results.map(
        (r) =>
          `  ${r.name}: p50 ${ms(percentileOf(r.samples, 50))} ms, p95 ${ms(percentileOf(r.samples, 95))} ms (target ≤ ${r.target}), cpu p50 ${ms(percentileOf(r.cpu, 50))} ms`,
      ),
    ];
    const title = ' SUMMARY: query-latency ';
    const width = Math.max(...lines.map((l) => l.length));
    console.log(
      `\n===${title}${'='.repeat(Math.max(0, width - title.length))}\n${lines.join('\n')}\n${'='.repeat(width + 3)}`,
    );
  } finally {
    await ch.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

function percentileOf(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  return (
    sorted[Math.floor(rank)] +
    (sorted[Math.ceil(rank)] - sorted[Math.floor(rank)]) * (rank - Math.floor(rank))
  );
}

/** The plan of the query with the worst p95 relative to its target (its last SQL statement). */
async function explainSlowest(ch: ClickHouse, results: readonly Timed[]): Promise<void> {
  const relative = (r: Timed) => percentileOf(r.samples, 95) / r.target;
  const worst = [...results].sort((a, b) => relative(b) - relative(a))[0];
  if (!worst.sql) return;
  const plan = await ch.query<{ explain: string }>(`EXPLAIN indexes = 1 ${worst.sql.text}`, worst.sql.params);
  console.log(
    `\nEXPLAIN indexes = 1 of the slowest against its target: ${worst.name}\n${plan.map((p) => p.explain).join('\n')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
