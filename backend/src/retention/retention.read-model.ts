import type { ControlEvent } from '@sightline/schemas';
import type { ReadModel } from '../projector/read-model';
import { CONTROL_EVENTS } from '../projector/sources';
import { RetentionProjection } from './retention.projection';

/** `project_retention` and its dictionary `project_retention_days`: each project's retention days. */
export const retentionReadModel: ReadModel<ControlEvent> = {
  name: 'retention',
  source: CONTROL_EVENTS,
  tables: ['project_retention', 'project_retention_days'],
  dependsOn: [],
  projection: (ch) => new RetentionProjection(ch),
  // A setting, not LLM data: a project's deletion leaves it (the project's archive is gone anyway).
  purge: { trace: [], 'end-user': [], project: [] },
  rebuild: { from: 'nothing', why: 'a setting the control state keeps: set it again to project it' },
};
