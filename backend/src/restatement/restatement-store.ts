import { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso } from '../clickhouse/time';
import { fold, type JobRecord, type RestatementJob } from './restatement-job';
import type { RestatedCostRow } from './restated-rows';

interface LogRow {
  restatement_id: string;
  project_id: string;
  at: string;
  kind: JobRecord['kind'];
  payload: string;
}

/** The latest restated cost of one generation (amounts: decimal strings of nano-USD). */
export interface LatestRestatedCost {
  readonly spanId: string;
  readonly restatementId: string;
  readonly restatedAt: string;
  readonly totalNanoUsd: string;
  readonly inputNanoUsd: string;
  readonly outputNanoUsd: string;
  readonly cachedInputNanoUsd: string;
  readonly cacheWriteNanoUsd: string;
  readonly reasoningNanoUsd: string;
  readonly audioNanoUsd: string;
  readonly imageNanoUsd: string;
  readonly requestFeeNanoUsd: string;
  readonly priceVersion: string;
  readonly flags: readonly string[];
}

const toRecord = (row: LogRow): JobRecord =>
  ({ kind: row.kind, at: chTimeToIso(row.at), data: JSON.parse(row.payload) }) as JobRecord;

function foldRows(rows: readonly LogRow[]): RestatementJob[] {
  const byJob = new Map<string, LogRow[]>();
  for (const row of rows) byJob.set(row.restatement_id, [...(byJob.get(row.restatement_id) ?? []), row]);
  return [...byJob.values()].flatMap((jobRows) => {
    const job = fold(jobRows[0].restatement_id, jobRows[0].project_id, jobRows.map(toRecord));
    return job ? [job] : [];
  });
}

/**
 * Restatement jobs' records and the restated costs, in ClickHouse. Records are appended with a
 * per-process increasing `seq`, so a job's fold reads them in the order they were written.
 */
export class RestatementStore {
  private lastSeq = 0;

  constructor(private readonly ch: ClickHouse) {}

  async append(projectId: string, restatementId: string, record: JobRecord): Promise<void> {
    this.lastSeq = Math.max(this.lastSeq + 1, Date.parse(record.at) * 1000);
    await this.ch.insert('restatement_log', [
      {
        project_id: projectId,
        restatement_id: restatementId,
        seq: this.lastSeq,
        at: record.at,
        kind: record.kind,
        payload: JSON.stringify(record.data),
      },
    ]);
  }

  async job(projectId: string, restatementId: string): Promise<RestatementJob | undefined> {
    const rows = await this.ch.query<LogRow>(
      `SELECT restatement_id, project_id, at, kind, payload FROM restatement_log
       WHERE project_id = {projectId:String} AND restatement_id = {id:String} ORDER BY seq`,
      { projectId, id: restatementId },
    );
    return foldRows(rows)[0];
  }

  /** The project's newest jobs first. */
  async jobs(projectId: string, limit: number): Promise<RestatementJob[]> {
    const rows = await this.ch.query<LogRow>(
      `SELECT restatement_id, project_id, at, kind, payload FROM restatement_log
       WHERE project_id = {projectId:String}
         AND restatement_id IN (
           SELECT restatement_id FROM restatement_log
           WHERE project_id = {projectId:String} AND kind = 'started'
           ORDER BY seq DESC LIMIT {limit:UInt32})
       ORDER BY seq`,
      { projectId, limit },
    );
    return foldRows(rows).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Jobs of every project whose last word is that they run: after a restart, nobody runs them. */
  async unfinished(): Promise<RestatementJob[]> {
    const rows = await this.ch.query<LogRow>(
      `SELECT restatement_id, project_id, at, kind, payload FROM restatement_log
       WHERE (project_id, restatement_id) IN (
         SELECT project_id, restatement_id FROM restatement_log
         GROUP BY project_id, restatement_id
         HAVING argMax(kind, seq) IN ('started', 'progress', 'resumed'))
       ORDER BY seq`,
    );
    return foldRows(rows).filter((job) => job.status === 'running');
  }

  /** One block; the same `dedupToken` again inserts nothing. */
  async insertCosts(rows: readonly RestatedCostRow[], dedupToken: string): Promise<void> {
    await this.ch.insert('restated_costs', rows, dedupToken);
  }

  /** The newest restatement's cost of each of these generations that has one. */
  async latestCosts(projectId: string, spanIds: readonly string[]): Promise<Map<string, LatestRestatedCost>> {
    if (!spanIds.length) return new Map();
    const rows = await this.ch.query<LatestRestatedCost>(
      `SELECT span_id AS spanId,
              argMax(restatement_id, version) AS restatementId,
              argMax(version, version) AS restatedAtMs,
              toString(argMax(total_nano_usd, version)) AS totalNanoUsd,
              toString(argMax(input_nano_usd, version)) AS inputNanoUsd,
              toString(argMax(output_nano_usd, version)) AS outputNanoUsd,
              toString(argMax(cached_input_nano_usd, version)) AS cachedInputNanoUsd,
              toString(argMax(cache_write_nano_usd, version)) AS cacheWriteNanoUsd,
              toString(argMax(reasoning_nano_usd, version)) AS reasoningNanoUsd,
              toString(argMax(audio_nano_usd, version)) AS audioNanoUsd,
              toString(argMax(image_nano_usd, version)) AS imageNanoUsd,
              toString(argMax(request_fee_nano_usd, version)) AS requestFeeNanoUsd,
              argMax(price_version, version) AS priceVersion,
              argMax(flags, version) AS flags
       FROM restated_costs
       WHERE project_id = {projectId:String} AND span_id IN {spanIds:Array(String)}
       GROUP BY span_id`,
      { projectId, spanIds },
    );
    return new Map(
      rows.map((row) => {
        const { restatedAtMs, ...rest } = row as LatestRestatedCost & { restatedAtMs: string };
        return [row.spanId, { ...rest, restatedAt: new Date(Number(restatedAtMs)).toISOString() }];
      }),
    );
  }
}
