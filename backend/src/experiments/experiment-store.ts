import type { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso } from '../clickhouse/time';
import type { CompiledFilter } from '../analytics/filter-sql';
import type { ItemResult, RunItem } from './experiment-run';

/** A matched generation with what its estimate needs. */
export interface MatchedGeneration {
  readonly generationId: string;
  readonly outputTokens: number;
}

/** Per configuration: replays recorded so far (completed + failed) and their spend. */
export interface ResultCounts {
  readonly configurationId: string;
  readonly done: number;
  readonly failed: number;
  readonly spentNanoUsd: bigint;
  /** Completed replays without a price (no cost), left out of `spentNanoUsd`. */
  readonly unpriced: number;
}

/** One side of the comparison (`configurationId` '' for the originals), from the generations table. */
export interface GroupMetrics {
  readonly configurationId: string;
  readonly requests: number;
  readonly errors: number;
  /** USD, exact decimal string, of the generations with a price; null when none has one. */
  readonly costUsd: string | null;
  /** Generations with no price in force (flagged `unpriced`): not in `costUsd`. */
  readonly unpriced: number;
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  readonly ttftP50Ms: number | null;
}

/** An original output beside its replay's under one configuration. */
export interface OutputPair {
  readonly configurationId: string;
  readonly generationId: string;
  readonly replayGenerationId: string;
  readonly original: string;
  readonly replay: string;
}

const ONE_PER_ITEM = 'LIMIT 1 BY configuration_id, generation_id';
const KEY = 'project_id = {p:String} AND experiment_id = {e:String}';

/**
 * An experiment's rows in ClickHouse: its items (fixed at start) and its results (the run's
 * checkpoint), and the reads the comparison makes of the generations table. Every value is bound.
 */
export class ExperimentStore {
  constructor(private readonly ch: ClickHouse) {}

  /**
   * The project's generations `filter` selects, sampled: `rateMillionths` of them by a hash of
   * experiment and id, or the first `count` in that hash order. At most `limit`. With
   * `originalsOnly`, generations that are themselves replays (`replay_of` set) are left out.
   */
  async matches(
    experimentId: string,
    filter: CompiledFilter,
    sample: { readonly rateMillionths: number; readonly count: number | null },
    limit: number,
    originalsOnly: boolean,
  ): Promise<MatchedGeneration[]> {
    const rows = await this.ch.query<{ generationId: string; outputTokens: number }>(
      `SELECT span_id AS generationId, any(output_tokens) AS outputTokens
       FROM generations
       WHERE ${filter.where}
         AND (NOT {xOriginalsOnly:Bool} OR replay_of = '')
         AND cityHash64({xExperiment:String}, span_id) % 1000000 < {xRate:UInt32}
       GROUP BY span_id
       ORDER BY cityHash64({xExperiment:String}, span_id)
       LIMIT {xLimit:UInt32}`,
      {
        ...filter.params,
        xExperiment: experimentId,
        xOriginalsOnly: originalsOnly,
        xRate: sample.rateMillionths,
        xLimit: Math.min(limit, sample.count ?? limit),
      },
    );
    return rows.map((r) => ({ generationId: r.generationId, outputTokens: Number(r.outputTokens) }));
  }

  /** Once per experiment: the same block again inserts nothing. */
  async insertItems(projectId: string, experimentId: string, items: readonly RunItem[]): Promise<void> {
    const rows = items.map((item, ord) => ({
      project_id: projectId,
      experiment_id: experimentId,
      configuration_id: item.configurationId,
      ord,
      generation_id: item.generationId,
      estimate_nano_usd: item.estimateNanoUsd.toString(),
    }));
    await this.ch.insert('experiment_items', rows, `experiment-items:${projectId}:${experimentId}`);
  }

  /** The items without a result, in their order. */
  async pending(projectId: string, experimentId: string): Promise<RunItem[]> {
    const rows = await this.ch.query<{ c: string; g: string; est: string }>(
      `SELECT configuration_id AS c, generation_id AS g, toString(estimate_nano_usd) AS est
       FROM experiment_items
       WHERE ${KEY}
         AND (configuration_id, generation_id) NOT IN (
           SELECT configuration_id, generation_id FROM experiment_results WHERE ${KEY})
       ORDER BY ord
       LIMIT 1 BY configuration_id, ord`,
      { p: projectId, e: experimentId },
    );
    return rows.map((r) => ({ configurationId: r.c, generationId: r.g, estimateNanoUsd: BigInt(r.est) }));
  }

