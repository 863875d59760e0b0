import { encodeEvent, type RecordedUsage, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouse } from '../../src/clickhouse/clickhouse';
import { openClickHouse } from '../../src/clickhouse/migrator';
import { Clock } from '../../src/common/clock';
import type { EventLog } from '../../src/eventlog/event-log';
import { progressOf, type RestatementJob } from '../../src/restatement/restatement-job';
import { RestatementStore } from '../../src/restatement/restatement-store';
import { Restatements } from '../../src/restatement/restatements.service';
import type { PriceOf } from '../../src/restatement/restated-rows';
import { eventually, generationEvents } from './events';

const ZERO = 0n;

/** A price table stand-in: nano-USD per input and per output token, under a version name. */
export function flatPrice(version: string, inputNano: bigint, outputNano: bigint): PriceOf {
  return (_projectId, _model, _provider, usage: RecordedUsage) => {
    const input = BigInt(usage.inputTokens) * inputNano;
    const output = BigInt(usage.outputTokens) * outputNano;
    return {
      totalNanoUsd: input + output,
      breakdown: {
        input,
        output,
        cachedInput: ZERO,
        cacheWrite: ZERO,
        reasoning: ZERO,
        audio: ZERO,
        image: ZERO,
        requestFee: ZERO,
      },
      priceVersion: version,
      flags: [],
    };
  };
}

/**
 * Restatement jobs against a real event log (lmdb or Kafka) and chDB: `open` gives a fresh log
 * client on `topic` each call (a restart), already holding the topic.
 */
