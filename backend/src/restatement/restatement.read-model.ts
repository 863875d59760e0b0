import type { SightlineEvent } from '@sightline/schemas';
import type { ReadModel } from '../projector/read-model';
import { LLM_EVENTS } from '../projector/sources';

/**
 * `restated_costs` and `restatement_log`: written by restatement jobs (a command re-reading the
 * LLM events), not by the projector. Purged like the generations they price.
 */
export const restatementReadModel: ReadModel<SightlineEvent> = {
  name: 'restatements',
  source: LLM_EVENTS,
  tables: ['restated_costs', 'restatement_log'],
  dependsOn: [],
  projection: null,
  purge: {
    trace: [{ table: 'restated_costs', where: 'trace_id = {target:String}' }],
    'end-user': [{ table: 'restated_costs', where: 'user_id = {target:String}' }],
    project: [
      { table: 'restated_costs', where: '1' },
      { table: 'restatement_log', where: '1' },
    ],
  },
  rebuild: { from: 'nothing', why: 'a restatement job writes it: run one again (npm run restate)' },
};
