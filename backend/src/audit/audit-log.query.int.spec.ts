import { newEventId } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { AuditLogHandler, AuditLogQuery, decodeAuditCursor, type AuditCursor } from './audit-log.query';

describe('audit log paging (chDB)', () => {
  let ch: ClickHouse;
  beforeAll(async () => {
    ({ ch } = await openClickHouse({
      database: 'default',
      dataDir: mkdtempSync(join(tmpdir(), 'sightline-audit-')),
    }));
  });
  afterAll(() => ch.close());

  it('given entries sharing one millisecond, pages of two return each exactly once, newest first', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({
      project_id: 'p-audit',
      occurred_at: i < 4 ? '2026-11-25T10:00:00.123Z' : '2026-11-25T09:00:00.000Z',
      event_id: newEventId(),
      actor_user_id: '',
      actor_via: 'system',
      action: 'api-key.created',
      target: `pk_${i}`,
    }));
    await ch.insert('audit_log', rows);
    const handler = new AuditLogHandler(ch);
    const seen: string[] = [];
    let before: AuditCursor | undefined;
    for (let page = 0; page < 5; page++) {
      const result = await handler.execute(new AuditLogQuery('p-audit', 2, before));
      seen.push(...result.rows.map((r) => r.target));
      if (!result.nextCursor) break;
      before = decodeAuditCursor(result.nextCursor);
    }
    expect(seen.sort()).toEqual(rows.map((r) => r.target).sort());
    expect(seen).toHaveLength(5);
  });

  it('refuses text that is not a cursor', () => {
    expect(decodeAuditCursor('not-a-cursor')).toBeUndefined();
    expect(
      decodeAuditCursor(Buffer.from('["2026-01-01T00:00:00Z","x"]').toString('base64url')),
    ).toBeUndefined();
  });
});
