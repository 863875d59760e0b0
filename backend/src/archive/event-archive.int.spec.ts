import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { isoToChTime } from '../clickhouse/time';
import { generationEvents } from '../../test/support/events';
import { EventArchive, REQUESTS_OF_SPANS } from './event-archive';

const P = 'p-span-index';
const ROWS = 200_000; // one part of ~300 granules of 256 KiB (migration 0042)

describe('reading a recorded request by span id (chDB)', () => {
  let ch: ClickHouse;

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-span-')),
    }));
    // given: one project's archive of many requests, each in its own trace (random trace ids spread
    // span ids over every granule of the project, as the gateway's traffic does)
    const [request] = generationEvents(P);
    await ch.command(
      `INSERT INTO events (project_id, trace_id, span_id, event_id, type, version, source, occurred_at, data)
       SELECT {p:String}, hex(MD5(toString(number))), concat('span-', toString(number)), generateUUIDv4(),
         'generation.requested', {version:UInt16}, 'gateway', {at:DateTime64(3, 'UTC')}, {data:String}
       FROM numbers({rows:UInt32})`,
      {
        p: P,
        version: request.version,
        at: isoToChTime(request.occurredAt),
        data: JSON.stringify(request.data),
        rows: ROWS,
      },
    );
    await ch.command('OPTIMIZE TABLE events FINAL');
  });
  afterAll(() => ch.close());

  it('when one request is read by its span id, then the span_id bloom filter skips all but a few granules', async () => {
    const explain = await ch.query<{ explain: string }>(`EXPLAIN indexes = 1 ${REQUESTS_OF_SPANS}`, {
      projects: [P],
      spanIds: ['span-123456'],
    });

    // then: the primary key keeps every granule of the project (trace_id comes before span_id) and the
    // skip index keeps a few of them (one holds the span; each other one's bloom filter is wrong in 1%)
    const plan = explain.map((r) => r.explain).join('\n');
    const skip = /Name: span_id_bloom[\s\S]*?Granules: (\d+)\/(\d+)/.exec(plan);
    expect(skip).not.toBeNull();
    const [kept, total] = [Number(skip![1]), Number(skip![2])];
    expect(total).toBeGreaterThanOrEqual(20);
    expect(kept).toBeLessThanOrEqual(1 + Math.ceil(total * 0.03));
  });

  it('answers the request of that span, and nothing for a span id it has not recorded', async () => {
    const [request] = await new EventArchive(ch).findRequests([{ projectId: P, spanId: 'span-123456' }]);
    expect(request).toMatchObject({ projectId: P, spanId: 'span-123456', type: 'generation.requested' });
    expect(await new EventArchive(ch).findRequests([{ projectId: P, spanId: 'span-none' }])).toEqual([]);
  });
});
