import type { SightlineEvent } from '@sightline/schemas';
import type { ReadModel } from '../projector/read-model';
import { LLM_EVENTS } from '../projector/sources';
import { ArchiveProjection } from './archive.projection';

/** `events`: every LLM event as it was appended. */
export const archiveReadModel: ReadModel<SightlineEvent> = {
  name: 'archive',
  source: LLM_EVENTS,
  tables: ['events'],
  dependsOn: [],
  projection: (ch) => new ArchiveProjection(ch),
  purge: {
    trace: [{ table: 'events', where: 'trace_id = {target:String}' }],
    'end-user': [{ table: 'events', where: 'end_user_id = {target:String}' }],
    project: [{ table: 'events', where: '1' }],
  },
  rebuild: { from: 'nothing', why: "the archive is the replay source once the log's retention has passed" },
};
