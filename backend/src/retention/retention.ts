import type { ControlState } from '../control/control-state';

const DAY_MS = 86_400_000;

/**
 * Whether an event of `projectId` that occurred at `occurredAt` (ISO-8601) is past its project's
 * retention at `now`: the archive's TTL has deleted it or will, so nothing may project it again.
 */
export function isExpired(control: ControlState, projectId: string, occurredAt: string, now: Date): boolean {
  const days = control.retention.get(projectId)?.days;
  return !!days && Date.parse(occurredAt) + days * DAY_MS <= now.getTime();
}
