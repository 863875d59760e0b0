import type { ControlEvent } from '@sightline/schemas';
import type { ReadModel } from '../projector/read-model';
import { CONTROL_EVENTS } from '../projector/sources';
import { AuditProjection } from './audit.projection';

/** `audit_log`: who changed what in the control plane. */
export const auditReadModel: ReadModel<ControlEvent> = {
  name: 'audit',
  source: CONTROL_EVENTS,
  tables: ['audit_log'],
  dependsOn: [],
  projection: (ch) => new AuditProjection(ch),
  // Audit rows hold who did what, never LLM data: a data deletion leaves them, and records itself.
  purge: { trace: [], 'end-user': [], project: [] },
  rebuild: { from: 'nothing', why: 'it keeps every change after the control topic is compacted' },
};
