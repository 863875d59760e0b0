import type { SightlineEvent } from '@sightline/schemas';
import type { ControlState } from '../control/control-state';
import { tombstoneKey } from '../control/control-state';

/**
 * Whether an LLM event falls under a deletion (its project, its trace or its end user).
 * Projections drop such events, so the data stays gone even when the log is re-read from the start.
 */
export function isErased(event: SightlineEvent, state: ControlState): boolean {
  const { projectId } = event;
  if (state.projects.get(projectId)?.deletedAt) return true;
  const has = (scope: 'trace' | 'end-user' | 'project', target: string) =>
    state.tombstones.has(tombstoneKey({ projectId, scope, target }));
  return (
    has('project', projectId) ||
    has('trace', event.traceId) ||
    (event.endUserId !== undefined && has('end-user', event.endUserId))
  );
}
