import { Inject, Injectable } from '@nestjs/common';
import { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso, isoToChTime } from '../clickhouse/time';
import { InvalidInputError } from '../common/errors';
import { decimalUsd } from '../costs/usd-text';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
export const DEFAULT_USAGE_DAYS = 30;
export const MAX_USAGE_DAYS = 400;

/** The GraphQL `ModelUsage`. */
export interface ModelUsageView {
  from: string;
  to: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cost: string;
  lastUsedAt: string | null;
}

/** A usage range in whole minutes (ms since the epoch), `from` < `to`. */
export interface UsageRange {
  readonly from: number;
  readonly to: number;
}

const bad = (param: 'from' | 'to', message: string) =>
  new InvalidInputError(`${param}: ${message}`, 'invalid_argument', param);

/**
 * `usage(from:, to:)`'s range: defaults (to now, from 30 days before), rounded down to the minute.
 * @throws InvalidInputError `invalid_argument` (param `from`/`to`): unreadable, `to` not after `from`, over 400 days
 */
export function usageRange(
  from: string | null | undefined,
  to: string | null | undefined,
  now: number,
): UsageRange {
  const parse = (param: 'from' | 'to', value: string) => {
    const at = Date.parse(value);
    if (Number.isNaN(at)) throw bad(param, 'must be an ISO-8601 date-time');
    return at;
  };
  const floor = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
  const end = floor(to != null ? parse('to', to) : now);
  const start = floor(from != null ? parse('from', from) : end - DEFAULT_USAGE_DAYS * DAY_MS);
  if (end <= start) throw bad('to', 'must be after from (to the minute)');
  if (end - start > MAX_USAGE_DAYS * DAY_MS) throw bad('from', `at most ${MAX_USAGE_DAYS} days`);
  return { from: start, to: end };
}

interface UsageRow {
  model: string;
  requests: string | number;
  input_tokens: string | number;
  output_tokens: string | number;
  cost: string;
  last_used: string;
}

/**
 * Model usage from `generation_rollup_minute`, sorted by (project, bucket, model, ...): a project's
 * range of minutes is one contiguous key range, and one query answers every model asked for.
 */
@Injectable()
export class ModelUsageReader {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async usage(
    projectId: string,
    range: UsageRange,
    models: readonly string[],
  ): Promise<Map<string, ModelUsageView>> {
    const rows = await this.ch.query<UsageRow>(
      `SELECT model, sum(requests) AS requests, sum(input_tokens) AS input_tokens,
              sum(output_tokens) AS output_tokens, toString(sum(cost)) AS cost, toString(max(bucket)) AS last_used
       FROM generation_rollup_minute
       WHERE project_id = {projectId:String}
         AND bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')}
         AND model IN {models:Array(String)}
       GROUP BY model`,
      {
        projectId,
        from: isoToChTime(new Date(range.from).toISOString()).slice(0, 19),
        to: isoToChTime(new Date(range.to).toISOString()).slice(0, 19),
        models,
      },
    );
    const base = { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
    const found = new Map(rows.map((r) => [r.model, r]));
    return new Map(
      models.map((model) => {
        const r = found.get(model);
        return [
          model,
          r
            ? {
                ...base,
                requests: Number(r.requests),
                inputTokens: Number(r.input_tokens),
                outputTokens: Number(r.output_tokens),
                cost: decimalUsd(r.cost),
                lastUsedAt: new Date(chTimeToIso(r.last_used)).toISOString(),
              }
            : {
                ...base,
                requests: 0,
                inputTokens: 0,
                outputTokens: 0,
                cost: decimalUsd('0'),
                lastUsedAt: null,
              },
        ];
      }),
    );
  }
}
