import type { SightlineEvent } from '@sightline/schemas';
import type { ReadModel } from '../projector/read-model';
import { LLM_EVENTS } from '../projector/sources';

/**
 * `experiment_items` and `experiment_results`: a bulk replay's items and checkpoint, written by the
 * experiment's run (a command), not by the projector. Purged with the project; the replays
 * themselves are ordinary generations and are erased with their traces.
 */
export const experimentsReadModel: ReadModel<SightlineEvent> = {
  name: 'experiments',
  source: LLM_EVENTS,
  tables: ['experiment_items', 'experiment_results'],
  dependsOn: [],
  projection: null,
  // Only ids, counts and costs: nothing of a trace's or an end user's content to erase.
  purge: {
    trace: [],
    'end-user': [],
    project: [
      { table: 'experiment_items', where: '1' },
      { table: 'experiment_results', where: '1' },
    ],
  },
  rebuild: { from: 'nothing', why: 'an experiment run writes it: start the bulk replay again' },
};
