/**
 * Restatement throughput (issue 10's figure): generations re-priced per second, from the embedded
 * lmdb log into chDB, by the same job the CLI and the GraphQL mutation run.
 *
 * The log is seeded directly (not through the gateway) with BENCH_RESTATE_GENERATIONS (1,000,000;
 * 20,000 with BENCH_SHORT=1) generations (requested + completed, 2 events each) over
 * BENCH_PARTITIONS (6) partitions and 10 projects, spread over the priced catalog models with
 * usage of realistic sizes (cached and reasoning tokens on some). Then one restatement of every
 * project is timed from start to finish; the restated rows are checked: one per generation, and
 * their total equals the same usages priced directly.
 */
import type { ClickHouse } from '@sightline/backend/dist/clickhouse/clickhouse';
import { openClickHouse } from '@sightline/backend/dist/clickhouse/migrator';
import { ControlProjectModels } from '@sightline/backend/dist/catalog/control-project-models';
import { ModelCatalog } from '@sightline/backend/dist/catalog/model-catalog';
import { ControlPlane } from '@sightline/backend/dist/control/control-plane';
import { CatalogPricing } from '@sightline/backend/dist/costs/catalog-pricing';
import { LmdbEventLog } from '@sightline/backend/dist/eventlog/lmdb/lmdb-event-log';
import { TOPICS, topicSpecs } from '@sightline/backend/dist/eventlog/topics';
import { restatementsOver } from '@sightline/backend/dist/restatement/restatement.module';
import { generationEvents } from '@sightline/backend/dist-support/test/support/events';
import { encodeEvent, type GenerationCompleted, type RecordedUsage } from '@sightline/schemas';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { command, commit, envInt, machine } from '../harness/environment';
import { heading, int, printTable } from '../harness/table';

const SHORT = process.env.BENCH_SHORT === '1';
const CONFIG = {
  generations: envInt('BENCH_RESTATE_GENERATIONS', SHORT ? 20_000 : 1_000_000),
  partitions: envInt('BENCH_PARTITIONS', 6),
  projects: 10,
  appendBatch: 5000,
};

/** Token counts of chat-sized calls, varied but reproducible. */
function usageOf(i: number): RecordedUsage {
  const inputTokens = 200 + ((i * 7919) % 6000);
  const outputTokens = 20 + ((i * 104_729) % 1200);
  const reasoningTokens = i % 5 === 0 ? Math.floor(outputTokens / 3) : 0;
  const cachedTokens = i % 3 === 0 ? Math.floor(inputTokens / 2) : 0;
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    cachedTokens,
    reasoningTokens,
    source: 'reported',
  };
}

const now = (): number => performance.now();

async function seed(
  log: LmdbEventLog,
  models: readonly { provider: string; wireModel: string; id: string }[],
) {
  const start = Date.parse('2026-11-01T00:00:00.000Z');
  for (let done = 0; done < CONFIG.generations;) {
    const records = [];
    for (; records.length < CONFIG.appendBatch && done < CONFIG.generations; done++) {
      const model = models[done % models.length];
      const [requested, completed] = generationEvents(`bench-project-${done % CONFIG.projects}`, {
        model: model.id,
        startedAt: new Date(start + done * 1000),
      });
      const ended = completed as GenerationCompleted;
      const end: GenerationCompleted = {
        ...ended,
        data: {
          ...ended.data,
          servedBy: { provider: model.provider, model: model.wireModel },
          usage: usageOf(done),
        },
      };
      records.push(
        { key: requested.traceId, value: encodeEvent(requested) },
        { key: end.traceId, value: encodeEvent(end) },
      );
    }
    await log.append(TOPICS.llm, records);
  }
}

async function restatedTotals(ch: ClickHouse): Promise<{ rows: number; spans: number; totalNano: bigint }> {
  const [row] = await ch.query<{ rows: string; spans: string; total: string }>(
    `SELECT count() AS rows, uniqExact(span_id) AS spans, toString(sum(total_nano_usd)) AS total FROM restated_costs`,
  );
  return { rows: Number(row.rows), spans: Number(row.spans), totalNano: BigInt(row.total) };
}

