import { Inject, Injectable } from '@nestjs/common';
import { ClickHouse } from '../clickhouse/clickhouse';
import { toGenerationView, type GenerationView, type ListedGeneration } from '../generations/generation.view';
import { ENDED } from '../generations/list-generations.query';
import { GenerationNotFoundError } from '../playground/recorded-requests';

/** Replays of one generation a page shows at most. */
export const MAX_REPLAYS = 50;

/** Ended generations read for the replay diff: one by id, and the replays of one. */
@Injectable()
export class ReplayReads {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  /** @throws GenerationNotFoundError when the project has no ended generation with that id. */
  async generation(projectId: string, id: string): Promise<GenerationView> {
    const [row] = await this.ch.query<ListedGeneration>(
      `${ENDED} WHERE project_id = {projectId:String} AND span_id = {id:String} LIMIT 1`,
      { projectId, id },
    );
    if (!row) throw new GenerationNotFoundError();
    return toGenerationView(row);
  }

  /** The replays of generation `id`, newest first. */
  async replaysOf(projectId: string, id: string): Promise<GenerationView[]> {
    const rows = await this.ch.query<ListedGeneration>(
      `${ENDED} WHERE project_id = {projectId:String} AND replay_of = {id:String}
       ORDER BY started_at DESC, span_id DESC LIMIT {limit:UInt32}`,
      { projectId, id, limit: MAX_REPLAYS },
    );
    return rows.map(toGenerationView);
  }
}
