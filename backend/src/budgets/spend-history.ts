import { Inject, Injectable } from '@nestjs/common';
import { ClickHouse } from '../clickhouse/clickhouse';
import { isoToChTime } from '../clickhouse/time';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { EventLog } from '../eventlog/event-log';
import { LLM_EVENTS, projectorGroup } from '../projector/sources';

/** How long a first budget's load waits for the projector to write the calls that just ended. */
const CATCH_UP_MS = 5_000;
const POLL_MS = 25;

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
 * ended; unpriced ones count nothing). Budgets load it at start and when a project gets its first budget
 * (then after {@link SpendHistory.projected}, so calls that just ended count too).
 */
@Injectable()
export class SpendHistory {
  constructor(
    @Inject(ClickHouse) private readonly ch: ClickHouse,
    @Inject(EventLog) private readonly log: EventLog,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Waits until the projector has committed every LLM event appended before this call, so that
   * {@link since} also counts calls that ended a moment ago (their rows are written before the
   * projector commits). Gives up after `maxWaitMs` (a projector far behind or not running): false.
   */
  async projected(maxWaitMs = CATCH_UP_MS): Promise<boolean> {
    const group = projectorGroup(LLM_EVENTS, this.config.projectorGroupSuffix);
    const ends = await this.log.endOffsets(LLM_EVENTS.topic);
    const deadline = this.clock.monotonicMs() + maxWaitMs;
    const never = new AbortController().signal;
    for (;;) {
      const committed = await this.log.committedOffsets(group, LLM_EVENTS.topic);
      if (ends.every((end, p) => (committed[p] ?? 0) >= end)) return true;
      if (this.clock.monotonicMs() >= deadline) return false;
      await this.clock.sleep(POLL_MS, never);
    }
  }

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
