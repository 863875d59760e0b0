import type { SightlineEvent } from '@sightline/schemas';
import { archiveReadModel } from '../archive/archive.read-model';
import { EventArchive } from '../archive/event-archive';
import type { ReadModel } from '../projector/read-model';
import { LLM_EVENTS } from '../projector/sources';
import { GenerationsProjection } from './generations.projection';

/** `generations`: one row per generation. */
export const generationsReadModel: ReadModel<SightlineEvent> = {
  name: 'generations',
  source: LLM_EVENTS,
  tables: ['generations'],
  // An end finds its request in the archive when the request came in an earlier batch.
  dependsOn: [archiveReadModel.name],
  projection: (ch) => new GenerationsProjection(ch, new EventArchive(ch)),
  purge: {
    trace: [{ table: 'generations', where: 'trace_id = {target:String}' }],
    'end-user': [{ table: 'generations', where: 'user_id = {target:String}' }],
    project: [{ table: 'generations', where: '1' }],
  },
  rebuild: { from: 'log' },
};