  /** The checkpoint: these items are never replayed again. */
  async insertResults(
    projectId: string,
    experimentId: string,
    results: readonly ItemResult[],
  ): Promise<void> {
    await this.ch.insert(
      'experiment_results',
      results.map((r) => ({
        project_id: projectId,
        experiment_id: experimentId,
        configuration_id: r.configurationId,
        generation_id: r.generationId,
        replay_generation_id: r.replayGenerationId,
        status: r.status,
        cost_nano_usd: r.costNanoUsd === null ? null : r.costNanoUsd.toString(),
        latency_ms: r.latencyMs,
        error_code: r.errorCode,
        recorded_at: r.recordedAt,
      })),
    );
  }

  async counts(projectId: string, experimentId: string): Promise<ResultCounts[]> {
    const rows = await this.ch.query<{
      c: string;
      done: string;
      failed: string;
      spent: string;
      unpriced: string;
    }>(
      `SELECT configuration_id AS c, count() AS done, countIf(status = 'failed') AS failed,
              toString(sum(ifNull(cost_nano_usd, 0))) AS spent,
              countIf(status != 'failed' AND cost_nano_usd IS NULL) AS unpriced
       FROM (SELECT * FROM experiment_results WHERE ${KEY} ORDER BY recorded_at DESC ${ONE_PER_ITEM})
       GROUP BY configuration_id`,
      { p: projectId, e: experimentId },
    );
    return rows.map((r) => ({
      configurationId: r.c,
      done: Number(r.done),
      failed: Number(r.failed),
      spentNanoUsd: BigInt(r.spent),
      unpriced: Number(r.unpriced),
    }));
  }

  /**
   * Requests, errors, cost, latency and TTFT quantiles of the originals that were replayed
   * (configuration '') and of each configuration's replays, as the generations table has them.
   */
  async metrics(projectId: string, experimentId: string): Promise<GroupMetrics[]> {
    const rows = await this.ch.query<Record<string, string | number | null>>(
      `WITH results AS (
         SELECT configuration_id, generation_id, replay_generation_id, status FROM experiment_results
         WHERE ${KEY} ORDER BY recorded_at DESC ${ONE_PER_ITEM}),
       sides AS (
         SELECT configuration_id AS side, replay_generation_id AS id FROM results WHERE replay_generation_id != ''
         UNION ALL SELECT DISTINCT '' AS side, generation_id AS id FROM results)
       SELECT s.side AS configurationId,
              count() AS requests,
              countIf(g.status = 'failed') AS errors,
              countIf(has(g.cost_flags, 'unpriced')) AS unpriced,
              if(countIf(g.cost_usd IS NOT NULL) = unpriced, NULL,
                 toString(sumIf(ifNull(g.cost_usd, 0), NOT has(g.cost_flags, 'unpriced')))) AS costUsd,
              quantileExact(0.5)(g.latency_ms) AS latencyP50Ms,
              quantileExact(0.95)(g.latency_ms) AS latencyP95Ms,
              if(countIf(g.ttft_ms IS NOT NULL) = 0, NULL, quantileExact(0.5)(assumeNotNull(g.ttft_ms))) AS ttftP50Ms
       FROM sides AS s
       INNER JOIN (
         SELECT span_id, status, cost_usd, cost_flags, latency_ms, ttft_ms FROM generations
         WHERE project_id = {p:String} AND span_id IN (SELECT id FROM sides)
         LIMIT 1 BY span_id) AS g ON g.span_id = s.id
       GROUP BY s.side
       ORDER BY s.side`,
      { p: projectId, e: experimentId },
    );
    // Replays refused before anything was recorded (budget_exceeded, provider_not_configured...) have
    // no generation, yet were requests that failed: without them a run refused throughout reads as
    // "no data" instead of 100 % errors.
    const refusedRows = await this.ch.query<{ c: string; n: string }>(
      `SELECT configuration_id AS c, count() AS n FROM (
         SELECT configuration_id, replay_generation_id, status FROM experiment_results
         WHERE ${KEY} ORDER BY recorded_at DESC ${ONE_PER_ITEM})
       WHERE replay_generation_id = '' AND status = 'failed'
       GROUP BY configuration_id`,
      { p: projectId, e: experimentId },
    );
    const refused = new Map(refusedRows.map((r) => [String(r.c), Number(r.n)]));
    const measured = rows.map((r) => ({
      configurationId: String(r.configurationId),
      requests: Number(r.requests) + (refused.get(String(r.configurationId)) ?? 0),
      errors: Number(r.errors) + (refused.get(String(r.configurationId)) ?? 0),
      costUsd: r.costUsd === null ? null : String(r.costUsd),
      unpriced: Number(r.unpriced),
      latencyP50Ms: r.requests ? Number(r.latencyP50Ms) : null,
      latencyP95Ms: r.requests ? Number(r.latencyP95Ms) : null,
      ttftP50Ms: r.ttftP50Ms === null ? null : Number(r.ttftP50Ms),
    }));
    const onlyRefused = [...refused]
      .filter(([c]) => !measured.some((m) => m.configurationId === c))
      .map(([configurationId, n]) => ({
        configurationId,
        requests: n,
        errors: n,
        costUsd: null,
        unpriced: 0,
        latencyP50Ms: null,
        latencyP95Ms: null,
        ttftP50Ms: null,
      }));
    return [...measured, ...onlyRefused].sort((a, b) => a.configurationId.localeCompare(b.configurationId));
  }

