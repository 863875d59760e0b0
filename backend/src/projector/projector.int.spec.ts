import { encodeEvent, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ArchiveProjection } from '../archive/archive.projection';
import { EventArchive } from '../archive/event-archive';
import { ClickHouse } from '../clickhouse/clickhouse';
import { ControlPlane } from '../control/control-plane';
import { openClickHouse } from '../clickhouse/migrator';
import type { EventBatch } from '../eventlog/event-consumer';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { TOPICS, topicSpecs } from '../eventlog/topics';
import { GenerationsProjection } from '../generations/generations.projection';
import { eventually, generationEvents } from '../../test/support/events';
import { generationsReadModel } from '../generations/generations.read-model';
import type { ReadModel } from './read-model';
import { READ_MODELS } from './read-models';
import { ProjectorService } from './projector.service';

describe('projector on the embedded log and chDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-projector-'));
  let ch: ClickHouse;
  let log: LmdbEventLog;
  let archive: ArchiveProjection;
  let generations: GenerationsProjection;
  let control: ControlPlane;

  const count = async (table: string, projectId: string) =>
    Number(
      (
        await ch.query<{ n: string }>(
          `SELECT count() AS n FROM {table:Identifier} WHERE project_id = {projectId:String}`,
          {
            table,
            projectId,
          },
        )
      )[0].n,
    );
  const append = (events: SightlineEvent[]) =>
    log.append(
      TOPICS.llm,
      events.map((e) => ({ key: e.traceId, value: encodeEvent(e) })),
    );

  beforeAll(async () => {
    ({ ch } = await openClickHouse({ database: 'default', dataDir: dir }));
    log = LmdbEventLog.open(join(dir, 'eventlog'));
    await log.ensureTopics(topicSpecs(3));
    archive = new ArchiveProjection(ch);
    generations = new GenerationsProjection(ch, new EventArchive(ch));
    control = new ControlPlane(log);
    await control.onModuleInit();
  });
  afterAll(async () => {
    await control.onModuleDestroy();
    await log.close();
    await ch.close();
  });

  it('given requested + completed, writes one generation row; the same batch again changes nothing', async () => {
    const events = generationEvents('p-twice');
    const batch: EventBatch = { events, dedupToken: 'test:p-twice:0-1' };
    for (let i = 0; i < 2; i++) {
      await archive.apply(batch);
      await generations.apply(batch);
    }
    expect(await count('events', 'p-twice')).toBe(2);
    const rows = await ch.query<{ model: string; status: string; total_tokens: number; output: string }>(
      'SELECT model, status, total_tokens, output FROM generations WHERE project_id = {p:String}',
      { p: 'p-twice' },
    );
    expect(rows).toEqual([{ model: 'mock-1', status: 'completed', total_tokens: 5, output: 'hi there' }]);
  });

  it('finds the request in the archive when it came in an earlier batch', async () => {
    const [requested, completed] = generationEvents('p-split', { model: 'mock-large' });
    for (const [events, token] of [
      [[requested], 'split:0-0'],
      [[completed], 'split:1-1'],
    ] as const) {
      await archive.apply({ events, dedupToken: token });
      await generations.apply({ events, dedupToken: token });
    }
    const rows = await ch.query<{ model: string }>(
      'SELECT model FROM generations WHERE project_id = {p:String}',
      {
        p: 'p-split',
      },
    );
    expect(rows).toEqual([{ model: 'mock-large' }]);
  });

  it('does not double-count after a crash between the insert and the offset commit', async () => {
    let crashes = 0;
    const crashAfterInsertsOnce: ReadModel<unknown> = {
      ...generationsReadModel,
      name: 'crash-once',
      tables: [],
      projection: () => ({
        name: 'crash-once',
        apply: async () => {
          if (crashes++ === 0) throw new Error('process died before the commit');
        },
      }),
    };
    const projector = new ProjectorService(log, ch, control, {
      readModels: [...READ_MODELS, crashAfterInsertsOnce],
    });
    const events = [
      ...generationEvents('p-crash'),
      ...generationEvents('p-crash'),
      ...generationEvents('p-crash'),
    ];
    await append(events);
    await projector.onApplicationBootstrap();
    try {
      await eventually(
        () => count('generations', 'p-crash'),
        (n) => n >= 3,
      );
      await eventually(
        async () => projector.batchesApplied,
        (n) => n >= 1,
      ); // it restarted and committed
      await append(generationEvents('p-crash'));
      await eventually(
        () => count('generations', 'p-crash'),
        (n) => n >= 4,
      );
    } finally {
      await projector.onModuleDestroy();
    }
    expect(crashes).toBeGreaterThan(1);
    expect(await count('generations', 'p-crash')).toBe(4);
    expect(await count('events', 'p-crash')).toBe(8);
  });
});
