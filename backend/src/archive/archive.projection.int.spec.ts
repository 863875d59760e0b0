import type { SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { generationEvents } from '../../test/support/events';
import { ArchiveProjection } from './archive.projection';

const P = 'p-archive-data';

describe('archiving events (chDB)', () => {
  let ch: ClickHouse;

  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sl-arch-')),
    }));
  });
  afterAll(() => ch.close());

  it("stores each event's data as the JSON text JSON.stringify gives it, escapes and numbers included; a replayed batch adds nothing", async () => {
    // given: a request whose messages hold quotes, backslashes, newlines, non-ASCII text and U+2028,
    // and whose params hold numbers JSON writes in odd ways
    const [request, completed] = generationEvents(P);
    const tricky = {
      ...request,
      data: {
        ...(request.data as object),
        messages: [{ role: 'user', content: 'say "hi" \\ then\nnewline é 😀 \u2028 <>&' }],
        params: { temperature: 0.1, top_p: 1e21, seed: -0 },
      },
    } as unknown as SightlineEvent;
    const events = [tricky, completed];
    const projection = new ArchiveProjection(ch);

    // when: the batch is archived, then the same batch again (a redelivery)
    await projection.apply({ events, dedupToken: 'archive-data:0-1' });
    await projection.apply({ events, dedupToken: 'archive-data:0-1' });

    // then: one row per event, holding exactly the data's JSON text
    const rows = await ch.query<{ event_id: string; data: string }>(
      'SELECT toString(event_id) AS event_id, data FROM events WHERE project_id = {p:String}',
      { p: P },
    );
    expect(rows).toHaveLength(2);
    for (const event of events) {
      expect(rows.find((r) => r.event_id === event.eventId)?.data).toBe(JSON.stringify(event.data));
    }
  });
});