export function restatementSuite(name: string, open: () => Promise<EventLog>, topic: string): void {
  describe(`restatement on ${name}`, () => {
    const perProject = 60;
    let ch: ClickHouse;
    let store: RestatementStore;
    let log: EventLog;
    const clock = new Clock();
    const events: SightlineEvent[] = [];
    const p = (suffix: string) => `p-restate-${suffix}`;

    const service = (priceOf: PriceOf, logClient = log) =>
      new Restatements({
        log: logClient,
        topic,
        store,
        clock,
        priceOf,
        readable: () => true,
        findRequests: async () => new Map(),
        maxBatchSize: 10,
      });
    const costs = async (projectId: string) => {
      const ids = events.filter((e) => e.projectId === projectId && e.type === 'generation.completed');
      return store.latestCosts(
        projectId,
        ids.map((e) => e.spanId),
      );
    };
    const finished = async (restatements: Restatements, job: RestatementJob) => {
      await restatements.settled(job.id);
      return restatements.job(job.projectId, job.id);
    };

    beforeAll(async () => {
      ({ ch } = await openClickHouse({
        database: 'default',
        dataDir: mkdtempSync(join(tmpdir(), 'sl-rst-')),
      }));
      store = new RestatementStore(ch);
      log = await open();
      for (const project of [p('a'), p('b')]) {
        for (let i = 0; i < perProject; i++) events.push(...generationEvents(project));
      }
      await log.append(
        topic,
        events.map((e) => ({ key: e.traceId, value: encodeEvent(e) })),
      );
    });
    afterAll(async () => {
      await log.close();
      await ch.close();
    });

    it('re-prices every generation of the project and no other, at the new price; the same key starts nothing new', async () => {
      const restatements = service(flatPrice('v2', 1_000n, 4_000n));
      const job = await restatements.start(p('a'), 'first');
      const done = await finished(restatements, job);
      expect(done.status).toBe('finished');
      expect(done.generations).toBe(perProject);
      expect(progressOf(done)).toMatchObject({ fraction: 1, etaSeconds: 0 });
      const rows = await costs(p('a'));
      expect(rows.size).toBe(perProject);
      // generationEvents: 3 input and 2 output tokens → 3 × 1000 + 2 × 4000 nano-USD.
      expect([...new Set([...rows.values()].map((r) => `${r.totalNanoUsd} ${r.priceVersion}`))]).toEqual([
        '11000 v2',
      ]);
      expect((await costs(p('b'))).size).toBe(0);
      const again = await restatements.start(p('a'), 'first');
      expect(again.id).toBe(job.id);
      expect(restatements.isActive(job.id)).toBe(false);
    });

    it('cancelled half-way keeps its checkpoint; resumed, it ends with every generation priced once, the newest restatement winning', async () => {
      const restatements = service(flatPrice('v3', 2_000n, 5_000n));
      const seen: RestatementJob[] = [];
      const job = await restatements.start(p('a'), 'cancel-me');
      const stop = restatements.onChange((j) => {
        if (j.id === job.id) seen.push(j);
        if (j.id === job.id && j.eventsDone > 0 && j.status === 'running' && seen.length === 2) {
          void restatements.cancel(p('a'), job.id);
        }
      });
      await restatements.settled(job.id);
      stop();
      // The cancelled status is read back from the store, which a loaded machine updates late.
      const cancelled = await eventually(
        () => restatements.job(p('a'), job.id),
        (j) => j.status !== 'running',
      );
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.eventsDone).toBeGreaterThan(0);
      expect(cancelled.eventsDone).toBeLessThan(cancelled.eventsTotal);
      const fromStore = await store.job(p('a'), job.id);
      expect(fromStore?.status).toBe('cancelled');
      const resumed = await restatements.resume(p('a'), job.id);
      expect(resumed.status).toBe('running');
      const done = await finished(restatements, resumed);
      expect(done.status).toBe('finished');
      const rows = await costs(p('a'));
      expect(rows.size).toBe(perProject);
      expect(new Set([...rows.values()].map((r) => `${r.totalNanoUsd} ${r.priceVersion}`))).toEqual(
        new Set(['16000 v3']),
      );
      const [n] = await ch.query<{ n: string; spans: string }>(
        `SELECT count() AS n, uniqExact(span_id) AS spans FROM restated_costs
         WHERE project_id = {p:String} AND restatement_id = {id:String}`,
        { p: p('a'), id: job.id },
      );
      // A batch is written once: the resumed run starts after the checkpoint, a retried batch is dropped.
      expect(Number(n.n)).toBe(perProject);
      expect(Number(n.spans)).toBe(perProject);
    });

    it('a run stopped by a restart is resumed by the next process from its checkpoint', async () => {
      const first = service(flatPrice('v4', 3_000n, 1_000n));
      let stopping: Promise<void> | undefined;
      const job = await first.start(p('b'), 'crash');
      const stop = first.onChange((j) => {
        if (j.id === job.id && j.eventsDone > 0 && !stopping) stopping = first.stopAll();
      });
      await first.settled(job.id);
      await stopping;
      stop();
      const interrupted = await store.job(p('b'), job.id);
      expect(interrupted?.status).toBe('running');
      expect(interrupted!.eventsDone).toBeLessThan(interrupted!.eventsTotal);

      const restartedLog = await open();
      try {
        const second = service(flatPrice('v4', 3_000n, 1_000n), restartedLog);
        const [resumed] = await second.resumeUnfinished();
        expect(resumed.id).toBe(job.id);
        const done = await finished(second, resumed);
        expect(done.status).toBe('finished');
        expect(done.eventsDone).toBe(done.eventsTotal);
      } finally {
        await restartedLog.close();
      }
      const rows = await costs(p('b'));
      expect(rows.size).toBe(perProject);
      expect(new Set([...rows.values()].map((r) => r.totalNanoUsd))).toEqual(new Set(['11000']));
    });

    it('refuses to cancel a job that is not running, and to resume one that finished', async () => {
      const restatements = service(flatPrice('v2', 1n, 1n));
      const job = await restatements.start(p('a'), 'first');
      await expect(restatements.cancel(p('a'), job.id)).rejects.toMatchObject({ reason: 'not_running' });
      await expect(restatements.resume(p('a'), job.id)).rejects.toMatchObject({ reason: 'not_resumable' });
      await expect(restatements.job(p('b'), job.id)).rejects.toThrow(/No restatement/);
    });
  });
}
