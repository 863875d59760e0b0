import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toArchiveRow } from '../archive/archive.projection';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import type { Clock } from '../common/clock';
import { generationEvents } from '../../test/support/events';
import { generationRows, requestsBySpan } from './pair-generations';
import { ListGenerationsHandler, ListGenerationsQuery } from './list-generations.query';

describe('listing generations whose end never arrived (chDB)', () => {
  let ch: ClickHouse;
  const now = new Date('2026-11-30T12:00:00.000Z');
  const clock = { now: () => now } as Clock;
  const handler = () => new ListGenerationsHandler(ch, clock, { interruptedAfterMs: 60_000 });

  beforeAll(async () => {
    ({ ch } = await openClickHouse({ database: 'default', dataDir: mkdtempSync(join(tmpdir(), 'sl-int-')) }));
  });
  afterAll(() => ch.close());

  it('given a request with no end older than the bound, lists it INTERRUPTED; a younger one not yet; an ended one once', async () => {
    const p = 'p-interrupted';
    const old = generationEvents(p, { startedAt: new Date(now.getTime() - 120_000), model: 'lost-1' });
    const young = generationEvents(p, { startedAt: new Date(now.getTime() - 10_000) });
    const ended = generationEvents(p, { startedAt: new Date(now.getTime() - 300_000) });
    await ch.insert('events', [old[0], young[0], ...ended].map(toArchiveRow), 'int-events');
    await ch.insert('generations', generationRows(ended, requestsBySpan(ended)), 'int-generations');

    const page = await handler().execute(new ListGenerationsQuery(p, 10, undefined));
    expect(page.edges.map((e) => [e.node.spanId, e.node.status])).toEqual([
      [old[0].spanId, 'INTERRUPTED'],
      [ended[0].spanId, 'COMPLETED'],
    ]);
    expect(page.edges[0].node).toMatchObject({
      model: 'lost-1',
      endedAt: null,
      latencyMs: null,
      input: JSON.stringify([{ role: 'user', content: 'hello' }]),
    });

    // Its end arrives late: the row becomes the completed one, never both.
    await ch.insert('generations', generationRows(old, requestsBySpan(old)), 'int-late');
    const after = await handler().execute(new ListGenerationsQuery(p, 10, undefined));
    expect(after.edges.map((e) => e.node.status)).toEqual(['COMPLETED', 'COMPLETED']);
  });
});
