/**
 * Restatement throughput (issue 10's figure): generations re-priced per second, from the embedded
 * lmdb log into chDB, by the same job the CLI and the GraphQL mutation run.
 *
 * The log is seeded directly (not through the gateway) with BENCH_RESTATE_GENERATIONS (1,000,000;
 * 20,000 with BENCH_SHORT=1) generations over BENCH_PARTITIONS (6) partitions and 10 projects,
 * spread over the priced catalog models with usage of realistic sizes (cached and reasoning tokens
 * on some). Of every ten, seven completed (requested + completed), one failed mid-way with its
 * partial usage (requested + failed), one cancelled before anything arrived (requested + cancelled:
 * not billed), one reported through ingestion (one `span.recorded`). Then one restatement of every
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
import {
  encodeEvent,
  type GenerationCompleted,
  type RecordedUsage,
  type SightlineEvent,
} from '@sightline/schemas';
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

/** How generation `i` ended: seven in ten completed, then one each failed, cancelled, ingested. */
type Kind = 'completed' | 'failed' | 'cancelled' | 'ingested';
const kindOf = (i: number): Kind =>
  (['failed', 'cancelled', 'ingested'] as const)[(i % 10) - 7] ?? 'completed';

/** The events of generation `i` (a cancelled call's cost is null: nothing arrived to bill). */
function eventsOf(i: number, model: BenchModel, startedAt: Date): SightlineEvent[] {
  const [requested, completed] = generationEvents(`bench-project-${i % CONFIG.projects}`, {
    model: model.id,
    startedAt,
  });
  const ended = completed as GenerationCompleted;
  const servedBy = { provider: model.provider, model: model.wireModel };
  const usage = usageOf(i);
  const broken = { startedAt: ended.data.startedAt, latencyMs: 90, timeToFirstTokenMs: null, cost: null };
  switch (kindOf(i)) {
    case 'completed':
      return [requested, { ...ended, data: { ...ended.data, servedBy, usage } }];
    case 'failed':
      return [
        requested,
        {
          ...ended,
          type: 'generation.failed',
          version: 3,
          data: {
            ...broken,
            errorClass: 'provider_error',
            providerStatus: 500,
            message: 'upstream broke off',
            servedBy,
            output: ended.data.output,
            usage,
          },
        },
      ];
    case 'cancelled':
      return [
        requested,
        {
          ...ended,
          type: 'generation.cancelled',
          version: 2,
          data: { ...broken, reason: 'client_disconnected', servedBy, output: null, usage: null },
        },
      ];
    case 'ingested': {
      const { source: _reported, ...counts } = usage;
      return [
        {
          ...ended,
          source: 'ingest',
          type: 'span.recorded',
          version: 2,
          data: {
            kind: 'generation',
            model: model.wireModel,
            provider: model.provider,
            startedAt: ended.data.startedAt,
            endedAt: ended.occurredAt,
            usage: counts,
          },
        },
      ];
    }
  }
}

interface BenchModel {
  readonly id: string;
  readonly provider: string;
  readonly wireModel: string;
}

const START = Date.parse('2026-11-01T00:00:00.000Z');

async function seed(log: LmdbEventLog, models: readonly BenchModel[]) {
  for (let done = 0; done < CONFIG.generations;) {
    const records = [];
    for (; records.length < CONFIG.appendBatch && done < CONFIG.generations; done++) {
      const events = eventsOf(done, models[done % models.length], new Date(START + done * 1000));
      for (const event of events) records.push({ key: event.traceId, value: encodeEvent(event) });
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
      if (kindOf(i) === 'cancelled') continue;
      const model = models[i % models.length];
      const at = new Date(START + i * 1000);
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
      `Restating ${int(CONFIG.generations)} generations: 70% completed, 10% each failed, cancelled, ingested (${int(events)} events, ${CONFIG.partitions} partitions, ${models.length} catalog models):`,
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
