/** The replay contract experiments build on: `ReplayService.replay` (see `backend/src/replay/`). */
import type { ReplayOutcome as FullOutcome, ReplayService } from '../replay/replay.service';

export type { ReplayOverrides } from '../replay/replay.service';

/** What a run reads of a replay's outcome. */
export type ReplayOutcome = Omit<FullOutcome, 'masked'>;

/** What a run needs of the replay service (a stand-in in the run's specs). */
export interface Replayer {
  replay(...args: Parameters<ReplayService['replay']>): Promise<ReplayOutcome>;
  checkModelFeatures(...args: Parameters<ReplayService['checkModelFeatures']>): Promise<string>;
}
