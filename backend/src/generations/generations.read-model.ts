import type { SightlineEvent } from '@sightline/schemas';
import { archiveReadModel } from '../archive/archive.read-model';
import { EventArchive } from '../archive/event-archive';
import type { ReadModel } from '../projector/read-model';
import { LLM_EVENTS } from '../projector/sources';
import { GenerationsProjection } from './generations.projection';

/**
 * `generations`: one row per generation, and its rollups (migration 0017) that materialized views fill
 * on every insert: truncated with it, refilled as it is projected again. A trace or end-user purge
 * leaves the rollups' anonymous counts; a project purge empties them.
 */
const ROLLUPS = ['generation_rollup_minute', 'generation_rollup_hour'];

export const generationsReadModel: ReadModel<SightlineEvent> = {
  name: 'generations',
  source: LLM_EVENTS,
  tables: ['generations', ...ROLLUPS, ...ROLLUPS.map((t) => `${t}_mv`)],
  // An end finds its request in the archive when the request came in an earlier batch.
  dependsOn: [archiveReadModel.name],
  projection: (ch) => new GenerationsProjection(ch, new EventArchive(ch)),
  purge: {
    trace: [{ table: 'generations', where: 'trace_id = {target:String}' }],
    'end-user': [{ table: 'generations', where: 'user_id = {target:String}' }],
    project: [{ table: 'generations', where: '1' }, ...ROLLUPS.map((table) => ({ table, where: '1' }))],
  },
  rebuild: { from: 'log' },
};
