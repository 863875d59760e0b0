import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso, isoToChTime } from '../clickhouse/time';

export interface AuditRow {
  event_id: string;
  occurred_at: string;
  actor_user_id: string;
  actor_via: string;
  action: string;
  target: string;
}

export interface AuditPageRows {
  rows: (AuditRow & { occurred_at: string })[];
  nextCursor: string | null;
}

/** Where a page ends: time and event id, so entries sharing a millisecond are not skipped. */
export interface AuditCursor {
  readonly occurredAt: string;
  readonly eventId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(JSON.stringify([cursor.occurredAt, cursor.eventId])).toString('base64url');
}

/** The cursor, or undefined when the text is not one this API returned. */
export function decodeAuditCursor(text: string): AuditCursor | undefined {
  try {
    const [occurredAt, eventId] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof occurredAt === 'string' &&
      !Number.isNaN(Date.parse(occurredAt)) &&
      typeof eventId === 'string' &&
      UUID.test(eventId)
    ) {
      return { occurredAt, eventId };
    }
  } catch {
    // not a cursor
  }
  return undefined;
}

/** Newest first; `before` is where the previous page ended. */
export class AuditLogQuery extends Query<AuditPageRows> {
  constructor(
    readonly projectId: string,
    readonly first: number,
    readonly before: AuditCursor | undefined,
  ) {
    super();
  }
}

const SELECT = `
  SELECT event_id, occurred_at, actor_user_id, actor_via, action, target FROM audit_log
  WHERE project_id = {projectId:String}
    AND ({paged:Bool} = false OR (occurred_at, event_id) < ({beforeTime:DateTime64(3, 'UTC')}, {beforeId:UUID}))
  ORDER BY occurred_at DESC, event_id DESC
  LIMIT {limit:UInt32}`;

@QueryHandler(AuditLogQuery)
export class AuditLogHandler implements IQueryHandler<AuditLogQuery, AuditPageRows> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ projectId, first, before }: AuditLogQuery): Promise<AuditPageRows> {
    const rows = await this.ch.query<AuditRow>(SELECT, {
      projectId,
      paged: before !== undefined,
      beforeTime: before ? isoToChTime(before.occurredAt) : '1970-01-01 00:00:00.000',
      beforeId: before?.eventId ?? '00000000-0000-0000-0000-000000000000',
      limit: first + 1,
    });
    const page = rows.slice(0, first).map((r) => ({ ...r, occurred_at: chTimeToIso(r.occurred_at) }));
    const last = page[page.length - 1];
    return {
      rows: page,
      nextCursor:
        rows.length > first
          ? encodeAuditCursor({ occurredAt: last.occurred_at, eventId: last.event_id })
          : null,
    };
  }
}
