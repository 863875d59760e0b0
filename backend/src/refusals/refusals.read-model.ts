import type { SightlineEvent } from '@sightline/schemas';
import type { ReadModel } from '../projector/read-model';
import { LLM_EVENTS } from '../projector/sources';
import { RefusalsProjection } from './refusals.projection';

/** `gateway_refusals`: counts of the requests the gateway refused, per project. */
export const refusalsReadModel: ReadModel<SightlineEvent> = {
  name: 'refusals',
  source: LLM_EVENTS,
  tables: ['gateway_refusals'],
  dependsOn: [],
  projection: (ch) => new RefusalsProjection(ch),
  // Counts and codes, no trace or end-user data: only a project's deletion removes them.
  purge: { trace: [], 'end-user': [], project: [{ table: 'gateway_refusals', where: '1' }] },
  rebuild: { from: 'log' },
};