  /** Replays the run recorded that the generations table does not hold yet (still being projected). */
  async unprojected(projectId: string, experimentId: string): Promise<number> {
    const rows = await this.ch.query<{ n: string }>(
      `SELECT count() AS n FROM (
         SELECT DISTINCT replay_generation_id AS id FROM experiment_results
         WHERE ${KEY} AND replay_generation_id != '')
       WHERE id NOT IN (
         SELECT span_id FROM generations
         WHERE project_id = {p:String}
           AND span_id IN (SELECT replay_generation_id FROM experiment_results WHERE ${KEY}))`,
      { p: projectId, e: experimentId },
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** The newest results first. */
  async results(projectId: string, experimentId: string, limit: number): Promise<ItemResult[]> {
    const rows = await this.ch.query<Record<string, string | number | null>>(
      `SELECT configuration_id, generation_id, replay_generation_id, toString(status) AS status,
              toString(cost_nano_usd) AS cost, latency_ms, error_code, recorded_at
       FROM experiment_results WHERE ${KEY}
       ORDER BY recorded_at DESC ${ONE_PER_ITEM} LIMIT {limit:UInt32}`,
      { p: projectId, e: experimentId, limit },
    );
    return rows.map((r) => ({
      configurationId: String(r.configuration_id),
      generationId: String(r.generation_id),
      replayGenerationId: String(r.replay_generation_id),
      status: r.status === 'failed' ? 'failed' : 'completed',
      costNanoUsd: r.cost === null ? null : BigInt(r.cost),
      latencyMs: r.latency_ms === null ? null : Number(r.latency_ms),
      errorCode: String(r.error_code),
      recordedAt: chTimeToIso(String(r.recorded_at)),
    }));
  }

  /** Completed replays beside their originals' outputs (both recorded), for the similarity. */
  async outputs(projectId: string, experimentId: string, limit: number): Promise<OutputPair[]> {
    return this.ch.query<OutputPair>(
      `WITH results AS (
         SELECT configuration_id, generation_id, replay_generation_id FROM experiment_results
         WHERE ${KEY} AND status = 'completed' ORDER BY recorded_at DESC ${ONE_PER_ITEM} LIMIT {limit:UInt32}),
       outputs AS (
         SELECT span_id, ifNull(output, '') AS output FROM generations
         WHERE project_id = {p:String}
           AND (span_id IN (SELECT generation_id FROM results) OR span_id IN (SELECT replay_generation_id FROM results))
         LIMIT 1 BY span_id)
       SELECT r.configuration_id AS configurationId, r.generation_id AS generationId,
              r.replay_generation_id AS replayGenerationId, o.output AS original, x.output AS replay
       FROM results AS r
       INNER JOIN outputs AS o ON o.span_id = r.generation_id
       INNER JOIN outputs AS x ON x.span_id = r.replay_generation_id
       ORDER BY r.configuration_id, r.generation_id`,
      { p: projectId, e: experimentId, limit },
    );
  }
}
