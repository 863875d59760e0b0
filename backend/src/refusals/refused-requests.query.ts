import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso, isoToChTime } from '../clickhouse/time';

/** A project's refusals whose counting window ended in [since, until), ISO-8601 times. */
export interface RefusalRange {
  readonly projectId: string;
  readonly since: string;
  readonly until: string;
}

export interface RefusalTotal {
  readonly value: string | null;
  readonly count: number;
}

export interface RefusalGroup {
  readonly endpoint: string;
  readonly status: number;
  readonly code: string;
  readonly model: string | null;
  readonly apiKeyId: string | null;
  readonly count: number;
  readonly firstAt: string;
  readonly lastAt: string;
}

/** Totals by code (every code), endpoint or model (the top 50), most first. */
export class RefusalTotalsQuery extends Query<RefusalTotal[]> {
  constructor(
    readonly range: RefusalRange,
    readonly by: 'code' | 'endpoint' | 'model',
  ) {
    super();
  }
}

/** The `first` kinds (endpoint, status, code, model, key) refused most recently. */
export class RecentRefusalsQuery extends Query<RefusalGroup[]> {
  constructor(
    readonly range: RefusalRange,
    readonly first: number,
  ) {
    super();
  }
}

const RANGE = `project_id = {projectId:String}
  AND last_at >= {since:DateTime64(3, 'UTC')} AND last_at < {until:DateTime64(3, 'UTC')}`;

/** `by` is one of the fixed column names, never input. Codes are a fixed set: all of them. */
const totalsBy = (by: RefusalTotalsQuery['by']) => `
  SELECT toString(${by}) AS value, sum(count) AS count FROM gateway_refusals
  WHERE ${RANGE}
  GROUP BY value ORDER BY count DESC, value${by === 'code' ? '' : ' LIMIT 50'}`;

const RECENT = `
  SELECT toString(endpoint) AS endpoint, status, toString(code) AS code, model, api_key_id,
         sum(count) AS count, min(first_at) AS first, max(last_at) AS last
  FROM gateway_refusals
  WHERE ${RANGE}
  GROUP BY endpoint, status, code, model, api_key_id
  ORDER BY last DESC, count DESC
  LIMIT {limit:UInt32}`;

const params = ({ projectId, since, until }: RefusalRange) => ({
  projectId,
  since: isoToChTime(since),
  until: isoToChTime(until),
});

@QueryHandler(RefusalTotalsQuery)
export class RefusalTotalsHandler implements IQueryHandler<RefusalTotalsQuery, RefusalTotal[]> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ range, by }: RefusalTotalsQuery): Promise<RefusalTotal[]> {
    const rows = await this.ch.query<{ value: string; count: string }>(totalsBy(by), params(range));
    return rows.map((r) => ({ value: r.value || null, count: Number(r.count) }));
  }
}

interface GroupRow {
  endpoint: string;
  status: number;
  code: string;
  model: string;
  api_key_id: string;
  count: string;
  first: string;
  last: string;
}

@QueryHandler(RecentRefusalsQuery)
export class RecentRefusalsHandler implements IQueryHandler<RecentRefusalsQuery, RefusalGroup[]> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ range, first }: RecentRefusalsQuery): Promise<RefusalGroup[]> {
    const rows = await this.ch.query<GroupRow>(RECENT, { ...params(range), limit: first });
    return rows.map((r) => ({
      endpoint: r.endpoint,
      status: Number(r.status),
      code: r.code,
      model: r.model || null,
      apiKeyId: r.api_key_id || null,
      count: Number(r.count),
      firstAt: chTimeToIso(r.first),
      lastAt: chTimeToIso(r.last),
    }));
  }
}
