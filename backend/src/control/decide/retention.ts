import { MAX_RETENTION_DAYS } from '@sightline/schemas';
import { InvalidInputError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import { requireRole } from './authority';
import type { Command } from './command';

/** `days`: whole days to keep the project's LLM data, 1 to 3650; null keeps it for ever. */
export type SetRetention = Command<'set-retention', { projectId: string; days: number | null }>;

/**
 * Admins set how long their project keeps its LLM data. Setting what is already set changes nothing.
 * @throws InvalidInputError `invalid_retention`, ProjectNotFoundError, ForbiddenError below admin
 */
export function setRetention(command: SetRetention, state: ControlState): NewControlEvent[] {
  const { projectId, actor, days } = command;
  requireRole(state, actor, projectId, 'admin');
  if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= MAX_RETENTION_DAYS)) {
    throw new InvalidInputError(
      `Retention is a whole number of days from 1 to ${MAX_RETENTION_DAYS}, or none`,
      'invalid_retention',
      'days',
    );
  }
  if ((state.retention.get(projectId)?.days ?? null) === days) return [];
  return [
    {
      type: 'project.retention-set',
      entityKey: `project-retention:${projectId}`,
      projectId,
      data: { projectId, days, setAt: command.now.toISOString(), setBy: actor.userId },
    },
  ];
}
