import { Inject, Injectable } from '@nestjs/common';
import { ClickHouse } from '../clickhouse/clickhouse';
import { isoToChTime } from '../clickhouse/time';

/** What a project's completed generations cost on one day, per API key and end user ('' for none). */
export interface SpentRow {
  readonly projectId: string;
  readonly apiKeyId: string;
  readonly endUserId: string;
  /** `YYYY-MM-DD`, UTC, of the calls' start. */
  readonly day: string;
  /** Nano-USD, as a decimal integer string. */
  readonly nano: string;
}

/**
 * Past spend, from the `generations` read model (the cost each generation was priced at when it
 * ended; unpriced ones count nothing). Budgets load it at start and when a project gets its first budget.
 */
@Injectable()
export class SpendHistory {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  /** Spend since `from` of these projects, by project, key, end user and day. */
  async since(projectIds: readonly string[], from: Date): Promise<SpentRow[]> {
    if (!projectIds.length) return [];
    return this.ch.query<SpentRow>(
      `SELECT project_id AS projectId, api_key_id AS apiKeyId, user_id AS endUserId,
              toString(toDate(started_at)) AS day,
              toString(toInt64(sum(cost_usd) * 1000000000)) AS nano
         FROM generations
        WHERE project_id IN {projects:Array(String)}
          AND started_at >= {from:DateTime64(3, 'UTC')}
          AND cost_usd IS NOT NULL
        GROUP BY projectId, apiKeyId, endUserId, day`,
      { projects: projectIds, from: isoToChTime(from.toISOString()) },
    );
  }
}
