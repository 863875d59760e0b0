import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso, isoToChTime } from '../clickhouse/time';
import { parseAuditDetail } from './audit-detail';

export interface AuditRow {
  event_id: string;
  occurred_at: string;
  actor_user_id: string;
  actor_via: string;
  action: string;
  target: string;
  /** JSON of `AuditDetail`; empty for rows projected before it was kept. */
  detail: string;
}

export interface AuditPageRows {
  /** Membership rows carry the member's role before them (null: none). */
  rows: (AuditRow & { previousRole?: string | null })[];
  nextCursor: string | null;
}

/** Entries matching every field given (checked by the caller: prefixes, ISO-8601 times). */
export interface AuditFilter {
  /** Action prefixes: `api-key` or `membership.granted`. */
  readonly actions?: readonly string[];
  readonly actorId?: string;
  /** ISO-8601, inclusive. */
  readonly since?: string;
  /** ISO-8601, exclusive. */
  readonly until?: string;
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
    readonly filter: AuditFilter = {},
  ) {
    super();
  }
}

const SELECT = `
  SELECT event_id, occurred_at, actor_user_id, actor_via, action, target, detail FROM audit_log
  WHERE project_id = {projectId:String}
    AND ({paged:Bool} = false OR (occurred_at, event_id) < ({beforeTime:DateTime64(3, 'UTC')}, {beforeId:UUID}))
    AND (empty({actions:Array(String)}) OR arrayExists(a -> startsWith(action, a), {actions:Array(String)}))
    AND ({actorId:String} = '' OR actor_user_id = {actorId:String})
    AND occurred_at >= {since:DateTime64(3, 'UTC')} AND occurred_at < {until:DateTime64(3, 'UTC')}
  ORDER BY occurred_at DESC, event_id DESC
  LIMIT {limit:UInt32}`;

/** Every membership change of some members, oldest first: what each role was before. */
const MEMBERSHIP_HISTORY = `
  SELECT event_id, target, detail FROM audit_log
  WHERE project_id = {projectId:String} AND startsWith(action, 'membership.') AND target IN {targets:Array(String)}
  ORDER BY occurred_at, event_id`;

const EARLIEST = '1970-01-01 00:00:00.000';
const LATEST = '2299-12-31 23:59:59.999';

@QueryHandler(AuditLogQuery)
export class AuditLogHandler implements IQueryHandler<AuditLogQuery, AuditPageRows> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ projectId, first, before, filter }: AuditLogQuery): Promise<AuditPageRows> {
    const rows = await this.ch.query<AuditRow>(SELECT, {
      projectId,
      paged: before !== undefined,
      beforeTime: before ? isoToChTime(before.occurredAt) : EARLIEST,
      beforeId: before?.eventId ?? '00000000-0000-0000-0000-000000000000',
      actions: filter.actions ?? [],
      actorId: filter.actorId ?? '',
      since: filter.since ? isoToChTime(filter.since) : EARLIEST,
      until: filter.until ? isoToChTime(filter.until) : LATEST,
      limit: first + 1,
    });
    const previous = await this.previousRoles(projectId, rows.slice(0, first));
    const page = rows.slice(0, first).map((r) => ({
      ...r,
      occurred_at: chTimeToIso(r.occurred_at),
      ...(previous.has(r.event_id) ? { previousRole: previous.get(r.event_id) } : {}),
    }));
    const last = page[page.length - 1];
    return {
      rows: page,
      nextCursor:
        rows.length > first
          ? encodeAuditCursor({ occurredAt: last.occurred_at, eventId: last.event_id })
          : null,
    };
  }

  /** Event id → the member's role before that membership event (null: none), for the page's membership rows. */
  private async previousRoles(projectId: string, rows: readonly AuditRow[]) {
    const targets = [...new Set(rows.filter((r) => r.action.startsWith('membership.')).map((r) => r.target))];
    const previous = new Map<string, string | null>();
    if (!targets.length) return previous;
    const history = await this.ch.query<Pick<AuditRow, 'event_id' | 'target' | 'detail'>>(
      MEMBERSHIP_HISTORY,
      {
        projectId,
        targets,
      },
    );
    const current = new Map<string, string | null>();
    for (const row of history) {
      previous.set(row.event_id, current.get(row.target) ?? null);
      current.set(row.target, parseAuditDetail(row.detail).role ?? null);
    }
    return previous;
  }
}
