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

/** Newest first; `before` is the previous page's cursor. */
export class AuditLogQuery extends Query<AuditPageRows> {
  constructor(
    readonly projectId: string,
    readonly first: number,
    readonly before: string | undefined,
  ) {
    super();
  }
}

const SELECT = `
  SELECT event_id, occurred_at, actor_user_id, actor_via, action, target FROM audit_log
  WHERE project_id = {projectId:String}
    AND ({before:String} = '' OR occurred_at < {beforeTime:DateTime64(3, 'UTC')})
  ORDER BY occurred_at DESC, event_id DESC
  LIMIT {limit:UInt32}`;

@QueryHandler(AuditLogQuery)
export class AuditLogHandler implements IQueryHandler<AuditLogQuery, AuditPageRows> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ projectId, first, before }: AuditLogQuery): Promise<AuditPageRows> {
    const rows = await this.ch.query<AuditRow>(SELECT, {
      projectId,
      before: before ?? '',
      beforeTime: before ? isoToChTime(before) : '1970-01-01 00:00:00.000',
      limit: first + 1,
    });
    const page = rows.slice(0, first).map((r) => ({ ...r, occurred_at: chTimeToIso(r.occurred_at) }));
    return { rows: page, nextCursor: rows.length > first ? page[page.length - 1].occurred_at : null };
  }
}