async function main(): Promise<void> {
  console.log(`restatement · ${machine()}`);
  heading(`Restating ${int(CONFIG.generations)} generations (embedded lmdb log → chDB)`);
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-restate-'));
  const log = LmdbEventLog.open(join(dir, 'eventlog'));
  const { ch } = await openClickHouse({ database: 'default', dataDir: dir });
  const control = new ControlPlane(log);
  try {
    await log.ensureTopics(topicSpecs(CONFIG.partitions));
    await control.onModuleInit();
    const catalog = new ModelCatalog();
    const pricing = new CatalogPricing(catalog, new ControlProjectModels(control, catalog), control);
    const models = catalog.models
      .filter((m) => m.prices.length)
      .slice(0, 12)
      .map((m) => ({ id: m.id, provider: m.provider, wireModel: m.wireModel ?? m.id }));

    let start = now();
    await seed(log, models);
    const seedMs = now() - start;
    const events = (await log.endOffsets(TOPICS.llm)).reduce((a, b) => a + b, 0);
    console.log(
      `seeded ${int(events)} events in ${(seedMs / 1000).toFixed(1)} s over ${models.length} models`,
    );

    const restatements = restatementsOver(log, ch, pricing, control);
    let lastPrint = 0;
    restatements.onChange((job) => {
      if (now() - lastPrint < 5000) return;
      lastPrint = now();
      console.log(
        `  ${int(job.eventsDone)}/${int(job.eventsTotal)} events, ${int(job.generations)} generations`,
      );
    });
    start = now();
    const job = await restatements.start('', `bench-${Date.now()}`);
    await restatements.settled(job.id);
    const restateMs = now() - start;
    const done = await restatements.job('', job.id);
    if (done.status !== 'finished') throw new Error(`the restatement ended ${done.status}: ${done.error}`);

    const totals = await restatedTotals(ch);
    let expected = 0n;
    for (let i = 0; i < CONFIG.generations; i++) {
      const model = models[i % models.length];
      const at = new Date(Date.parse('2026-11-01T00:00:00.000Z') + i * 1000);
      expected += pricing.costOf('', model.wireModel, model.provider, usageOf(i), at).totalNanoUsd;
    }
    if (
      totals.spans !== CONFIG.generations ||
      totals.rows !== CONFIG.generations ||
      totals.totalNano !== expected
    ) {
      throw new Error(
        `restated ${totals.rows} rows for ${totals.spans} generations, total ${totals.totalNano} nano-USD; ` +
          `expected ${CONFIG.generations} and ${expected}`,
      );
    }
    const seconds = restateMs / 1000;
    printTable(
      'Restatement (start → finished, one job over every project)',
      ['generations', 'events read', 'seconds', 'generations/s', 'events/s'],
      [
        [
          int(CONFIG.generations),
          int(events),
          seconds.toFixed(1),
          int(CONFIG.generations / seconds),
          int(events / seconds),
        ],
      ],
    );
    const lines = [
      `command : ${command(__filename)}`,
      `machine : ${machine()}`,
      `commit  : ${commit()}`,
      '',
      `Restating ${int(CONFIG.generations)} generations (${int(events)} events, ${CONFIG.partitions} partitions, ${models.length} catalog models):`,
      `  ${int(CONFIG.generations / seconds)} generations/s (${seconds.toFixed(1)} s; ${int(events / seconds)} events/s read)`,
      `  checked: ${int(totals.rows)} restated rows, total $${(Number(totals.totalNano) / 1e9).toFixed(2)} = the usages priced directly`,
      `  (log seeded in ${(seedMs / 1000).toFixed(1)} s)`,
    ];
    const title = ' SUMMARY: restatement ';
    const width = Math.max(...lines.map((l) => l.length));
    console.log(
      `\n===${title}${'='.repeat(Math.max(0, width - title.length))}\n${lines.join('\n')}\n${'='.repeat(width + 3)}`,
    );
  } finally {
    await control.onModuleDestroy();
    await log.close();
    await ch.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
