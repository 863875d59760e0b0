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

  it('pages through generations of several traces that share a span id and tie on the sort value, each once', async () => {
    const p = 'p-shared-span-id';
    const startedAt = new Date(now.getTime() - 300_000);
    // Ingest lets every trace name its call "llm": the span id is unique only within its trace.
    const traces = ['t-a', 't-b', 't-c'].map((traceId) =>
      generationEvents(p, { startedAt }).map((e) => ({ ...e, traceId, spanId: 'llm' })),
    );
    const lost = generationEvents(p, { startedAt }).map((e) => ({ ...e, traceId: 't-d', spanId: 'llm' }));
    await ch.insert('events', [...traces.flat(), lost[0]].map(toArchiveRow), 'int-shared-events');
    const rows = traces.flatMap((events) => generationRows(events, requestsBySpan(events)));
    await ch.insert('generations', rows, 'int-shared-generations');

    for (const field of [
      'STARTED_AT',
      'TOTAL_TOKENS',
      'COST',
      'LATENCY_MS',
      'TIME_TO_FIRST_TOKEN_MS',
    ] as const)
      for (const direction of ['DESC', 'ASC'] as const) {
        const seen: string[] = [];
        let after: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await handler().execute(
            new ListGenerationsQuery(p, 1, after, {}, { field, direction }),
          );
          seen.push(...page.edges.map((e) => `${e.node.traceId}/${e.node.spanId}`));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor ?? undefined;
        }
        expect([field, direction, [...seen].sort()]).toEqual([
          field,
          direction,
          ['t-a/llm', 't-b/llm', 't-c/llm', 't-d/llm'],
        ]);
      }
  });
});
