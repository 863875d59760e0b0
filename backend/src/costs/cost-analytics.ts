import { Inject, Injectable } from '@nestjs/common';
import { ClickHouse } from '../clickhouse/clickhouse';
import { isoToChTime } from '../clickhouse/time';
import { InvalidInputError } from '../common/errors';
import { decimalUsd } from './usd-text';

export type CostDimension = 'MODEL' | 'PROVIDER' | 'API_KEY' | 'USER' | 'TAG' | 'DAY';

export interface CostGroup {
  readonly key: string;
  /** Exact decimal USD. */
  readonly cost: string;
  readonly generations: number;
  readonly unpriced: number;
  readonly estimated: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** The group key of each dimension: fixed SQL, never caller text. Tags: one row per tag. */
const KEYS: Readonly<Record<CostDimension, { readonly key: string; readonly join?: string }>> = {
  MODEL: { key: "if(served_model = '', toString(model), served_model)" },
  PROVIDER: { key: 'toString(provider)' },
  API_KEY: { key: 'api_key_id' },
  USER: { key: 'user_id' },
  TAG: { key: 'tag', join: 'ARRAY JOIN tags AS tag' },
  DAY: { key: 'toString(toDate(started_at))' },
};

const MAX_GROUPS = 1000;
/** Longest range one query may cover. */
const MAX_RANGE_MS = 400 * 86_400_000;

function sql(by: CostDimension): string {
  const { key, join = '' } = KEYS[by];
  return `
    SELECT ${key} AS key,
           toString(sum(ifNull(cost_usd, 0))) AS cost,
           count() AS generations,
           countIf(has(cost_flags, 'unpriced')) AS unpriced,
           countIf(has(cost_flags, 'estimated_usage')) AS estimated,
           sum(input_tokens) AS input_tokens,
           sum(output_tokens) AS output_tokens
    FROM generations ${join}
    WHERE project_id = {projectId:String}
      AND started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
    GROUP BY key
    ORDER BY sum(ifNull(cost_usd, 0)) DESC, key
    LIMIT {limit:UInt32}`;
}

interface Row {
  key: string;
  cost: string;
  generations: string | number;
  unpriced: string | number;
  estimated: string | number;
  input_tokens: string | number;
  output_tokens: string | number;
}

/** Spend of a project grouped by model, provider, API key, end user, tag or day (the generations read model). */
@Injectable()
export class CostAnalytics {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  /**
   * Groups of generations started in `[from, to)`, most expensive first, at most 1000.
   * @throws InvalidInputError `invalid_range` for unreadable times, an empty or over-400-day range
   */
  async groups(projectId: string, by: CostDimension, from: string, to: string): Promise<CostGroup[]> {
    const start = Date.parse(from);
    const end = Date.parse(to);
    if (Number.isNaN(start) || Number.isNaN(end) || end <= start || end - start > MAX_RANGE_MS)
      throw new InvalidInputError(
        '`from` and `to` must be ISO-8601 times, `to` after `from`, at most 400 days apart',
        'invalid_range',
        Number.isNaN(start) ? 'from' : 'to',
      );
    const rows = await this.ch.query<Row>(sql(by), {
      projectId,
      from: isoToChTime(new Date(start).toISOString()),
      to: isoToChTime(new Date(end).toISOString()),
      limit: MAX_GROUPS,
    });
    return rows.map((row) => ({
      key: row.key,
      cost: decimalUsd(row.cost),
      generations: Number(row.generations),
      unpriced: Number(row.unpriced),
      estimated: Number(row.estimated),
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
    }));
  }
}
