import type { SightlineEvent } from '@sightline/schemas';
import { archiveReadModel } from '../archive/archive.read-model';
import { EventArchive } from '../archive/event-archive';
import type { ReadModel } from '../projector/read-model';
import { LLM_EVENTS } from '../projector/sources';
import { SpansProjection } from './spans.projection';

const TABLES = [
  'spans',
  'traces',
  'trace_list',
  'trace_versions',
  'scores',
  'trace_groups',
  'trace_times',
] as const;

/**
 * `spans`, `traces` (rolled up from spans; `trace_list` files them by start and `trace_versions` keeps
 * their current versions, both fed by views),
 * sessions and users (`trace_groups`), `trace_times` and `scores`.
 */
export const tracesReadModel: ReadModel<SightlineEvent> = {
  name: 'traces',
  source: LLM_EVENTS,
  tables: [...TABLES, 'trace_list_mv', 'trace_versions_mv'],
  // Spans are folded from every archived event of theirs.
  dependsOn: [archiveReadModel.name],
  projection: (ch) => new SpansProjection(ch, new EventArchive(ch)),
  purge: {
    trace: TABLES.map((table) => ({ table, where: 'trace_id = {target:String}' })),
    'end-user': [
      { table: 'spans', where: 'user_id = {target:String}' },
      { table: 'traces', where: 'user_id = {target:String}' },
      { table: 'trace_list', where: 'user_id = {target:String}' },
      { table: 'trace_groups', where: 'user_id = {target:String}' },
    ],
    project: TABLES.map((table) => ({ table, where: '1' })),
  },
  rebuild: { from: 'log' },
};
