import { encodeEvent, newSpanId, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { ControlPlane } from '../control/control-plane';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { TOPICS, topicSpecs } from '../eventlog/topics';
import { ProjectorService } from '../projector/projector.service';
import type { ReadModel } from '../projector/read-model';
import { eventually, generationEvents, refusalEvent, scoreEvent, spanEvent } from '../../test/support/events';
import { rebuildable, Rebuilder, RebuildRefusedError, type RebuildProgress } from './rebuilder';

/** A trace with an agent span, a generation under it and a score; and a refusal. */
function someEvents(projectId: string): SightlineEvent[] {
  const [requested, completed] = generationEvents(projectId);
  const at = { projectId, traceId: requested.traceId, spanId: newSpanId() };
  const now = new Date().toISOString();
  return [
    spanEvent(at, { kind: 'agent', name: 'plan', startedAt: now }),
    { ...requested, parentSpanId: at.spanId },
    { ...completed, parentSpanId: at.spanId },
    spanEvent(at, { endedAt: now, status: 'ok' }),
    scoreEvent(projectId, requested.traceId, 'quality', 0.5),
    refusalEvent(projectId, { count: 2, lastAt: now }),
  ];
}

const REBUILT = ['generations', 'traces', 'refusals'].map(
  (name) => [name, rebuildable(name, 'log')] as const,
);

describe('rebuilding a read model into fresh tables and swapping them in (lmdb, chDB)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sl-rebuild-'));
  let ch: ClickHouse;
  let log: LmdbEventLog;
  let control: ControlPlane;
  let live: ProjectorService;
  let rebuilder: Rebuilder;

  const append = (events: readonly SightlineEvent[]) =>
    log.append(
      TOPICS.llm,
      events.map((e) => ({ key: e.traceId, value: encodeEvent(e) })),
    );

  /**
   * Every row of every table of the model in one order, merged first where the engine merges rows;
   * aggregate states as their values (equal states may differ in bytes after other merges).
   */
  const rowsOf = (model: ReadModel<unknown>) =>
    Promise.all(
      model.tables.map(async (table) => {
        const [{ engine }] = await ch.query<{ engine: string }>(
          'SELECT engine FROM system.tables WHERE database = currentDatabase() AND name = {table:String}',
          { table },
        );
        if (engine === 'MaterializedView') return [];
        const columns = await ch.query<{ name: string; type: string }>(
          'SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = {table:String}',
          { table },
        );
        const select = columns
          .map((c) =>
            c.type.startsWith('AggregateFunction') ? `finalizeAggregation(${c.name}) AS ${c.name}` : c.name,
          )
          .join(', ');
        const final = engine === 'MergeTree' ? '' : 'FINAL';
        // trace_list keeps a trace's older rollups where its start moved earlier, and where batches
        // split a trace differs between runs; the list reads only the current one (see 0031).
        const current =
          table === 'trace_list'
            ? 'WHERE (project_id, trace_id, event_count) IN (SELECT project_id, trace_id, event_count FROM traces FINAL)'
            : '';
        return ch.query<Record<string, unknown>>(
          `SELECT ${select} FROM ${table} ${final} ${current} ORDER BY ALL`,
        );
      }),
    );
  const tablesLeft = async () =>
    (
      await ch.query<{ name: string }>(
        "SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE '%\\_\\_rebuild'",
      )
    ).map((t) => t.name);
  /** Until the archive holds every record of the log. */
  const caughtUp = async () => {
    const appended = (await log.endOffsets(TOPICS.llm)).reduce((a, b) => a + b, 0);
    await eventually(
      () => ch.query<{ n: string }>('SELECT count() AS n FROM events'),
      ([row]) => Number(row.n) >= appended,
    );
  };

  beforeAll(async () => {
    ({ ch } = await openClickHouse({ database: 'default', dataDir: dir }));
    log = LmdbEventLog.open(join(dir, 'eventlog'));
    await log.ensureTopics(topicSpecs(2));
    control = new ControlPlane(log);
    await control.onModuleInit();
    for (let i = 0; i < 20; i++) await append(someEvents(`p-rebuild-${i % 3}`));
    live = new ProjectorService(log, ch, control);
    await live.onApplicationBootstrap();
    await caughtUp();
    await new Promise((r) => setTimeout(r, 500)); // the read models after the archive take their batches too
    rebuilder = new Rebuilder(log, ch, control, { batchSize: 7 });
  });
  afterAll(async () => {
    await live.onModuleDestroy();
    await control.onModuleDestroy();
    await log.close();
    await ch.close();
  });

  it.each(REBUILT)(
    '%s: rebuilt from the log and from the archive, equal to the live tables',
    async (_name, model) => {
      const before = await rowsOf(model);
      expect(before[0].length).toBeGreaterThan(0);
      for (const from of ['log', 'archive'] as const) {
        const progress: RebuildProgress[] = [];
        await expect(
          rebuilder.rebuild(model, from, new AbortController().signal, (p) => progress.push(p)),
        ).resolves.toBe('swapped');
        expect(await rowsOf(model)).toEqual(before);
        expect(progress.length).toBeGreaterThan(2);
        expect(progress[progress.length - 1].done).toBe(progress[0].total);
      }
      expect(await tablesLeft()).toEqual([]);
    },
  );

  it('cancelled midway: the live tables stay as they were and the fresh ones are dropped', async () => {
    const [, model] = REBUILT[1];
    const before = await rowsOf(model);
    const cancel = new AbortController();
    const outcome = await rebuilder.rebuild(model, 'log', cancel.signal, (p) => {
      if (p.done > 0) cancel.abort();
    });
    expect(outcome).toBe('cancelled');
    expect(await rowsOf(model)).toEqual(before);
    expect(await tablesLeft()).toEqual([]);
  });

  it('after a swap the live projector goes on writing into the rebuilt tables', async () => {
    const [, generations] = REBUILT[0];
    await rebuilder.rebuild(generations, 'archive', new AbortController().signal);
    await append(someEvents('p-after-swap'));
    for (const table of ['generations', 'generation_rollup_minute']) {
      // The rollup too: its materialized view names `generations`, which is now the rebuilt table.
      await eventually(
        () => ch.query<{ n: string }>(`SELECT count() AS n FROM ${table} WHERE project_id = 'p-after-swap'`),
        ([row]) => Number(row.n) === 1,
      );
    }
  });

  it('refuses what cannot be rebuilt, naming why', () => {
    expect(() => rebuildable('nope', 'log')).toThrow(/no read model nope; one of: archive, generations/);
    expect(() => rebuildable('archive', 'log')).toThrow(RebuildRefusedError);
    expect(() => rebuildable('audit', 'log')).toThrow(/audit is never rebuilt: it keeps every change/);
  });
});
